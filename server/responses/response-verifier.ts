/**
 * Verifying the responses as hours close (issue 18 item 4), ticked like the ambient alerts: once
 * an hour has ended (+ the rule pack's limitHour.graceS), every active response's required
 * measures are judged on it (`judgeMeasureHour`) where the hour lies inside the response's period
 * and the measure's daily window; the judged hours are saved with how far the response was judged
 * (restart-safe), the streaks fold from them (`failStreak`), and at `failHours` failed hours in a
 * row a `measure-noncompliance` alert opens through the alert sink, with a notice to the
 * enterprise; a passing hour makes it normal. An ended response is judged no further.
 *
 * A power-data import (the grid company's file, days later) for hours already judged has them
 * judged again (`rejudge`): the measures whose line power it covers, each hour's verdict replaced,
 * and the alert raised or cleared as of the last hour judged again (an active response).
 */
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { HOUR_MS, hourStartOf } from '../domain/local-time';
import type { ReductionEntry, ReductionList } from '../domain/reduction-list';
import { judgeMeasureHour } from '../domain/reduction-verify';
import type { ImportedSeries, PowerImportLog } from '../storage/sql/power-import-log';
import type { RegistryView } from '../domain/registry-view';
import { hourApplies, summarise, type JudgedHour, type MeasureVerification, type ReductionResponse } from '../domain/response';
import type { EventBus } from '../domain/internal-events';
import type { Logger } from '../logger';
import type { ResponseStore } from '../storage/sql/response-store';
import type { TelemetryStore } from '../storage/telemetry-store';
import { Ticked } from '../ticked-job';
import { gatherMeasureHour, hourContext, powerCovered, type HourContext } from './measure-hour';
import { measureFindings } from './noncompliance';
import type { ResponseNotice } from './response-notice';
import type { ListSource } from './response-service';

/** At most this many closed hours are judged per response in one tick (catching up after an outage). */
export const MAX_CATCH_UP_HOURS = 24;

export interface VerifierDeps {
  store: ResponseStore;
  lists: Pick<ListSource, 'get'> & { get(enterpriseId: string, year: number, version?: number): Promise<ReductionList | null> };
  telemetry: TelemetryStore;
  /** Which hours of which power signals came from a power-data import. */
  imports: Pick<PowerImportLog, 'overlapping'>;
  registry: RegistryView;
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  notify: (enterpriseId: string, notice: ResponseNotice) => void;
  events: EventBus;
  failHours: number;
  baselineDays: number;
  minHourCoverage: number;
  utcOffsetMinutes: number;
  graceMs: () => number;
  tickMs: number;
  /** The timer judges only while this says so (a cluster's jobs lease: one process of the cluster); `tick()` always runs. */
  when?: () => boolean;
  log: Logger;
  now: () => number;
}

export class ResponseVerifier extends Ticked {
  constructor(private readonly deps: VerifierDeps) {
    super({ name: 'responses', everyMs: deps.tickMs, log: deps.log, when: deps.when });
  }

  /** Judges the hours closed since the last tick. */
  protected async run(): Promise<void> {
    const closedUntil = hourStartOf(this.deps.now() - this.deps.graceMs(), this.deps.utcOffsetMinutes);
    for (const r of await this.deps.store.list({ status: 'active' })) await this.judge(r, closedUntil);
  }

  private async judge(r: ReductionResponse, closedUntil: number): Promise<void> {
    const first = Math.max(r.judgedUntil, closedUntil - MAX_CATCH_UP_HOURS * HOUR_MS);
    const until = closedUntil;
    if (until <= first) return;
    const ctx = await this.contextOf(r, first, until);
    const judged: JudgedHour[] = [];
    const entriesOf = await this.entries(r);
    for (const e of r.enterprises) {
      const entries = entriesOf.get(e.enterpriseId) ?? new Map<string, ReductionEntry>();
      for (const m of e.measures) {
        const entry = entries.get(m.entryId);
        if (m.obligation !== 'required' || !entry) continue;
        judged.push(...(await this.hoursOf(ctx, r, e.enterpriseId, m, entry, first, until)));
      }
    }
    await this.deps.store.recordHours(r.id, judged, until);
    if (judged.length === 0) return;
    const after = (await this.deps.store.get(r.id)) as ReductionResponse;
    this.raise(after, judged, entriesOf);
    this.deps.events.emit('response:changed', after);
  }

