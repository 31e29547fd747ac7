/**
 * The only importer of socket.io. A socket must carry a valid session cookie (else the handshake
 * is refused with `unauthenticated`) and, when it says where it comes from, come from a page of this
 * host (`allowRequest`, else refused before the handshake); it joins the room of its audience:
 * `staff` (administrators, duty officers, the ozone centre), `ent:<enterpriseId>` (that
 * enterprise's users) or `dept:<department>` (a department's read-only users: the alerts, readings
 * and logger states of the sites it oversees, as an enterprise sees them), and `user:<id>` and
 * `session:<id>` to be found when that identity ends. It
 * gets a snapshot of what its audience may see on connect, then every alert change of its audience
 * (numbered per audience, so a gap means a missed event and the client asks for a resync) and the
 * latest values of its audience's sources, batched to at most one message per `batchMs`, and its
 * source list afresh whenever the registry changes (`sources:changed`).
 * An enterprise socket never receives another enterprise's readings, alerts or notices; a department
 * socket nothing but its sites' (no warnings, campaigns, cases or maintenance: not its business).
 *
 * With `cluster` (Redis, several web processes): every emit and every revocation reaches the
 * sockets of all processes (socket.io's Redis adapter), alert changes are numbered in Redis, and a
 * socket whose handshake carries `auth: { seq }` (the last number its browser applied) gets the
 * changes after it instead of a snapshot when Redis still keeps them all (alert-feed-redis.ts).
 *
 * Sockets never outlive the identity they were granted under: a revocation (logout, password,
 * disable, role, enterprise or department change) closes the session's or user's sockets at once, and the
 * principal is checked again on every `state:resync` and every `recheckMs`; a socket whose session
 * ended or whose role, enterprise or department changed is closed, never re-scoped: the dashboard reconnects
 * and its handshake derives the scope afresh (or is refused, and the page returns to sign-in).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Alert, MaintenanceWindow, Silence } from '../domain/alert';
import { alertForEnterprise, windowForEnterprise, type NameOf } from '../domain/enterprise-view';
import type { AlertEventKind, HandshakeAuth, LatestValues, LoggerStatusEvent, RulesChangedEvent, Snapshot } from '../domain/events';
import type { IdentityRevoked, Principal } from '../domain/principal';
import type { Department } from '../domain/site-register';
import { audienceOf, deptRoom, entRoom, sessionRoom, sourceRoomsOf, STAFF, userRoom } from './rooms';

export { audienceOf } from './rooms';
import type { Warning } from '../domain/warning';
import type { Logger } from '../logger';
import { LocalAlertFeed, type AlertFeed, type HubServer, type HubSocket } from './alert-feed';
import { RedisAlertFeed } from './alert-feed-redis';
import { AudienceFanout } from './audience-fanout';
import type { RealtimeRedis } from './realtime-redis';
import { DEFAULT_RESYNC_LIMIT, takeResync, type ResyncLimit } from './resync-limiter';

/** Who is behind a handshake's cookie: the principal and the session it was granted under. */
export interface HubIdentity {
  principal: Principal;
  sessionId: string;
  /** Signed in, but must change the password before anything else: no socket (`password_change_required`). */
  mustChangePassword?: boolean;
}

