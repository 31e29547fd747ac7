/**
 * The only importer of socket.io. A socket must carry a valid session cookie (else the handshake
 * is refused with `unauthenticated`); it joins the room of its audience: `staff` (administrators,
 * duty officers, the ozone centre) or `ent:<enterpriseId>` (that enterprise's users). It gets a
 * snapshot of what its audience may see on connect, then every alert change of its audience
 * (numbered per audience, so a gap means a missed event and the client asks for a resync) and the
 * latest values of its audience's sources, batched to at most one message per `batchMs`.
 * An enterprise socket never receives another enterprise's readings, alerts or notices.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Alert, MaintenanceWindow, Silence } from '../domain/alert';
import { campaignForEnterprise, type Campaign, type CampaignNotice } from '../domain/campaign';
import { alertForEnterprise } from '../domain/enterprise-view';
import type { AlertEventKind, ClientToServerEvents, LatestValues, RulesChangedEvent, ServerToClientEvents, Snapshot } from '../domain/events';
import type { Principal } from '../domain/principal';
import type { Logger } from '../logger';

const STAFF = 'staff';
const entRoom = (enterpriseId: string): string => `ent:${enterpriseId}`;
/** The room (and sequence) a principal belongs to. */
export const audienceOf = (p: Principal): string => (p.role === 'enterprise' ? entRoom(p.enterpriseId ?? '-') : STAFF);

export interface RealtimeHubDeps {
  /** What this principal may see right now (alerts, sources). */
  snapshot: (p: Principal) => Omit<Snapshot, 'seq'>;
  /** The signed-in user behind a handshake's cookie header, or null. */
  authenticate: (cookieHeader: string | undefined) => Principal | null;
  /** The enterprise a source belongs to. */
  enterpriseOf: (mn: string) => string | undefined;
  batchMs: number;
  log: Logger;
}

interface SocketData {
  principal: Principal;
}

export class RealtimeHub {
  private readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  private readonly seqs = new Map<string, number>();
  private pending = new Map<string, LatestValues>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    http: HttpServer,
    private readonly deps: RealtimeHubDeps,
  ) {
    // No CORS options: only the app's own origin can open a socket with its cookie.
    this.io = new Server(http, { serveClient: false });
    this.io.use((socket, next) => {
      const principal = deps.authenticate(socket.handshake.headers.cookie);
      if (!principal) return next(new Error('unauthenticated'));
      socket.data.principal = principal;
      next();
    });
    this.io.on('connection', (socket) => {
      const { principal } = socket.data;
      const audience = audienceOf(principal);
      void socket.join([audience, `user:${principal.userId}`]);
      deps.log.debug({ id: socket.id, username: principal.username, audience }, 'dashboard connected');
      const send = () => socket.emit('state:snapshot', { ...deps.snapshot(principal), seq: this.seqs.get(audience) ?? 0 });
      send();
      socket.on('state:resync', send);
    });
    this.timer = setInterval(() => this.flushReadings(), deps.batchMs);
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  /** Staff get the alert; its enterprise the enterprise view (no silence, no assignee). */
  alert(kind: AlertEventKind, alert: Alert): void {
    this.io.to(STAFF).emit(`alert:${kind}`, { seq: this.nextSeq(STAFF), alert });
    const ent = entRoom(alert.enterpriseId);
    this.io.to(ent).emit(`alert:${kind}`, { seq: this.nextSeq(ent), alert: alertForEnterprise(alert) });
  }

  /** Silences are the duty officers' business. */
  silence(silence: Silence): void {
    this.io.to(STAFF).emit('silence:changed', { silence });
  }

  maintenance(window: MaintenanceWindow): void {
    this.io.to([STAFF, entRoom(window.enterpriseId)]).emit('maintenance:changed', { window });
  }

  /** Rule configuration is staff business. */
  rules(e: RulesChangedEvent): void {
    this.io.to(STAFF).emit('rules:changed', e);
  }

  /** A campaign changed: staff see all of it; each affected enterprise only its own view of it. */
  campaign(campaign: Campaign): void {
    this.io.to(STAFF).emit('campaign:changed', { campaign });
    for (const ent of campaign.affected) this.io.to(entRoom(ent)).emit('campaign:changed', { campaign: campaignForEnterprise(campaign, ent) });
  }

  /** A campaign notice sent to (or acknowledged by) one enterprise: to staff and to that enterprise only. */
  notice(kind: 'sent' | 'acknowledged', campaign: Campaign, notice: CampaignNotice): void {
    this.io.to(STAFF).emit('campaign:notice', { kind, campaign, notice });
    this.io.to(entRoom(notice.enterpriseId)).emit('campaign:notice', { kind, campaign: campaignForEnterprise(campaign, notice.enterpriseId), notice });
  }

  latest(lv: LatestValues): void {
    this.pending.set(lv.mn, lv);
  }

  /** Closes the sockets of a user (signed out everywhere, disabled, role changed). */
  disconnectUser(userId: number): void {
    this.io.in(`user:${userId}`).disconnectSockets(true);
  }

  private nextSeq(room: string): number {
    const next = (this.seqs.get(room) ?? 0) + 1;
    this.seqs.set(room, next);
    return next;
  }

  private flushReadings(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.io.to(STAFF).emit('reading:batch', batch);
    const byEnterprise = new Map<string, LatestValues[]>();
    for (const lv of batch) {
      const ent = this.deps.enterpriseOf(lv.mn);
      if (ent === undefined) continue;
      const list = byEnterprise.get(ent) ?? [];
      list.push(lv);
      byEnterprise.set(ent, list);
    }
    for (const [ent, list] of byEnterprise) this.io.to(entRoom(ent)).emit('reading:batch', list);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.io.close();
  }
}
