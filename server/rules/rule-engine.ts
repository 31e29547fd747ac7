/**
 * The rule engine: per-source state and dispatch to the pure evaluators, one file per rule kind.
 * onReading(reading, now) and tick(now) return findings; the engine does no I/O and reads no
 * clock — `now` is passed in (the arrival time, on the engine's clock; readings carry their own
 * ts, the logger's). snapshot()/restore() carry the state (hour and day windows, counters,
 * consecutive days, raised conditions) across a restart as versioned plain JSON.
 */
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import type { Limit, Source } from '../domain/registry';
import type { RulePack, RuleParams } from '../domain/rule-pack';
import { alRatioStep, alRatioTick } from './al-ratio-rule';
import { bypassStep } from './bypass-rule';
import { copiedDataStep, copyIndexFor, type CopyIndex } from './copied-data-rule';
import { dustHourClosed, dustQuarterStep, dustQuarterTick } from './dust-mean-rule';
import { flareTemperatureStep, flareTemperatureTick } from './flare-temperature-rule';
import { flatLineStep } from './flat-line-rule';
import { hourWindowStep, hourWindowTick, type ClosedHour, type HourState, type HourStep } from './hour-window';
import { instrumentFaultStep } from './instrument-fault-rule';
import { addHourToDay, dayCloseByReading, dayCloseByTick, type DayState } from './limit-day-rule';
import { judgeHour } from './limit-hour-rule';
import { limitInstantStep, limitInstantTick } from './limit-instant-rule';
import { maintenanceFlagStep } from './maintenance-flag-rule';
import { offlineOnReading, offlineTick } from './offline-rule';
import { overRangeStep } from './over-range-rule';
import { hourRate, judgeEfficiency } from './removal-efficiency-rule';
import { freshMs, isSample, type RuleContext, type Step } from './rule-context';
import {
  emptySourceState,
  RULE_STATE_VERSION,
  ruleStateSnapshotSchema,
  sourceStateSchema,
  type HourRate,
  type RuleStateSnapshot,
  type SourceState,
} from './rule-state';
import { tankPressureStep, tankPressureTick } from './tank-pressure-rule';
import { nearLimitStep } from './near-limit-rule';
import { stepDropNote, stepDropStep } from './step-drop-rule';
import { o2AmbientStep } from './o2-ambient-rule';
import { zsMismatchStep } from './zs-mismatch-rule';
import { formatZodIssues } from '../domain/zod-issues';

/** What the engine needs to know about a source: itself, its effective limits and rule parameters. */
export interface RuleSubject {
  source: Source;
  /** effectiveLimits(source, limitPack, day): the pack's defaults, the source's own limits in force that local day. */
  limits: Record<string, Limit>;
  /** effectiveRuleParams(source, rulePack, overrides). */
  params: RuleParams;
}
/** A source's subject at `at` (epoch ms: its local day decides which dated limits are in force). */
export type RuleLookup = (mn: string, at: number) => RuleSubject | undefined;

/** A snapshot that cannot be restored (malformed, or written by another state version). */
export class RuleStateError extends Error {
  override name = 'RuleStateError';
}

const dayOf = (st: SourceState): DayState => ({ window: st.day, closedUntil: st.dayClosedUntil });
// The `with…` helpers return the state itself when nothing moved: the clock's tick passes over a
// province's 20,000 sources every few seconds, and most of them have nothing due.
const withDay = (st: SourceState, d: DayState): SourceState =>
  d.window === st.day && d.closedUntil === st.dayClosedUntil ? st : { ...st, day: d.window, dayClosedUntil: d.closedUntil };
const hourOf = (st: SourceState): HourState => ({ window: st.hour, prev: st.hourPrev, closedUntil: st.hourClosedUntil });
const withHour = (st: SourceState, h: HourStep): SourceState =>
  h.state.window === st.hour && h.state.prev === st.hourPrev && h.state.closedUntil === st.hourClosedUntil
    ? st
    : { ...st, hour: h.state.window, hourPrev: h.state.prev, hourClosedUntil: h.state.closedUntil };

/** Adds findings to `out` (a loop: no spread call per step). */
function pushAll(out: Finding[], findings: readonly Finding[]): void {
  for (let i = 0; i < findings.length; i++) out.push(findings[i]!);
}

