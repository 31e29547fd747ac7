/**
 * The facility engine (issue 16): the registry's facilities, their latest signal values and
 * running state, and the working-condition rules judged on them — one file per rule kind. Pure
 * like the rule engine: onReading(reading, now) and tick(now) return findings; no I/O, no clock
 * reads. snapshot()/restore() carry the state (latest values, running states, raised conditions)
 * across a restart as versioned plain JSON. facilityStates() is the read port for rules that
 * judge records against what runs (declared stops, start/stop plans).
 *
 * Time: a facility is judged on its logger's clock — a reading's ts, or at tick the logger's latest
 * sample time plus the engine time elapsed since it arrived — so logger clock skew does not count.
 * A signal is fresh while it arrived within two reporting intervals of its logger (`now`).
 */
import type { Finding } from '../domain/alert';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import type { Facility } from '../domain/registry';
import type { RuleParams } from '../domain/rule-pack';
import { parseSignalCode, SIGNAL, signalCode, type FacilityRunState, type SignalFamilyKey } from '../domain/working-condition';
import { formatZodIssues } from '../domain/zod-issues';
import { bypassOpenRule } from './bypass-open-rule';
import { combustionTempLowRule } from './combustion-temp-low-rule';
import {
  meterEvidence,
  meterSample,
  runningOf,
  type FacilityKey,
  type FacilityView,
  type FreshSample,
  type FreshValues,
  type SustainedRule,
} from './facility-context';
import { FacilityIndex } from './facility-index';
import {
  emptyFacilityState,
  FACILITY_STATE_VERSION,
  facilitySnapshotSchema,
  NO_CONDITION,
  type Condition,
  type FacilityPart,
  type FacilitySnapshot,
  type FacilityState,
  type LoggerClock,
  type NoxSample,
  type SignalSample,
} from './facility-state';
import { fgrClosedRule } from './fgr-closed-rule';
import { flareUpsetRule } from './flare-upset-rule';
import { reductantStoppedRule } from './reductant-stopped-rule';
import { comparedValue } from './limit-rule';
import { sustain } from './facility-sustain';
import type { RuleSubject } from './rule-engine';
import { onLineStart, onTreatmentStop, START_ORDER_RULE, type OrderVerdict, type Transition } from './start-order-rule';
import { treatmentOffRule } from './treatment-off-rule';
import { RuleStateError } from './rule-engine';

/** The rules judged on a condition held for a duration, in the order their findings come. */
export const SUSTAINED_RULES: readonly SustainedRule[] = [
  bypassOpenRule,
  treatmentOffRule,
  reductantStoppedRule,
  combustionTempLowRule,
  flareUpsetRule,
  fgrClosedRule,
];

/** What the engine needs: the registry's facilities now, and a source's subject (its interval, limits, rule parameters). */
export interface FacilityLookup {
  /** The same array while the registry is unchanged (the engine indexes it once per array). */
  facilities(): readonly Facility[];
  subject(mn: string, at: number): RuleSubject | undefined;
}

const NOX = 'a21002';

export class FacilityEngine {
  private states = new Map<string, FacilityState>();
  private loggers = new Map<string, LoggerClock>();
  private outlets = new Map<string, NoxSample>();
  private index: FacilityIndex | undefined;

  constructor(private readonly lookup: FacilityLookup) {}

  onReading(reading: Reading, now: number): Finding[] {
    const index = this.indexNow();
    if (reading.origin === 'import' || !index.feeds(reading.mn) || reading.cn === '2061' || reading.cn === '2031') return [];
    const prev = this.loggers.get(reading.mn);
    const realtime = (prev?.realtime ?? false) || reading.cn === '2011';
    if ((reading.cn === '2051' && realtime) || (prev && reading.ts < prev.ts)) return [];
    this.loggers.set(reading.mn, { ts: reading.ts, at: now, realtime });
    this.takeSignals(index, reading, now);
    this.takeNox(index, reading, now);
    return this.judgeEnterprise(index, reading.enterpriseId, now, reading.mn);
  }

  tick(now: number): Finding[] {
    const index = this.indexNow();
    return index.enterprises().flatMap((e) => this.judgeEnterprise(index, e, now, undefined));
  }

