/**
 * Special-control campaigns: created as drafts by the ozone centre, activated (the target is
 * resolved to enterprises, each gets a notice, pushed live), acknowledged by each enterprise,
 * ended (by hand, or by the sweep once the period is over; the final compliance is kept) or
 * cancelled. Transitions follow campaign-transition.ts; listeners (the realtime hub) hear every
 * change.
 */
import type {
  Campaign,
  CampaignCompliance,
  CampaignLevel,
  CampaignMeasure,
  CampaignNotice,
  CampaignReport,
  CampaignTarget,
} from '../domain/campaign';
import { EventBus } from '../domain/internal-events';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { ComplianceCalculator } from './campaign-compliance';
import { resolveAffected } from './campaign-targets';
import { campaignTransition, type CampaignAction } from './campaign-transition';
import type { ControlStore } from '../domain/control-store';
import type { OzoneRules } from './ozone-rules';
import { tickedJob, type TickedJob } from '../ticked-job';

export interface CreateCampaignInput {
  name: string;
  level: CampaignLevel;
  from: number;
  to: number;
  target: CampaignTarget;
  /** Measure template ids (ozone.yaml). */
  measures: string[];
  reductionPct?: number | undefined;
  note?: string | undefined;
}

export class CampaignError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export type { CampaignReport } from '../domain/campaign';

export interface CampaignServiceDeps {
  store: ControlStore;
  /** The live registry: a campaign's targets are resolved against it at activation. */
  registry: RegistryView;
  rules: OzoneRules;
  compliance: ComplianceCalculator;
  log: Logger;
  now: () => number;
  /** Announces `campaign:changed` and `notice:sent` (sent at activation, or acknowledged). */
  events?: EventBus;
  /** The sweep's clock runs only while this says so (a cluster's jobs lease: one process of the cluster; default always). */
  when?: () => boolean;
}

export class CampaignService {
  private readonly events: EventBus;
  private readonly sweeper: TickedJob;

  constructor(private readonly deps: CampaignServiceDeps) {
    this.events = deps.events ?? new EventBus();
    const { log, when } = deps;
    this.sweeper = tickedJob({ name: 'campaign sweep', everyMs: deps.rules.campaigns.sweepS * 1000, run: () => this.sweep(), log, when });
  }

  /** Ends active campaigns whose period is over, every `campaigns.sweepS` (on the jobs lease's holder). */
  start(): void {
    this.sweeper.start();
  }

  /** Ends the sweep's clock; resolves when a sweep under way has ended. */
  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  list(): Promise<Campaign[]> {
    return this.deps.store.listCampaigns();
  }

  get(id: number): Promise<Campaign | undefined> {
    return this.deps.store.getCampaign(id);
  }

  notices(id: number): Promise<CampaignNotice[]> {
    return this.deps.store.notices(id);
  }

  async create(input: CreateCampaignInput, actor: string): Promise<Campaign> {
    const templates = new Map(this.deps.rules.measures.map((m) => [m.id, m]));
    const measures = input.measures.map((id): CampaignMeasure => {
      const t = templates.get(id);
      if (!t) throw new CampaignError('conflict', `unknown measure "${id}"`);
      return { id: t.id, zh: t.zh, en: t.en, window: t.window ?? null };
    });
    const c = await this.deps.store.insertCampaign({
      name: input.name,
      level: input.level,
      from: input.from,
      to: input.to,
      target: input.target,
      measures,
      reductionPct: input.reductionPct ?? this.deps.rules.campaigns.defaultReductionPct,
      note: input.note ?? null,
      state: 'draft',
      affected: [],
      createdBy: actor,
      createdAt: this.deps.now(),
      activatedBy: null,
      activatedAt: null,
      closedBy: null,
      closedAt: null,
    });
    this.emit(c);
    return c;
  }

  async activate(id: number, actor: string): Promise<Campaign> {
    const c = await this.must(id);
    const next = this.next(c, 'activate');
    const at = this.deps.now();
    if (c.to <= at) throw new CampaignError('conflict', 'the campaign period is over: it can no longer be activated');
    const affected = resolveAffected(c.target, this.deps.registry.current());
    if (affected.length === 0) throw new CampaignError('conflict', 'the target matches no enterprise');
    const active: Campaign = { ...c, state: next, affected, activatedBy: actor, activatedAt: at };
    const notices = affected.map((enterpriseId): CampaignNotice => ({
      campaignId: id,
      enterpriseId,
      sentAt: at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
    }));
    await this.deps.store.saveCampaign(active, notices);
    this.deps.log.info({ campaign: id, affected: affected.length, actor }, 'campaign activated');
    this.emit(active);
    for (const notice of notices) this.events.emit('notice:sent', { kind: 'sent', campaign: active, notice });
    return active;
  }

