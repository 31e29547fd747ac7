/**
 * The response stage's service (issue 18 item 3): a heavy-pollution warning that is issued or in
 * force gets a response planned from the lists (`planResponse`: the enterprises with air emissions
 * in its districts, each one's current list resolved for its grade, the city's check); a level or
 * district change re-plans it (the history keeps the earlier level); lifting or cancelling ends it.
 * Each enterprise with measures gets a notice of its own measures and acknowledges it.
 *
 * Ozone warnings get no response: the lists are heavy-pollution emergency lists (重污染天气应急减排
 * 清单, levels by AQI), and an ozone warning's measures are the special-control campaigns'
 * (VOCs and NOx, daytime) — see docs/reduction-lists.md.
 */
import { localDate } from '../domain/local-time';
import { HttpError } from '../domain/errors';
import type { EventBus } from '../domain/internal-events';
import { listStanding, type GradePolicy, type ReductionList, type ReductionPollutant } from '../domain/reduction-list';
import { planResponse } from '../domain/reduction-response';
import type { Grade } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import { responseForEnterprise, type ReductionResponse, type ResponseAck, type ResponseStatus } from '../domain/response';
import { isOpenWarning, type Warning } from '../domain/warning';
import { airEmitters, lineEntryTest } from '../domain/reduction-scope';
import type { Logger } from '../logger';
import type { ResponseStore, StoredPlan } from '../storage/sql/response-store';
import type { ResponseNotice } from './response-notice';

/** What the response stage reads of the lists (the ReductionListStore). */
export interface ListSource {
  summaries(): Promise<{ enterpriseId: string; year: number }[]>;
  get(enterpriseId: string, year: number): Promise<ReductionList | null>;
}

export interface ResponseServiceDeps {
  store: ResponseStore;
  lists: ListSource;
  registry: RegistryView;
  cityTonnesPerYear: Partial<Record<ReductionPollutant, number>>;
  policies?: Record<Grade, GradePolicy>;
  /** A notice to one enterprise's users. */
  notify: (enterpriseId: string, notice: ResponseNotice) => void;
  events: EventBus;
  utcOffsetMinutes: number;
  log: Logger;
  now: () => number;
}

export class ResponseService {
  /** Warnings are handled one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ResponseServiceDeps) {}

  /** Follows the warnings from now on, and brings every response in line with `warnings` (a restart). */
  async start(warnings: readonly Warning[]): Promise<void> {
    this.unsubscribe = this.deps.events.on('warning:changed', (w) => void this.onWarning(w));
    for (const w of warnings) await this.onWarning(w);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Starts, re-plans or ends the warning's response; resolves when done (errors are logged). */
  onWarning(w: Warning): Promise<void> {
    const run = this.queue.then(() => this.follow(w));
    this.queue = run.catch((err: unknown) => this.deps.log.error({ err, warning: w.id }, 'response not updated'));
    return this.queue as Promise<void>;
  }

  async list(filter: { warningId?: number; status?: ResponseStatus }, tenant: string | null): Promise<ReductionResponse[]> {
    const all = await this.deps.store.list(filter);
    if (tenant === null) return all;
    return all.map((r) => responseForEnterprise(r, tenant)).filter((r): r is ReductionResponse => r !== null);
  }

  async get(id: number, tenant: string | null): Promise<ReductionResponse> {
    const r = await this.deps.store.get(id);
    const shown = r && (tenant === null ? r : responseForEnterprise(r, tenant));
    if (!shown) throw new HttpError(404, 'not_found', `response ${id} not found`);
    return shown;
  }

  /** An enterprise acknowledges its measures (已知悉); the first acknowledgement stands. */
  async acknowledge(id: number, enterpriseId: string, username: string): Promise<{ ack: ResponseAck; response: ReductionResponse }> {
    const r = await this.get(id, enterpriseId);
    if (r.status !== 'active') throw new HttpError(409, 'ended', `response ${id} has ended`);
    const { ack, created } = await this.deps.store.acknowledge(id, enterpriseId, { username, at: this.deps.now() });
    const after = (await this.deps.store.get(id)) as ReductionResponse;
    if (created) this.deps.events.emit('response:changed', after);
    return { ack, response: responseForEnterprise(after, enterpriseId) as ReductionResponse };
  }

  private async follow(w: Warning): Promise<void> {
    if (w.kind !== 'heavy_pollution') return;
    const { store, events } = this.deps;
    const existing = await store.byWarning(w.id);
    if (!isOpenWarning(w)) {
      if (existing?.status === 'active') events.emit('response:changed', await store.end(existing.id, w.liftedAt ?? this.deps.now()));
      return;
    }
    if (existing?.status === 'ended') return;
    const sameScope = existing && existing.level === w.level && existing.districts.join() === w.districts.join();
    if (sameScope) return;
    const plan = await this.plan(w);
    const at = this.deps.now();
    const r = existing
      ? await store.replan(existing.id, { level: w.level, districts: w.districts, plan, at })
      : await store.insert({ warningId: w.id, level: w.level, districts: w.districts, startAt: w.startAt, plan, at });
    for (const e of plan.enterprises)
      if (e.measures.length > 0)
        this.deps.notify(e.enterpriseId, {
          kind: 'measures',
          responseId: r.id,
          level: r.level,
          name: e.name,
          measures: e.measures,
          startAt: r.startAt,
        });
    events.emit('response:changed', r);
  }

  /** The plan for the warning now: the registry's enterprises with air emissions, their current lists. */
  private async plan(w: Warning): Promise<StoredPlan> {
    const reg = this.deps.registry.current();
    const inScope = airEmitters(reg).filter((e) => w.districts.includes(e.district));
    const lists = await this.currentLists(inScope.map((e) => e.id));
    const isLine = lineEntryTest(reg);
    const plan = planResponse(w.level, w.districts, inScope, (id) => lists.get(id), {
      isLine: (_id, entry) => isLine(entry),
      cityTonnesPerYear: this.deps.cityTonnesPerYear,
      ...(this.deps.policies && { policies: this.deps.policies }),
    });
    const names = new Map(reg.enterprises.map((e) => [e.id, e.name]));
    return { ...plan, enterprises: plan.enterprises.map((e) => ({ ...e, name: names.get(e.enterpriseId) ?? e.enterpriseId })) };
  }

  /** Each enterprise's current list (its standing current or due), by enterprise id. */
  private async currentLists(ids: readonly string[]): Promise<Map<string, ReductionList>> {
    const years = new Map<string, number[]>();
    for (const s of await this.deps.lists.summaries()) years.set(s.enterpriseId, [...(years.get(s.enterpriseId) ?? []), s.year]);
    const today = localDate(this.deps.now(), this.deps.utcOffsetMinutes);
    const out = new Map<string, ReductionList>();
    for (const id of ids) {
      const { standing, year } = listStanding(years.get(id) ?? [], today);
      if ((standing !== 'current' && standing !== 'due') || year === null) continue;
      const list = await this.deps.lists.get(id, year);
      if (list) out.set(id, list);
    }
    return out;
  }
}