export interface RealtimeHubDeps {
  /** What this principal may see right now (alerts, sources). */
  snapshot: (p: Principal) => Omit<Snapshot, 'seq'>;
  /** The signed-in user behind a cookie header (handshake, resync, periodic re-check), or null. */
  authenticate: (cookieHeader: string | undefined) => Promise<HubIdentity | null>;
  /** May this handshake request open a socket (its Origin)? Absent: every origin. */
  allowRequest?: (req: IncomingMessage) => boolean;
  /** The enterprise a source belongs to. */
  enterpriseOf: (mn: string) => string | undefined;
  /** The department that oversees a source (a kitchen's or a site's, `overseerOf`); absent: none does. */
  overseerOf?: (mn: string) => Department | undefined;
  batchMs: number;
  /** The open warnings (issued or in force), for the snapshot on connect; absent: none is sent. */
  warnings?: () => readonly Warning[];
  /** The district of an enterprise (which warnings it sees). */
  districtOf?: (enterpriseId: string) => string | undefined;
  /** How an enterprise reads a person (display name); absent: as the username. */
  nameOf?: NameOf;
  /** Past this many sources an audience's `sources:changed` carries none (`sourcesOnRest`); absent: no bound. */
  maxSources?: number;
  /** Bound on `state:resync` per socket (default 5 per 10 s). */
  resyncLimit?: ResyncLimit;
  /** Every socket's principal is checked again this often, ms (default 60 s; 0: never). */
  recheckMs?: number;
  now?: () => number;
  log: Logger;
  /** Shared with the other web processes (realtime.redisUrl); absent: this process alone. */
  cluster?: Pick<RealtimeRedis, 'adapter' | 'alerts'>;
}

/** `auth: { seq }` of a handshake: where the browser left off (anything else: it did not say). */
const resumeSchema: z.ZodType<Required<HandshakeAuth>> = z.object({ seq: z.number().int().nonnegative() });

/** Counters for /healthz. */
export interface RealtimeStats {
  handshakesRefused: { unauthenticated: number; bad_origin: number; password_change_required: number };
  resyncs: number;
  resyncsRefused: number;
  /** Sockets closed because their identity was revoked, changed or expired. */
  socketsRevoked: number;
}

/** Does this revocation end the identity (its session, or every session of its user)? */
const revokes = (e: IdentityRevoked, id: HubIdentity): boolean =>
  e.userId === id.principal.userId && (e.sessionId === undefined || e.sessionId === id.sessionId);

const samePrincipal = (a: Principal, b: Principal): boolean =>
  a.userId === b.userId && a.role === b.role && a.enterpriseId === b.enterpriseId && a.department === b.department;

export class RealtimeHub {
  private readonly io: HubServer;
  private readonly feed: AlertFeed;
  /** Campaigns, notices, warnings, cases, responses and source lists, per audience (audience-fanout.ts). */
  readonly fanout: AudienceFanout;
  private pending = new Map<string, LatestValues>();
  private readonly timer: NodeJS.Timeout;
  private readonly recheckTimer: NodeJS.Timeout | null;
  private readonly now: () => number;
  private readonly resyncLimit: ResyncLimit;
  private readonly nameOf: NameOf;
  /**
   * Revocations heard while a handshake's session check is under way (the store answers
   * asynchronously): such a socket is in no room yet, so `revoke` could not close it.
   */
  private readonly pendingHandshakes = new Set<IdentityRevoked[]>();
  /** Last log instant per kind of refused handshake (one line per minute per kind, not one per attempt). */
  private readonly lastRefusalLog = new Map<string, number>();
  readonly stats: RealtimeStats = {
    handshakesRefused: { unauthenticated: 0, bad_origin: 0, password_change_required: 0 },
    resyncs: 0,
    resyncsRefused: 0,
    socketsRevoked: 0,
  };