  /**
   * A power-data import landed: the hours it covers that were judged already, of every response
   * whose measures read a power signal it covers, are judged again on the imported data.
   */
  async rejudge(series: readonly ImportedSeries[], landed: readonly Reading[] = []): Promise<number> {
    if (series.length === 0) return 0;
    const from = Math.min(...series.map((s) => s.from));
    const to = Math.max(...series.map((s) => s.to));
    let rejudged = 0;
    for (const r of await this.deps.store.list()) {
      const first = Math.max(r.startAt, hourStartOf(from, this.deps.utcOffsetMinutes));
      const until = Math.min(r.judgedUntil, r.endAt ?? r.judgedUntil, to);
      if (until <= first) continue;
      const ctx = { ...(await this.contextOf(r, first, until)), landed };
      const entriesOf = await this.entries(r);
      const judged: JudgedHour[] = [];
      for (const e of r.enterprises)
        for (const m of e.measures) {
          const entry = entriesOf.get(e.enterpriseId)?.get(m.entryId);
          if (m.obligation !== 'required' || !entry || !powerCovered(m.measure, ctx.facilities, series)) continue;
          judged.push(...(await this.hoursOf(ctx, r, e.enterpriseId, m, entry, first, until)));
        }
      if (judged.length === 0) continue;
      await this.deps.store.rejudgeHours(r.id, judged);
      rejudged += judged.length;
      const after = (await this.deps.store.get(r.id)) as ReductionResponse;
      if (after.status === 'active') await this.raiseAsOf(after, judged, entriesOf);
      this.deps.events.emit('response:changed', after);
    }
    return rejudged;
  }

  /** How the hours [first, until) of a response are read (the effect report reads its rates and baselines the same way). */
  contextOf(r: Pick<ReductionResponse, 'startAt'>, first: number, until: number): Promise<HourContext> {
    return hourContext(this.deps, { baselineDays: this.deps.baselineDays, responseStart: r.startAt, first, until });
  }

  /** One measure's closed hours in [first, until) that it applies to, judged. */
  private async hoursOf(
    ctx: HourContext,
    r: ReductionResponse,
    enterpriseId: string,
    m: ReductionResponse['enterprises'][number]['measures'][number],
    entry: ReductionEntry,
    first: number,
    until: number,
  ): Promise<JudgedHour[]> {
    const out: JudgedHour[] = [];
    for (let hour = first; hour < until; hour += HOUR_MS) {
      if (!hourApplies(hour, r, m.measure.window, this.deps.utcOffsetMinutes)) continue;
      const v = judgeMeasureHour(entry, m.measure, await gatherMeasureHour(ctx, entry, m.measure, hour));
      if (v.verdict === 'none') continue;
      out.push({ responseId: r.id, enterpriseId, entryId: m.entryId, hour, level: r.level, verdict: v.verdict, checks: v.checks });
    }
    return out;
  }

  /** After judging again: each measure's verification folded up to its last hour judged again, raised from there. */
  private async raiseAsOf(r: ReductionResponse, judged: readonly JudgedHour[], entriesOf: Map<string, Map<string, ReductionEntry>>) {
    const stored = await this.deps.store.hours(r.id);
    for (const e of r.enterprises)
      for (const m of e.measures) {
        const mine = judged.filter((h) => h.enterpriseId === e.enterpriseId && h.entryId === m.entryId);
        const entry = entriesOf.get(e.enterpriseId)?.get(m.entryId);
        const last = mine[mine.length - 1]?.hour;
        if (last === undefined || !entry) continue;
        const before = summarise(
          m.entryId,
          stored.filter((h) => h.enterpriseId === e.enterpriseId && h.entryId === m.entryId && h.hour <= last),
        );
        this.raiseMeasure(r, e, m, entry, before, mine);
      }
  }