/** Collects a step's findings into `out` and returns its state. */
function take<S>(out: Finding[], step: Step<S>): S {
  pushAll(out, step.findings);
  return step.state;
}

export class RuleEngine {
  private readonly states = new Map<string, SourceState>();
  /** Outlets by the inlet they name (removal efficiency), learnt from the outlets' readings. */
  private readonly outletsByInlet = new Map<string, Set<string>>();
  private readonly contexts = new WeakMap<RuleSubject, RuleContext>();
  /** copied-data's window index per source: bounded, mutable, not in the snapshot (learnt afresh). */
  private readonly copies = new Map<string, CopyIndex>();
  /** Sources whose state changed since takeTouched(): a reading, or a tick that closed an hour or found something. */
  private touched = new Set<string>();

  /** `expectedMns`: sources to watch for being offline before their first reading (the registry). */
  constructor(
    private readonly pack: RulePack,
    private readonly lookup: RuleLookup,
    private readonly startedAt: number,
    expectedMns: Iterable<string> = [],
  ) {
    for (const mn of expectedMns) this.states.set(mn, emptySourceState());
  }

  static restore(snapshot: unknown, pack: RulePack, lookup: RuleLookup, startedAt: number, expectedMns: Iterable<string> = []): RuleEngine {
    const engine = new RuleEngine(pack, lookup, startedAt, expectedMns);
    engine.restore(snapshot);
    return engine;
  }

  onReading(reading: Reading, now: number): Finding[] {
    // A file import's readings are historical (delivered later, judged by the import's own judge):
    // they prove nothing about the logger now (offline) and do not belong in its live windows.
    if (reading.origin === 'import') return [];
    const ctx = this.contextOf(reading.mn, reading.ts);
    if (!ctx) return [];
    this.noteOutlet(ctx.source);
    const out: Finding[] = [];
    // The source's own state, updated in place (see sourceState): a copy of its two dozen fields
    // per reading was a fifth of what the engine allocated.
    let st = this.states.get(reading.mn);
    if (st === undefined) this.states.set(reading.mn, (st = emptySourceState()));
    const off = take(out, offlineOnReading(st, now, reading.mn));
    st.lastSeenAt = off.lastSeenAt;
    st.offline = off.offline;
    st.offlineCritical = off.offlineCritical ?? false;
    st.realtime = st.realtime || reading.cn === '2011';
    const h = hourWindowStep(hourOf(st), reading, ctx);
    st.hour = h.state.window;
    st.hourPrev = h.state.prev;
    st.hourClosedUntil = h.state.closedUntil;
    for (const closed of h.closed) this.onHourClosed(st, closed, this.contextOf(reading.mn, closed.start) ?? ctx, out);
    const day = take(out, dayCloseByReading(dayOf(st), reading.ts, ctx));
    st.day = day.window;
    st.dayClosedUntil = day.closedUntil;
    st.dust = take(out, dustQuarterStep(st.dust, reading, ctx));
    if (isSample(reading.cn, st.realtime)) this.onSample(st, reading, now, ctx, out);
    if (out.length > 0) st.stepDrop = stepDropNote(st.stepDrop, out, ctx);
    this.touched.add(reading.mn);
    return out;
  }

  /**
   * Time-driven rules at `now`. `owned` (ingest workers, rules-service.ts): only the sources whose
   * `ownedSince` is not null are judged, and a source's silence counts from then at the earliest;
   * absent: every source since the engine started.
   */
  tick(now: number, owned?: { ownedSince(mn: string): number | null }): Finding[] {
    return this.tickSources(this.states.keys(), now, owned);
  }

  /** The sources watched now (the clock's tick may judge them a slice at a time: `tickSources`). */
  watched(): string[] {
    return [...this.states.keys()];
  }