  constructor(
    http: HttpServer,
    private readonly deps: RealtimeHubDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.resyncLimit = deps.resyncLimit ?? DEFAULT_RESYNC_LIMIT;
    this.nameOf = deps.nameOf ?? ((u) => u);
    // No CORS options: only the app's own origin can open a socket with its cookie.
    this.io = new Server(http, {
      serveClient: false,
      ...(deps.cluster ? { adapter: deps.cluster.adapter } : {}),
      allowRequest: (req, callback) => {
        if (!deps.allowRequest || deps.allowRequest(req)) return callback(null, true);
        this.refused('bad_origin', { origin: req.headers.origin, ip: req.socket.remoteAddress });
        callback('bad_origin', false);
      },
    });
    this.io.use(async (socket, next) => {
      let identity: HubIdentity | null;
      const heard: IdentityRevoked[] = [];
      this.pendingHandshakes.add(heard);
      try {
        identity = await deps.authenticate(socket.handshake.headers.cookie);
      } catch (err) {
        deps.log.error({ err, ip: socket.handshake.address }, 'socket handshake: the session could not be checked');
        return next(new Error('unavailable'));
      } finally {
        this.pendingHandshakes.delete(heard);
      }
      const granted = identity;
      if (granted && heard.some((e) => revokes(e, granted))) identity = null;
      if (!identity) {
        this.refused('unauthenticated', { ip: socket.handshake.address });
        return next(new Error('unauthenticated'));
      }
      if (identity.mustChangePassword) {
        this.refused('password_change_required', { ip: socket.handshake.address, username: identity.principal.username });
        return next(new Error('password_change_required'));
      }
      socket.data.principal = identity.principal;
      socket.data.sessionId = identity.sessionId;
      socket.data.resync = { start: this.now(), count: 0 };
      socket.data.resumeAfter = resumeSchema.safeParse(socket.handshake.auth).data?.seq;
      next();
    });
    this.fanout = new AudienceFanout(this.io, { ...deps, nameOf: this.nameOf, maxSources: deps.maxSources ?? Infinity });
    this.feed = deps.cluster ? new RedisAlertFeed(this.io, deps.cluster.alerts, deps.log) : new LocalAlertFeed(this.io);
    this.io.on('connection', (socket) => {
      const { principal, sessionId, resumeAfter } = socket.data;
      const audience = audienceOf(principal);
      void socket.join([userRoom(principal.userId), sessionRoom(sessionId)]);
      deps.log.debug({ id: socket.id, username: principal.username, audience, resumeAfter }, 'dashboard connected');
      this.attach(socket, resumeAfter);
      socket.on('state:resync', () => void this.onResync(socket));
    });
    this.timer = setInterval(() => this.flushReadings(), deps.batchMs);
    const recheckMs = deps.recheckMs ?? 60_000;
    this.recheckTimer = recheckMs > 0 ? setInterval(() => void this.recheckAll(), recheckMs) : null;
    this.recheckTimer?.unref();
  }