  /** The list entries each enterprise's measures were resolved from, by enterprise and entry id. */
  async entries(r: ReductionResponse): Promise<Map<string, Map<string, ReductionEntry>>> {
    const out = new Map<string, Map<string, ReductionEntry>>();
    for (const e of r.enterprises) {
      if (!e.list) continue;
      const list = await this.deps.lists.get(e.enterpriseId, e.list.year, e.list.version);
      out.set(e.enterpriseId, new Map((list?.entries ?? []).map((x) => [x.id, x])));
    }
    return out;
  }

  /** A response ended: its measures' open non-compliance alerts return to normal (nothing is asked any more). */
  async ended(r: ReductionResponse): Promise<void> {
    const { facilities = [] } = this.deps.registry.current();
    const entriesOf = await this.entries(r);
    for (const e of r.enterprises)
      for (const v of e.verification) {
        const m = e.measures.find((x) => x.entryId === v.entryId);
        if (!m || v.lastHour === null || v.lastChecks.length === 0) continue;
        const entry = entriesOf.get(e.enterpriseId)?.get(v.entryId);
        if (!entry) continue;
        const state = { enterpriseId: e.enterpriseId, entry, resolved: m, level: r.level, responseId: r.id, failedHours: [] };
        const findings = measureFindings(
          { ...state, lastVerdict: 'pass', lastChecks: v.lastChecks, lastHour: v.lastHour },
          this.deps.failHours,
          facilities,
        );
        if (findings.length > 0) this.deps.sink.apply(findings, e.enterpriseId);
      }
  }

  /** The findings of each measure judged this tick, and a notice on a new non-compliance. */
  private raise(r: ReductionResponse, judged: readonly JudgedHour[], entriesOf: Map<string, Map<string, ReductionEntry>>): void {
    for (const e of r.enterprises) {
      for (const v of e.verification) {
        const mine = judged.filter((h) => h.enterpriseId === e.enterpriseId && h.entryId === v.entryId);
        const m = e.measures.find((x) => x.entryId === v.entryId);
        const entry = entriesOf.get(e.enterpriseId)?.get(v.entryId);
        if (mine.length === 0 || !m || !entry) continue;
        this.raiseMeasure(r, e, m, entry, v, mine);
      }
    }
  }

  /** One measure's findings as of its verification `v`; the notice goes once, when the streak reaches failHours in `mine`. */
  private raiseMeasure(
    r: ReductionResponse,
    e: ReductionResponse['enterprises'][number],
    m: ReductionResponse['enterprises'][number]['measures'][number],
    entry: ReductionEntry,
    v: MeasureVerification,
    mine: readonly JudgedHour[],
  ): void {
    if (v.lastHour === null || v.lastVerdict === null) return;
    const { facilities = [] } = this.deps.registry.current();
    const failedHours = Array.from({ length: v.streak }, (_, i) => (v.lastHour as number) - (v.streak - 1 - i) * HOUR_MS);
    const findings = measureFindings(
      {
        enterpriseId: e.enterpriseId,
        entry,
        resolved: m,
        level: r.level,
        responseId: r.id,
        failedHours,
        lastVerdict: v.lastVerdict,
        lastChecks: v.lastChecks,
        lastHour: v.lastHour,
      },
      this.deps.failHours,
      facilities,
    );
    if (findings.length > 0) this.deps.sink.apply(findings, e.enterpriseId);
    const reached = v.lastVerdict === 'fail' && v.streak >= this.deps.failHours && v.streak - countFails(mine) < this.deps.failHours;
    if (reached)
      this.deps.notify(e.enterpriseId, {
        kind: 'noncompliance',
        responseId: r.id,
        level: r.level,
        name: e.name,
        measure: m.name,
        hours: failedHours,
      });
  }
}

const countFails = (hours: readonly JudgedHour[]): number => {
  let n = 0;
  for (let i = hours.length - 1; i >= 0 && hours[i]?.verdict === 'fail'; i--) n++;
  return n;
};