  /** What the engine knows of each registered facility now (the read port of the records rules). */
  facilityStates(): ReadonlyMap<string, FacilityRunState> {
    const out = new Map<string, FacilityRunState>();
    const index = this.indexNow();
    for (const f of index.all()) {
      const st = this.states.get(f.id);
      const latest: FacilityRunState['latest'] = {};
      for (const [family, s] of Object.entries(st?.latest ?? {})) latest[family as SignalFamilyKey] = { value: s.value, ts: s.ts };
      const metered = latest[SIGNAL.power] ? undefined : this.meteredPower(index, f, () => true);
      if (metered) latest[SIGNAL.power] = { value: metered.value, ts: metered.ts };
      out.set(f.id, {
        facilityId: f.id,
        enterpriseId: f.enterpriseId,
        running: st?.running ?? undefined,
        since: st?.since ?? undefined,
        latest,
      });
    }
    return out;
  }

  /** Facilities removed from the registry are forgotten (their values and raised conditions dropped). */
  follow(removedFacilityIds: Iterable<string>): void {
    for (const id of removedFacilityIds) this.states.delete(id);
  }

  /** The whole state as versioned plain JSON (a deep copy). */
  snapshot(): FacilitySnapshot {
    return structuredClone({
      version: FACILITY_STATE_VERSION,
      facilities: Object.fromEntries(this.states),
      loggers: Object.fromEntries(this.loggers),
      outlets: Object.fromEntries(this.outlets),
    });
  }