  /** `tick` for these sources only (one no longer watched is passed over). */
  tickSources(mns: Iterable<string>, now: number, owned?: { ownedSince(mn: string): number | null }): Finding[] {
    const out: Finding[] = [];
    for (const mn of mns) {
      const before = this.states.get(mn);
      if (before === undefined) continue;
      const since = owned ? owned.ownedSince(mn) : this.startedAt;
      if (since === null) continue;
      const ctx = this.contextOf(mn, now);
      if (!ctx) continue;
      let st = before;
      const from = out.length;
      const h = hourWindowTick(hourOf(st), now, ctx);
      st = withHour(st, h);
      if (h.closed.length > 0 && st === before) st = { ...st }; // onHourClosed fills a copy
      for (const closed of h.closed) this.onHourClosed(st, closed, this.contextOf(mn, closed.start) ?? ctx, out);
      st = withDay(st, take(out, dayCloseByTick(dayOf(st), now, ctx)));
      const dust = take(out, dustQuarterTick(st.dust, now, ctx));
      if (dust !== st.dust) st = { ...st, dust };
      const fresh = freshMs(ctx.source);
      const off = take(
        out,
        offlineTick(
          { lastSeenAt: st.lastSeenAt, offline: st.offline, offlineCritical: st.offlineCritical },
          now,
          Math.max(this.startedAt, since),
          ctx,
        ),
      );
      const al = take(out, alRatioTick(st.al, now, ctx));
      const instant = take(out, limitInstantTick(st.instant, now, ctx, fresh));
      const tank = take(out, tankPressureTick(st.tank, now, ctx, fresh));
      const flare = take(out, flareTemperatureTick(st.flare, now, ctx, fresh));
      const same =
        off.lastSeenAt === st.lastSeenAt &&
        off.offline === st.offline &&
        off.offlineCritical === st.offlineCritical &&
        al === st.al &&
        instant === st.instant &&
        tank === st.tank &&
        flare === st.flare;
      if (!same) st = { ...st, ...off, al, instant, tank, flare };
      if (out.length > from) st = { ...st, stepDrop: stepDropNote(st.stepDrop, out.slice(from), ctx) };
      this.states.set(mn, st);
      if (out.length > from || h.closed.length > 0) this.touched.add(mn);
    }
    return out;
  }

  /** The whole state as versioned plain JSON (a deep copy). */
  snapshot(): RuleStateSnapshot {
    return structuredClone({ version: RULE_STATE_VERSION, sources: Object.fromEntries(this.states) });
  }

