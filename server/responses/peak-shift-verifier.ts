/**
 * Verifying peak-shift schedules (错峰生产, issue 18 item 4; PLANS E12) as hours close, on the
 * rules' tick like the responses: every current list's entries with a period covering the last
 * closed hour are judged as a stop (`peakShiftMeasure`) on that hour and the `failHours` − 1 before
 * it inside the period, from the same data as a response's stop (line power — imported grid data
 * where a file covered it —, outlet flow, flag F); `failHours` failed hours in a row open a
 * `measure-noncompliance` alert with the evidence (the period, the hours, observed against allowed),
 * a passing hour and the period's end make it normal. The enterprise gets a notice when the alert's
 * streak is reached, once per line and period (kept in memory: a restart may send it once more). Independent of warnings and grades: the
 * schedule is the province's, not the enterprise's choice.
 *
 * No store of its own: each closed hour is judged from the telemetry, which is the record (the
 * alert keeps the evidence); how far it judged is kept in memory, so a restart judges the last
 * closed hours again (the same findings: an open alert stays open, a closed one opens again only if
 * the line still runs).
 */
import type { Finding } from '../domain/alert';
import { HOUR_MS, hourStartOf, localDate } from '../domain/local-time';
import { listStanding, type ReductionEntry, type ReductionList } from '../domain/reduction-list';
import { peakShiftAt, peakShiftMeasure } from '../domain/reduction-schedule';
import { failStreak, judgeMeasureHour, type HourVerdict } from '../domain/reduction-verify';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { PowerImportLog } from '../storage/sql/power-import-log';
import type { TelemetryStore } from '../storage/telemetry-store';
import { Ticked } from '../ticked-job';
import { gatherMeasureHour, hourContext, type HourContext } from './measure-hour';
import { measureFindings } from './noncompliance';
import type { PeakShiftNotice } from './response-notice';
import type { ListSource } from './response-service';
import { enterpriseById } from '../domain/registry';

export interface PeakShiftDeps {
  lists: ListSource;
  telemetry: TelemetryStore;
  imports: Pick<PowerImportLog, 'overlapping'>;
  registry: RegistryView;
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  /** A line found running in its stop period (the enterprise's users: email, as the responses' notices). */
  notify: (enterpriseId: string, notice: PeakShiftNotice) => void;
  failHours: number;
  minHourCoverage: number;
  utcOffsetMinutes: number;
  graceMs: () => number;
  tickMs: number;
  /** The timer judges only while this says so (a cluster's jobs lease: one process of the cluster); `tick()` always runs. */
  when?: () => boolean;
  log: Logger;
  now: () => number;
}

export class PeakShiftVerifier extends Ticked {
  private judgedUntil = 0;
  /** Lines already told, per period (`enterprise|entry|from`); forgotten when the period ends. */
  private readonly notified = new Set<string>();
  constructor(private readonly deps: PeakShiftDeps) {
    super({ name: 'peak-shift', everyMs: deps.tickMs, log: deps.log, when: deps.when });
  }

  /** Judges the hour closed since the last tick. */
  protected async run(): Promise<void> {
    const closedUntil = hourStartOf(this.deps.now() - this.deps.graceMs(), this.deps.utcOffsetMinutes);
    if (closedUntil <= this.judgedUntil) return;
    const last = closedUntil - HOUR_MS;
    const ctx = await this.context(closedUntil);
    for (const list of await this.currentLists())
      for (const entry of list.entries) {
        if ((entry.peakShift ?? []).length === 0) continue;
        const findings = await this.judgeEntry(ctx, list.enterpriseId, entry, last);
        if (findings.length > 0) this.deps.sink.apply(findings, list.enterpriseId);
      }
    this.judgedUntil = closedUntil;
  }

  /** The entry's findings after the hour starting at `last`: inside a period, or the first hour after one. */
  private async judgeEntry(ctx: HourContext, enterpriseId: string, entry: ReductionEntry, last: number): Promise<Finding[]> {
    const offset = this.deps.utcOffsetMinutes;
    const period = peakShiftAt(entry, last, offset);
    const measure = peakShiftMeasure(entry);
    const { facilities = [] } = this.deps.registry.current();
    const base = { enterpriseId, entry, resolved: { measure }, level: null, responseId: null };
    if (!period) {
      // The period ended with the hour before: what it raised returns to normal.
      const ended = peakShiftAt(entry, last - HOUR_MS, offset);
      if (!ended) return [];
      this.notified.delete(`${enterpriseId}|${entry.id}|${ended.from}`);
      const v = judgeMeasureHour(entry, measure, await gatherMeasureHour(ctx, entry, measure, last - HOUR_MS));
      const lastChecks = v.checks.map((c) => ({ ...c, verdict: 'pass' as const }));
      return measureFindings(
        { ...base, peakShift: ended, failedHours: [], lastVerdict: 'pass', lastChecks, lastHour: last },
        1,
        facilities,
      );
    }
    const hours: { hour: number; v: HourVerdict }[] = [];
    for (let k = this.deps.failHours - 1; k >= 0; k--) {
      const hour = last - k * HOUR_MS;
      if (peakShiftAt(entry, hour, offset) !== period) continue;
      hours.push({ hour, v: judgeMeasureHour(entry, measure, await gatherMeasureHour(ctx, entry, measure, hour)) });
    }
    let streak = 0;
    for (const h of hours) streak = failStreak(streak, h.v.verdict);
    const final = hours[hours.length - 1] as { hour: number; v: HourVerdict };
    if (final.v.verdict === 'none') return [];
    const failedHours = Array.from({ length: streak }, (_, i) => last - (streak - 1 - i) * HOUR_MS);
    const told = `${enterpriseId}|${entry.id}|${period.from}`;
    if (final.v.verdict === 'fail' && streak >= this.deps.failHours && !this.notified.has(told)) {
      this.notified.add(told);
      const name = enterpriseById(this.deps.registry.current().enterprises, enterpriseId)?.name ?? enterpriseId;
      this.deps.notify(enterpriseId, { kind: 'peakShift', name, entry: entry.name, from: period.from, to: period.to, hours: failedHours });
    }
    return measureFindings(
      { ...base, peakShift: period, failedHours, lastVerdict: final.v.verdict, lastChecks: final.v.checks, lastHour: last },
      this.deps.failHours,
      facilities,
    );
  }

  /** How the hours judged up to `until` are read: the streak's and the one before, with no baseline days. */
  private context(until: number): Promise<HourContext> {
    const first = until - this.deps.failHours * HOUR_MS - HOUR_MS;
    return hourContext(this.deps, { baselineDays: 0, responseStart: first, first, until });
  }

  /** Every enterprise's current list (standing current or due). */
  private async currentLists(): Promise<ReductionList[]> {
    const years = new Map<string, number[]>();
    for (const s of await this.deps.lists.summaries()) years.set(s.enterpriseId, [...(years.get(s.enterpriseId) ?? []), s.year]);
    const today = localDate(this.deps.now(), this.deps.utcOffsetMinutes);
    const out: ReductionList[] = [];
    for (const [id, ys] of years) {
      const { standing, year } = listStanding(ys, today);
      if ((standing !== 'current' && standing !== 'due') || year === null) continue;
      const list = await this.deps.lists.get(id, year);
      if (list) out.push(list);
    }
    return out;
  }
}