  /** Ends an active campaign and keeps its final compliance (if the store answers). */
  async end(id: number, actor: string, action: 'end' | 'expire' = 'end'): Promise<Campaign> {
    const c = await this.must(id);
    const at = this.deps.now();
    const ended: Campaign = { ...c, state: this.next(c, action), closedBy: actor, closedAt: Math.min(at, c.to) };
    await this.deps.store.saveCampaign(ended);
    this.emit(ended);
    try {
      await this.deps.store.saveCompliance(await this.deps.compliance.compute(ended, ended.closedAt as number));
    } catch (err) {
      this.deps.log.warn(
        { err: (err as Error).message, campaign: id },
        'final campaign compliance not computed; the report will compute it',
      );
    }
    return ended;
  }

  async cancel(id: number, actor: string): Promise<Campaign> {
    const c = await this.must(id);
    const cancelled: Campaign = { ...c, state: this.next(c, 'cancel'), closedBy: actor, closedAt: this.deps.now() };
    await this.deps.store.saveCampaign(cancelled);
    this.emit(cancelled);
    return cancelled;
  }

  /** An affected enterprise acknowledges its notice (again: the first acknowledgement stays). */
  async acknowledge(id: number, enterpriseId: string, actor: string, note: string | null): Promise<CampaignNotice> {
    const c = await this.must(id);
    if (!c.affected.includes(enterpriseId)) throw new CampaignError('not_found', `campaign ${id} not found`);
    if (c.state !== 'active')
      throw new CampaignError('conflict', `the campaign is ${c.state}: only an active campaign's notice can be acknowledged`);
    const before = (await this.deps.store.notices(id)).find((n) => n.enterpriseId === enterpriseId);
    const notice = await this.deps.store.acknowledge(id, enterpriseId, actor, this.deps.now(), note);
    if (!notice) throw new CampaignError('not_found', `no notice of campaign ${id} for ${enterpriseId}`);
    if (before?.acknowledgedAt === null) this.events.emit('notice:sent', { kind: 'acknowledged', campaign: c, notice });
    return notice;
  }

  /** Active campaigns past their period are ended by `system`. */
  async sweep(): Promise<void> {
    const now = this.deps.now();
    for (const c of (await this.list()).filter((x) => x.state === 'active' && x.to <= now)) {
      await this.end(c.id, 'system', 'expire').catch((err: Error) => this.deps.log.error({ err, campaign: c.id }, 'campaign sweep failed'));
    }
  }

  /** Compliance of an active or ended campaign (ended: the kept final one); null otherwise. */
  async compliance(c: Campaign, enterpriseIds?: readonly string[]): Promise<CampaignCompliance | null> {
    if (c.state !== 'active' && c.state !== 'ended') return null;
    const kept = c.state === 'ended' ? await this.deps.store.loadCompliance(c.id) : undefined;
    const all = kept ?? (await this.deps.compliance.compute(c, c.closedAt ?? this.deps.now(), enterpriseIds));
    return enterpriseIds ? { ...all, enterprises: all.enterprises.filter((e) => enterpriseIds.includes(e.enterpriseId)) } : all;
  }

  async report(c: Campaign): Promise<CampaignReport> {
    if (c.state === 'draft') throw new CampaignError('conflict', 'a draft campaign has no report: activate it first');
    const notices = new Map((await this.notices(c.id)).map((n) => [n.enterpriseId, n]));
    const compliance = await this.compliance(c);
    const byEnt = new Map((compliance?.enterprises ?? []).map((e) => [e.enterpriseId, e]));
    const names = new Map(this.deps.registry.current().enterprises.map((e) => [e.id, e.name]));
    const enterprises = c.affected.map((id) => {
      const n = notices.get(id);
      return {
        enterpriseId: id,
        enterpriseName: names.get(id) ?? id,
        acknowledged: n?.acknowledgedAt != null,
        acknowledgedAt: n?.acknowledgedAt ?? null,
        acknowledgedBy: n?.acknowledgedBy ?? null,
        note: n?.note ?? null,
        compliance: byEnt.get(id) ?? null,
      };
    });
    const count = (s: string) => enterprises.filter((e) => e.compliance?.status === s).length;
    return {
      campaign: c,
      final: c.state === 'ended',
      summary: {
        affected: enterprises.length,
        acknowledged: enterprises.filter((e) => e.acknowledged).length,
        compliant: count('compliant'),
        flagged: count('flagged'),
        nodata: count('nodata'),
        notMonitored: count('not_monitored'),
      },
      enterprises,
      compliance,
    };
  }

  private async must(id: number): Promise<Campaign> {
    const c = await this.get(id);
    if (!c) throw new CampaignError('not_found', `campaign ${id} not found`);
    return c;
  }

  private next(c: Campaign, action: CampaignAction): Campaign['state'] {
    const r = campaignTransition(c.state, action);
    if (!r.ok) throw new CampaignError('conflict', r.reason);
    return r.state;
  }

  private emit(c: Campaign): void {
    this.events.emit('campaign:changed', c);
  }
}