  /** Replaces the state of every source in the snapshot; throws RuleStateError if it is not one. */
  restore(snapshot: unknown): void {
    const parsed = ruleStateSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new RuleStateError(`cannot restore rule state: ${formatZodIssues(parsed.error)}`, { cause: parsed.error });
    }
    for (const [mn, st] of Object.entries(parsed.data.sources)) {
      this.states.set(mn, st);
      const subject = this.lookup(mn, this.startedAt);
      if (subject) this.noteOutlet(subject.source);
    }
  }

  /** The sources the engine keeps state of. */
  mns(): IterableIterator<string> {
    return this.states.keys();
  }

  /**
   * One source's state: the engine's own, which a reading updates in place (a tick may replace it).
   * Encode it before the next reading (the saver does, synchronously); `snapshot()` is a copy.
   */
  sourceState(mn: string): SourceState | undefined {
    return this.states.get(mn);
  }

  /** Replaces one source's state with a saved one; throws RuleStateError if it is not one. */
  restoreSource(mn: string, saved: unknown): void {
    const parsed = sourceStateSchema.safeParse(saved);
    if (!parsed.success) {
      throw new RuleStateError(`cannot restore the rule state of ${mn}: ${formatZodIssues(parsed.error)}`, { cause: parsed.error });
    }
    this.states.set(mn, parsed.data);
    const subject = this.lookup(mn, this.startedAt);
    if (subject) this.noteOutlet(subject.source);
  }

  /** Starts these sources afresh (still watched): their partition went to another worker, or has no saved state. */
  reset(mns: Iterable<string>): void {
    for (const mn of mns) {
      this.states.set(mn, emptySourceState());
      this.copies.delete(mn);
      this.touched.delete(mn);
    }
  }

  /** The sources whose state changed since the last call (see `touched`). */
  takeTouched(): Set<string> {
    const out = this.touched;
    this.touched = new Set();
    return out;
  }

  /**
   * Sources added to the registry are watched (offline before a first reading) like those known at
   * start; removed ones are forgotten (their windows, counters and raised conditions dropped).
   */
  follow(mns: Iterable<string>, removed: Iterable<string>): void {
    for (const mn of mns) if (!this.states.has(mn)) this.states.set(mn, emptySourceState());
    for (const mn of removed) {
      this.states.delete(mn);
      this.touched.delete(mn);
      this.copies.delete(mn);
      this.outletsByInlet.delete(mn);
      for (const outlets of this.outletsByInlet.values()) outlets.delete(mn);
    }
  }

  /** One context per subject object (the lookup returns a new one when a source's rules change). */
  private contextOf(mn: string, at: number): RuleContext | undefined {
    const subject = this.lookup(mn, at);
    if (!subject) return undefined;
    let ctx = this.contexts.get(subject);
    if (!ctx) this.contexts.set(subject, (ctx = { ...subject, utcOffsetMinutes: this.pack.utcOffsetMinutes }));
    return ctx;
  }

  private noteOutlet(source: Source): void {
    if (!source.inletMn) return;
    const outlets = this.outletsByInlet.get(source.inletMn) ?? new Set<string>();
    outlets.add(source.mn);
    this.outletsByInlet.set(source.inletMn, outlets);
  }

  /** A closed hour's rules, their results written into `st` (the source's state, or a copy the caller holds). */
  private onHourClosed(st: SourceState, closed: ClosedHour, ctx: RuleContext, out: Finding[]): void {
    pushAll(out, judgeHour(closed, ctx));
    st.dust = take(out, dustHourClosed(st.dust, closed, ctx));
    const day = take(out, addHourToDay(dayOf(st), closed, ctx));
    st.day = day.window;
    st.dayClosedUntil = day.closedUntil;
    const rate = hourRate(closed);
    pushAll(out, this.efficiency(ctx, rate));
    st.rate = rate;
  }

  /** Removal efficiency once both ends of a pair have closed the same hour (whichever closes second). */
  private efficiency(ctx: RuleContext, rate: HourRate | null): Finding[] {
    if (!rate) return [];
    const { source } = ctx;
    if (source.inletMn) {
      const inlet = this.states.get(source.inletMn)?.rate;
      return inlet ? judgeEfficiency(inlet, rate, ctx, source.inletMn) : [];
    }
    if (source.position !== 'inlet') return [];
    return [...(this.outletsByInlet.get(source.mn) ?? [])].flatMap((mn) => {
      const outletCtx = this.contextOf(mn, rate.hourStart);
      const outlet = this.states.get(mn)?.rate;
      return outletCtx && outlet ? judgeEfficiency(rate, outlet, outletCtx, source.mn) : [];
    });
  }

  /** The sample rules, their states written into `st` (the source's state). */
  private onSample(st: SourceState, reading: Reading, now: number, ctx: RuleContext, out: Finding[]): void {
    if (ctx.params.copiedData.kinds.includes(ctx.source.kind)) {
      const was = this.copies.get(reading.mn);
      const index = copyIndexFor(was, ctx);
      if (index !== was) this.copies.set(reading.mn, index);
      pushAll(out, copiedDataStep(index, reading, ctx));
    }
    st.faults = take(out, instrumentFaultStep(st.faults, reading));
    st.maintenance = take(out, maintenanceFlagStep(st.maintenance, reading));
    st.overRange = take(out, overRangeStep(st.overRange, reading, ctx));
    st.instant = take(out, limitInstantStep(st.instant, reading, now, ctx));
    st.flat = take(out, flatLineStep(st.flat, reading, ctx));
    st.al = take(out, alRatioStep(st.al, reading, ctx));
    st.tank = take(out, tankPressureStep(st.tank, reading, now, ctx));
    st.bypass = take(out, bypassStep(st.bypass, reading, now, ctx));
    st.flare = take(out, flareTemperatureStep(st.flare, reading, now, ctx));
    st.zsMismatch = take(out, zsMismatchStep(st.zsMismatch, reading, ctx));
    st.o2Ambient = take(out, o2AmbientStep(st.o2Ambient, reading, ctx));
    st.nearLimit = take(out, nearLimitStep(st.nearLimit, reading, ctx));
    st.stepDrop = take(out, stepDropStep(st.stepDrop, reading, ctx));
  }
}