  /** Replaces the state with the snapshot's; throws RuleStateError if it is not one. */
  restore(snapshot: unknown): void {
    const parsed = facilitySnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new RuleStateError(`cannot restore facility state: ${formatZodIssues(parsed.error)}`, { cause: parsed.error });
    }
    this.states = new Map(Object.entries(parsed.data.facilities));
    this.loggers = new Map(Object.entries(parsed.data.loggers));
    this.outlets = new Map(Object.entries(parsed.data.outlets));
  }

  /**
   * The part of the state kept with one source (issue 15: saved source by source): its logger clock,
   * its latest NOx as an outlet, and the facilities homed on it (whose findings name it).
   */
  sourcePart(mn: string): FacilityPart {
    const facilities: Record<string, FacilityState> = {};
    for (const f of this.indexNow().homedOn(mn)) {
      const st = this.states.get(f.id);
      if (st) facilities[f.id] = st;
    }
    return { logger: this.loggers.get(mn) ?? null, outlet: this.outlets.get(mn) ?? null, facilities };
  }

  /** Replaces one source's part with a saved (parsed) one. */
  restoreSourcePart(mn: string, part: FacilityPart): void {
    this.forgetSource(mn);
    if (part.logger) this.loggers.set(mn, part.logger);
    if (part.outlet) this.outlets.set(mn, part.outlet);
    for (const [id, st] of Object.entries(part.facilities)) this.states.set(id, st);
  }

  /** Forgets one source's part (its partition went to another worker). */
  forgetSource(mn: string): void {
    this.loggers.delete(mn);
    this.outlets.delete(mn);
    for (const f of this.indexNow().homedOn(mn)) this.states.delete(f.id);
  }

  private indexNow(): FacilityIndex {
    const facilities = this.lookup.facilities();
    if (this.index?.facilities !== facilities) this.index = new FacilityIndex(facilities);
    return this.index;
  }

  /** Each valid signal of a facility on this logger's channel becomes its latest of that family. */
  private takeSignals(index: FacilityIndex, reading: Reading, now: number): void {
    for (const [code, fv] of Object.entries(reading.factors)) {
      const signal = parseSignalCode(code);
      const f = signal && index.onChannel(reading.mn, signal.channel);
      const value = fv && isValidFlag(fv.flag) ? primaryValue(reading.cn, fv) : undefined;
      if (!f || value === undefined) continue;
      const st = this.states.get(f.id) ?? emptyFacilityState();
      this.states.set(f.id, { ...st, latest: { ...st.latest, [signal.family.family]: { value, ts: reading.ts, at: now } } });
    }
  }

  /** An outlet's valid NOx, compared as its limit says (the rule engine's effective limits and conversion). */
  private takeNox(index: FacilityIndex, reading: Reading, now: number): void {
    const fv = reading.factors[NOX];
    if (!index.isOutlet(reading.mn) || !fv || !isValidFlag(fv.flag)) return;
    const subject = this.lookup.subject(reading.mn, reading.ts);
    const limit = subject?.limits[NOX];
    if (!subject || limit?.max === undefined) return;
    const compared = comparedValue(reading, NOX, limit, subject.source.o2Ref, subject.params.o2Conversion.measuredCap);
    if (compared === undefined) return;
    this.outlets.set(reading.mn, { value: compared.value, limit: limit.max, o2Converted: compared.o2Converted, ts: reading.ts, at: now });
  }

  /** Logger time now: its latest sample time plus the engine time since it arrived. */
  private loggerTime(mn: string, now: number): number | undefined {
    const clock = this.loggers.get(mn);
    return clock && clock.ts + (now - clock.at);
  }

  /** A facility's time: its key's logger's, else (that logger silent) the first of its meters' loggers that has one. */
  private facilityTime(index: FacilityIndex, f: Facility, key: FacilityKey, now: number): number | undefined {
    const own = this.loggerTime(key.mn, now);
    if (own !== undefined) return own;
    for (const m of index.metersOf(f.id)) {
      const at = m.mn === undefined ? undefined : this.loggerTime(m.mn, now);
      if (at !== undefined) return at;
    }
    return undefined;
  }

  private freshMs(mn: string, at: number): number {
    return 2 * (this.lookup.subject(mn, at)?.source.intervalS ?? 30) * 1000;
  }

  /** Running states first (every facility of the enterprise), then start-order on the transitions, then the sustained rules. */
  private judgeEnterprise(index: FacilityIndex, enterpriseId: string, now: number, fromMn: string | undefined): Finding[] {
    const views = new Map<string, FacilityView>();
    const transitions = new Map<string, Transition>();
    for (const f of index.ofEnterprise(enterpriseId)) {
      const key = index.keyOf(f);
      const at = key && this.facilityTime(index, f, key, now);
      if (!key || at === undefined) continue;
      const st = this.states.get(f.id) ?? emptyFacilityState();
      const values = this.freshValues(index, f, st, now, at);
      const running = runningOf(f, values);
      let since = st.since;
      if (running !== st.running) {
        if (running !== null && st.running !== null) transitions.set(f.id, { to: running, at });
        since = running === null ? null : at;
        this.states.set(f.id, { ...st, running, since });
      }
      views.set(f.id, { facility: f, running, since, values });
    }
    const out: Finding[] = [];
    for (const [id, t] of transitions) out.push(...this.judgeOrder(index, views, id, t));
    for (const view of views.values()) out.push(...this.judgeSustained(index, views, view, now, fromMn));
    return out;
  }

  /**
   * A facility's own fresh values (its logger's); without a fresh power of its own, the fresh power of
   * the meters serving it stands for it (their sum, at the latest of their sample times).
   */
  private freshValues(index: FacilityIndex, f: Facility, st: FacilityState, now: number, at: number): FreshValues {
    const values: FreshValues = {};
    const freshMs = f.mn === undefined ? 0 : this.freshMs(f.mn, at);
    for (const [family, s] of Object.entries(st.latest)) {
      if (now - s.at <= freshMs) values[family as SignalFamilyKey] = { value: s.value, ts: s.ts };
    }
    if (values[SIGNAL.power]) return values;
    const metered = this.meteredPower(index, f, (m, s) => m.mn !== undefined && now - s.at <= this.freshMs(m.mn, at));
    if (metered) values[SIGNAL.power] = metered;
    return values;
  }

  /** The summed power of the meters serving a facility whose latest power passes `use`; undefined when none does. */
  private meteredPower(index: FacilityIndex, f: Facility, use: (meter: Facility, s: SignalSample) => boolean): FreshSample | undefined {
    const read: [Facility, SignalSample][] = [];
    for (const m of index.metersOf(f.id)) {
      const s = this.states.get(m.id)?.latest[SIGNAL.power];
      if (s && use(m, s)) read.push([m, s]);
    }
    if (read.length === 0) return undefined;
    const value = read.reduce((sum, [, s]) => sum + s.value, 0);
    const ts = Math.max(...read.map(([, s]) => s.ts));
    const meters = read.map(([m]) => m);
    return { value, ts, ...meterSample(meters) };
  }

  private paramsOf(f: Facility, at: number): RuleParams | undefined {
    const mn = f.mn ?? this.index?.keyOf(f)?.mn;
    return mn === undefined ? undefined : this.lookup.subject(mn, at)?.params;
  }

  /** start-order on a line starting (each treatment facility serving it) or a treatment facility stopping. */
  private judgeOrder(index: FacilityIndex, views: Map<string, FacilityView>, id: string, t: Transition): Finding[] {
    const moved = views.get(id);
    if (!moved) return [];
    const pairs: [FacilityView, OrderVerdict | undefined][] = [];
    for (const treatment of index.servedBy(id)) {
      const tv = views.get(treatment.id);
      const params = tv && this.paramsOf(tv.facility, t.at);
      if (tv && params) pairs.push([tv, onLineStart(tv, moved, t, params)]);
    }
    const line = moved.facility.serves === undefined ? undefined : views.get(moved.facility.serves);
    const params = this.paramsOf(moved.facility, t.at);
    if (line && params) pairs.push([moved, onTreatmentStop(moved, line, t, params)]);
    return pairs.flatMap(([tv, verdict]) => this.applyOrder(index.keyOf(tv.facility), tv, verdict, t.at));
  }

  private applyOrder(key: FacilityKey | undefined, view: FacilityView, verdict: OrderVerdict | undefined, at: number): Finding[] {
    const f = view.facility;
    if (!verdict || !key) return [];
    const st = this.states.get(f.id) ?? emptyFacilityState();
    const cond = st.conditions[START_ORDER_RULE] ?? NO_CONDITION;
    if (verdict.kind === 'inOrder') {
      if (!cond.active || cond.factor === null) return [];
      this.setCondition(f.id, START_ORDER_RULE, NO_CONDITION);
      return [{ type: 'normal', mn: key.mn, factor: cond.factor, rule: START_ORDER_RULE, value: cond.value ?? 0, ts: at }];
    }
    const factor = cond.active && cond.factor !== null ? cond.factor : signalCode(verdict.family, key.channel);
    this.setCondition(f.id, START_ORDER_RULE, { since: at, active: true, factor, value: verdict.value });
    const severity = this.paramsOf(f, at)?.startOrder.severity ?? 'warning';
    const { value, limit } = verdict;
    const evidence = { ...verdict.evidence, ...meterEvidence(view.values[verdict.family]) };
    return [{ type: 'exceeded', mn: key.mn, factor, rule: START_ORDER_RULE, severity, value, limit, unit: 's', ts: at, evidence }];
  }

  private judgeSustained(
    index: FacilityIndex,
    views: Map<string, FacilityView>,
    self: FacilityView,
    now: number,
    fromMn: string | undefined,
  ): Finding[] {
    const f = self.facility;
    const key = index.keyOf(f);
    if (!key) return [];
    const at = this.facilityTime(index, f, key, now) ?? now;
    const params = this.paramsOf(f, at);
    if (!params) return [];
    const served = f.serves === undefined ? undefined : views.get(f.serves);
    const outlets = (f.outletMns ?? []).flatMap((mn) => {
      const nox = this.outlets.get(mn);
      return nox && now - nox.at <= this.freshMs(mn, at) ? [{ ...nox, mn }] : [];
    });
    const input = { self, served, outlets, params, at };
    const out: Finding[] = [];
    for (const rule of SUSTAINED_RULES) {
      const st = this.states.get(f.id) ?? emptyFacilityState();
      const cond = st.conditions[rule.rule] ?? NO_CONDITION;
      const step = sustain(key, cond, rule, input, fromMn === key.mn);
      if (step.cond !== cond) this.setCondition(f.id, rule.rule, step.cond);
      out.push(...step.findings);
    }
    return out;
  }

  private setCondition(id: string, rule: string, cond: Condition): void {
    const st = this.states.get(id) ?? emptyFacilityState();
    this.states.set(id, { ...st, conditions: { ...st.conditions, [rule]: cond } });
  }
}