  /**
   * A session ended or a user's identity changed: closes that session's sockets (`sessionId`), or
   * every socket of the user, at once — in every process sharing the Redis adapter. The client sees
   * `io server disconnect` and reconnects; its handshake then decides anew. Counts this process's.
   * `here`: another process revoked it (the cluster bus) and its adapter closed the sockets
   * everywhere already: only this process's handshakes under way and sockets are told.
   */
  revoke(e: IdentityRevoked, where: 'everywhere' | 'here' = 'everywhere'): number {
    for (const heard of this.pendingHandshakes) heard.push(e);
    const room = e.sessionId === undefined ? userRoom(e.userId) : sessionRoom(e.sessionId);
    const sockets = [...(this.io.sockets.adapter.rooms.get(room) ?? [])];
    (where === 'here' ? this.io.local : this.io).in(room).disconnectSockets(true);
    this.stats.socketsRevoked += sockets.length;
    if (sockets.length > 0) {
      this.deps.log.info({ userId: e.userId, reason: e.reason, sockets: sockets.length }, 'sockets closed: identity revoked');
    }
    return sockets.length;
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  /** Staff get the alert; its enterprise, and the department overseeing its source, the enterprise view (no silence, no assignee). */
  alert(kind: AlertEventKind, alert: Alert): void {
    this.feed.publish(STAFF, kind, alert);
    const view = alertForEnterprise(alert, this.nameOf);
    this.feed.publish(entRoom(alert.enterpriseId), kind, view);
    const dept = this.deps.overseerOf?.(alert.mn);
    if (dept !== undefined) this.feed.publish(deptRoom(dept), kind, view);
  }

  /** Silences are the duty officers' business. */
  silence(silence: Silence): void {
    this.io.to(STAFF).emit('silence:changed', { silence });
  }

  maintenance(window: MaintenanceWindow): void {
    this.io.to(STAFF).emit('maintenance:changed', { window });
    this.io.to(entRoom(window.enterpriseId)).emit('maintenance:changed', { window: windowForEnterprise(window, this.nameOf) });
  }

  /** Rule configuration is staff business. */
  rules(e: RulesChangedEvent): void {
    this.io.to(STAFF).emit('rules:changed', e);
  }

  /** A logger connected or went away: to staff and to the source's enterprise, at once (not batched). */
  loggerStatus(e: LoggerStatusEvent): void {
    const ent = this.deps.enterpriseOf(e.mn);
    const dept = this.deps.overseerOf?.(e.mn);
    this.io
      .to([STAFF, ...(ent === undefined ? [] : [entRoom(ent)]), ...(dept === undefined ? [] : [deptRoom(dept)])])
      .emit('logger:status', e);
  }

  latest(lv: LatestValues): void {
    this.pending.set(lv.mn, lv);
  }

  /** Into its audience's room, after a snapshot (or, resuming, the alert changes it missed). */
  private attach(socket: HubSocket, since: number | undefined): void {
    const { principal } = socket.data;
    this.feed.attach(socket, audienceOf(principal), since, (seq) =>
      socket.emit('state:snapshot', { ...this.deps.snapshot(principal), seq }),
    );
    if (this.deps.warnings) socket.emit('warnings:snapshot', { items: this.fanout.warningsFor(principal) });
  }

  /** A resync is answered only within the socket's budget, and only while its identity still holds. */
  private async onResync(socket: HubSocket): Promise<void> {
    const verdict = takeResync(socket.data.resync, this.resyncLimit, this.now());
    if (verdict !== 'ok') {
      this.stats.resyncsRefused++;
      if (verdict === 'first_refusal') {
        const fields = { id: socket.id, username: socket.data.principal.username, limit: this.resyncLimit };
        this.deps.log.warn(fields, 'state:resync refused: too many (further ones this window not logged)');
      }
      return;
    }
    this.stats.resyncs++;
    if (await this.stillValid(socket)) this.attach(socket, undefined);
  }

  /** Is the socket's session still live, with the same role and enterprise? If not, closes the socket. */
  private async stillValid(socket: HubSocket): Promise<boolean> {
    let now: HubIdentity | null;
    try {
      now = await this.deps.authenticate(socket.handshake.headers.cookie);
    } catch (err) {
      // The store did not answer: the socket keeps what it had until the next check.
      this.deps.log.error({ err, id: socket.id }, 'socket re-check: the session could not be checked');
      return false;
    }
    if (now && !now.mustChangePassword && now.sessionId === socket.data.sessionId && samePrincipal(now.principal, socket.data.principal))
      return true;
    this.stats.socketsRevoked++;
    const why = !now ? 'session ended' : now.mustChangePassword ? 'password change required' : 'identity changed';
    this.deps.log.info({ id: socket.id, username: socket.data.principal.username, why }, 'socket closed on re-check');
    socket.disconnect(true);
    return false;
  }

  private async recheckAll(): Promise<void> {
    for (const socket of [...this.io.sockets.sockets.values()]) if (socket.connected) await this.stillValid(socket);
  }

  private refused(kind: keyof RealtimeStats['handshakesRefused'], fields: Record<string, unknown>): void {
    this.stats.handshakesRefused[kind]++;
    const at = this.now();
    if (at - (this.lastRefusalLog.get(kind) ?? -Infinity) < 60_000) return;
    this.lastRefusalLog.set(kind, at);
    this.deps.log.warn({ ...fields, kind, total: this.stats.handshakesRefused[kind] }, 'socket handshake refused (logged once a minute)');
  }

  private flushReadings(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.io.to(STAFF).emit('reading:batch', batch);
    for (const [room, list] of sourceRoomsOf(batch, this.deps)) this.io.to(room).emit('reading:batch', list);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    await this.io.close();
  }
}
