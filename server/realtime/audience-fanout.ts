/**
 * What the realtime hub fans out to each audience beyond alerts and readings: campaigns and their
 * notices, warnings, pre-notices and acknowledgements, rectification cases, responses (staff the
 * whole thing, an enterprise only its own view of it) and the registry's new source lists. Split
 * from realtime-hub.ts, which keeps the sockets, their identity and the alert feed.
 */
import type { RectificationCase } from '../domain/case';
import { caseForEnterprise } from '../domain/case-views';
import { campaignForEnterprise, type Campaign, type CampaignNotice } from '../domain/campaign';
import type { NameOf } from '../domain/enterprise-view';
import type { SourceView } from '../domain/events';
import { scopeOf } from '../domain/access';
import type { Principal } from '../domain/principal';
import { preNoticeForEnterprise, type NoticeRecipient, type PreNotice } from '../domain/prenotice';
import { responseForEnterprise, type ReductionResponse } from '../domain/response';
import { DEPARTMENTS, type Department } from '../domain/site-register';
import { coversDistrict, warningForEnterprise, type Warning } from '../domain/warning';
import type { HubServer } from './alert-feed';
import { deptRoom, ENT_PREFIX, entRoom, STAFF } from './rooms';

export interface FanoutDeps {
  overseerOf?: ((mn: string) => Department | undefined) | undefined;
  warnings?: (() => readonly Warning[]) | undefined;
  districtOf?: ((enterpriseId: string) => string | undefined) | undefined;
  nameOf: NameOf;
  /** Past this many sources an audience's `sources:changed` carries none (`sourcesOnRest`). */
  maxSources: number;
}

export class AudienceFanout {
  constructor(
    private readonly io: HubServer,
    private readonly deps: FanoutDeps,
  ) {}

  /** A campaign changed: staff see all of it; each affected enterprise only its own view of it. */
  campaign(campaign: Campaign): void {
    this.io.to(STAFF).emit('campaign:changed', { campaign });
    for (const ent of campaign.affected)
      this.io.to(entRoom(ent)).emit('campaign:changed', { campaign: campaignForEnterprise(campaign, ent) });
  }

  /** A campaign notice sent to (or acknowledged by) one enterprise: to staff and to that enterprise only. */
  notice(kind: 'sent' | 'acknowledged', campaign: Campaign, notice: CampaignNotice): void {
    this.io.to(STAFF).emit('campaign:notice', { kind, campaign, notice });
    this.io
      .to(entRoom(notice.enterpriseId))
      .emit('campaign:notice', { kind, campaign: campaignForEnterprise(campaign, notice.enterpriseId), notice });
  }

  /** A warning changed: staff see all of it; an enterprise whose district it covers sees it without the internal note. */
  warning(w: Warning): void {
    this.io.to(STAFF).emit('warning:changed', { warning: w });
    for (const room of this.entRoomsCovered(w)) this.io.to(room).emit('warning:changed', { warning: warningForEnterprise(w) });
  }

  /** A pre-notice was issued or acknowledged: staff see all of it; each addressed enterprise only its own entry. */
  preNotice(p: PreNotice): void {
    this.io.to(STAFF).emit('prenotice:changed', { preNotice: p });
    for (const r of p.recipients) {
      const own = preNoticeForEnterprise(p, r.enterpriseId);
      if (own) this.io.to(entRoom(r.enterpriseId)).emit('prenotice:changed', { preNotice: own });
    }
  }

  /** A rectification case changed: staff see all of it; its enterprise sees it without the internal note and internal history. */
  caseChanged(c: RectificationCase): void {
    this.io.to(STAFF).emit('case:changed', { case: c });
    this.io.to(entRoom(c.enterpriseId)).emit('case:changed', { case: caseForEnterprise(c, this.deps.nameOf) });
  }

  /** A response changed: staff see all of it; each enterprise in scope only its own part. */
  response(r: ReductionResponse): void {
    this.io.to(STAFF).emit('response:changed', { response: r });
    for (const e of r.enterprises) {
      const own = responseForEnterprise(r, e.enterpriseId);
      if (own) this.io.to(entRoom(e.enterpriseId)).emit('response:changed', { response: own });
    }
  }

  /** An enterprise acknowledged a warning's notice: to staff and to that enterprise. */
  warningAcknowledged(e: { warningId: number; recipient: NoticeRecipient }): void {
    this.io.to([STAFF, entRoom(e.recipient.enterpriseId)]).emit('warning:acknowledged', e);
  }

  /** The enterprise rooms (with someone in them) whose enterprise lies in a district the warning covers. */
  private entRoomsCovered(w: Warning): string[] {
    const rooms: string[] = [];
    for (const room of this.io.sockets.adapter.rooms.keys()) {
      if (!room.startsWith(ENT_PREFIX)) continue;
      const district = this.deps.districtOf?.(room.slice(ENT_PREFIX.length));
      if (district !== undefined && coversDistrict(w, district)) rooms.push(room);
    }
    return rooms;
  }

  /** The open warnings this principal may see. */
  warningsFor(p: Principal): Warning[] {
    const open = [...(this.deps.warnings?.() ?? [])];
    const scope = scopeOf(p);
    if (scope.all) return open;
    if ('department' in scope) return [];
    const district = this.deps.districtOf?.(scope.enterpriseId);
    return district === undefined ? [] : open.filter((w) => coversDistrict(w, district)).map(warningForEnterprise);
  }

  /**
   * The registry changed: every audience gets its source list as it is now (staff all of them, an
   * enterprise its own), so maps and overviews follow without a reload. A list past `maxSources`
   * is not sent (`sourcesOnRest`): those dashboards fetch it over REST.
   */
  sources(version: number, all: readonly SourceView[]): void {
    const listOf = (sources: SourceView[]) =>
      sources.length > this.deps.maxSources ? { version, sources: [], sourcesOnRest: true } : { version, sources };
    this.io.to(STAFF).emit('sources:changed', listOf([...all]));
    // The enterprises with sockets here, and (for those on other processes) every one with sources.
    const byEnterprise = new Map<string, SourceView[]>();
    for (const s of all) (byEnterprise.get(s.enterpriseId) ?? byEnterprise.set(s.enterpriseId, []).get(s.enterpriseId))?.push(s);
    for (const room of this.io.sockets.adapter.rooms.keys())
      if (room.startsWith(ENT_PREFIX) && !byEnterprise.has(room.slice(ENT_PREFIX.length)))
        byEnterprise.set(room.slice(ENT_PREFIX.length), []);
    for (const [ent, own] of byEnterprise) this.io.to(entRoom(ent)).emit('sources:changed', listOf(own));
    const overseer = this.deps.overseerOf;
    if (!overseer) return;
    for (const dept of DEPARTMENTS) {
      this.io.to(deptRoom(dept)).emit('sources:changed', listOf(all.filter((s) => overseer(s.mn) === dept)));
    }
  }
}
