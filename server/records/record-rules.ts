/**
 * The facility-record rules on a tick (issue 16 item 2): every `tickMs` (the rules' tick) the
 * facility states (the facility engine's port, `facilityStates()`) are read with the registry's
 * facilities, the approved maintenance windows in force and the records, and judged by the pure
 * rules of server/rules/facility-record-rules.ts; findings go to the alert lifecycle like every
 * rule's (one open alert per facility logger, signal code and rule).
 *
 *   - declared-stop-running: every production line with a logger, each tick;
 *   - start/stop events: a production line's running state changing against its last known state
 *     (its latest stored event after a restart; first sight of a line with none only sets it) is
 *     stored once, counted, and judged unplanned-start-stop; an unplanned one's alert is raised and
 *     cleared at the next tick (an event, not a condition: it waits for an officer, cleared);
 *   - adsorbent-overdue: every facility with `adsorbentDays`, against the latest logged replacement;
 *     raised once per due date (kept in the store, so a restart does not raise it again).
 *
 * Ticks run one at a time; a failing store read is logged and the tick tried again at the next.
 */
import type { Finding, MaintenanceWindow } from '../domain/alert';
import { localDate } from '../domain/local-time';
import type { Facility } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { RuleParams } from '../domain/rule-pack';
import type { FacilityRunState } from '../domain/working-condition';
import type { Logger } from '../logger';
import {
  detectStartStop,
  judgeAdsorbent,
  judgeDeclaredStop,
  judgeStartStop,
  type DeclaredStopMemory,
  type KnownRun,
} from '../rules/facility-record-rules';
import type { FacilityRecordStore } from '../storage/sql/facility-record-store';
import { Ticked } from '../ticked-job';

export interface RecordRulesDeps {
  store: FacilityRecordStore;
  registry: RegistryView;
  /** The facility engine's port: what it knows of each facility now, by facility id. */
  facilityStates: () => ReadonlyMap<string, FacilityRunState>;
  /** Approved maintenance windows in force or to come (those covering a line now are picked by the rule). */
  windows: () => readonly MaintenanceWindow[];
  /** The effective rule parameters for a facility's logger (the pack, its overrides); undefined MN: the pack's. */
  paramsOf: (mn: string | undefined) => RuleParams;
  /** The alert lifecycle (AlertService.apply). */
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  utcOffsetMinutes: number;
  tickMs: number;
  log: Logger;
  now: () => number;
}

export class RecordRules extends Ticked {
  private readonly declared = new Map<string, DeclaredStopMemory>();
  private known: Map<string, KnownRun> | null = null;
  /** Unplanned start/stop alerts raised at the last tick, cleared at this one. */
  private toClear: { finding: Finding; enterpriseId: string }[] = [];
  constructor(private readonly deps: RecordRulesDeps) {
    super({ name: 'facility record rules', everyMs: deps.tickMs, log: deps.log });
  }

  /** Judges now. */
  protected async run(): Promise<void> {
    const now = this.deps.now();
    const facilities = this.deps.registry.current().facilities ?? [];
    const states = this.deps.facilityStates();
    for (const { finding, enterpriseId } of this.toClear.splice(0)) this.deps.sink.apply([finding], enterpriseId);
    const lines = facilities.filter((f) => f.kind === 'production-line');
    this.declaredStops(lines, states, now);
    await this.startStops(lines, states, now);
    await this.adsorbents(facilities, now);
  }

  private declaredStops(lines: readonly Facility[], states: ReadonlyMap<string, FacilityRunState>, now: number): void {
    const windows = this.deps.windows();
    for (const line of lines) {
      const memory = this.declared.get(line.id) ?? { runningSince: undefined, raised: false };
      const params = this.deps.paramsOf(line.mn).declaredStopRunning;
      const out = judgeDeclaredStop({ line, state: states.get(line.id), windows, now, memory, params });
      this.declared.set(line.id, out.memory);
      if (out.findings.length > 0) this.deps.sink.apply(out.findings, line.enterpriseId);
    }
  }

  private async startStops(lines: readonly Facility[], states: ReadonlyMap<string, FacilityRunState>, now: number): Promise<void> {
    const { store } = this.deps;
    this.known ??= new Map([...(await store.lastEvents())].map(([id, e]) => [id, { running: e.kind === 'start', at: e.at }]));
    const known = this.known;
    for (const line of lines) {
      const state = states.get(line.id);
      if (state?.running === undefined) continue;
      const prev = known.get(line.id);
      const event = detectStartStop(prev, state, now);
      if (prev === undefined || event === undefined) {
        if (prev === undefined || prev.running !== state.running) known.set(line.id, { running: state.running, at: state.since ?? now });
        continue;
      }
      const year = Number(localDate(event.at, this.deps.utcOffsetMinutes).slice(0, 4));
      const plan = await store.plan(line.enterpriseId, year);
      const params = this.deps.paramsOf(line.mn).unplannedStartStop;
      const judged = judgeStartStop({ line, ...event, plan: plan?.entries, params, utcOffsetMinutes: this.deps.utcOffsetMinutes });
      const stored = await store.recordEvent({
        enterpriseId: line.enterpriseId,
        facilityId: line.id,
        ...event,
        inSeason: judged.inSeason,
        planned: judged.planned,
      });
      known.set(line.id, { running: event.kind === 'start', at: event.at });
      if (stored === null) continue; // already counted (another process, or before a restart)
      this.deps.log.info(
        { facility: line.id, kind: event.kind, at: event.at, inSeason: judged.inSeason, planned: judged.planned },
        'start/stop event',
      );
      if (judged.findings.length === 0) continue;
      this.deps.sink.apply(judged.findings, line.enterpriseId);
      for (const f of judged.findings) {
        this.toClear.push({
          finding: { type: 'normal', mn: f.mn, factor: f.factor, rule: f.rule, value: 0, ts: now },
          enterpriseId: line.enterpriseId,
        });
      }
    }
  }

  private async adsorbents(facilities: readonly Facility[], now: number): Promise<void> {
    const adsorbers = facilities.filter((f) => f.adsorbentDays !== undefined && f.mn !== undefined);
    if (adsorbers.length === 0) return;
    const { store } = this.deps;
    const today = localDate(now, this.deps.utcOffsetMinutes);
    const [last, watches] = await Promise.all([store.lastReplacementDates(), store.watches()]);
    for (const facility of adsorbers) {
      const watch = watches.get(facility.id) ?? { firstSeen: today, raisedDue: null };
      if (!watches.has(facility.id)) await store.putWatch(facility.id, today, null);
      const params = this.deps.paramsOf(facility.mn).adsorbentOverdue;
      const lastReplacement = last.get(facility.id);
      const out = judgeAdsorbent({ facility, lastReplacement, firstSeen: watch.firstSeen, today, now, raisedDue: watch.raisedDue, params });
      if (out.raisedDue !== watch.raisedDue) await store.putWatch(facility.id, watch.firstSeen, out.raisedDue);
      if (out.findings.length > 0) this.deps.sink.apply(out.findings, facility.enterpriseId);
    }
  }
}
