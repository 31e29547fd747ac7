/**
 * Reports (hourly and daily means with validity flags, exceedances, transmission rates) over the
 * hourly rollup. Which sources a caller may see is the router's business: it passes their MNs.
 */
import type { Alert } from '../domain/alert';
import type { Source } from '../domain/registry';
import type { SourceHour } from '../storage/hourly-rollup';
import { DayView, EMPTY_DAY } from '../storage/rollup-day';
import type { ContinuousRollup } from './continuous-rollup';
import { dailyFromDay, transmissionFromDay } from './day-report';
import { buildHourly, type DailySource, type ReportSubject, type TransmissionRow } from './report-builder';
import { ReportCache } from './report-cache';
import { DAY_MS, localDate } from '../domain/local-time';
import type { HourlyReport } from '../domain/report';

/** Characters of built daily-report JSON kept (a 20,000-source day is about 50 MB). */
const CACHE_CHARS = 64_000_000;

export interface ReportServiceDeps {
  rollup: Pick<ContinuousRollup, 'hours' | 'days' | 'dayStamp'>;
  /** The source, its effective limits and validity counts (rule book), or undefined. */
  /** A source's report subject on the local day containing `at` (its dated limits in force that day). */
  subject: (mn: string, at: number) => ReportSubject | undefined;
  /** Alerts opened in [from, to) (any state), of all sources. */
  alertsOpened: (from: number, to: number) => Promise<Pick<Alert, 'mn' | 'rule'>[]>;
  utcOffsetMinutes: number;
  now: () => number;
}

export type { HourlyReport } from '../domain/report';

export class ReportService {
  private readonly cache = new ReportCache(CACHE_CHARS);

  constructor(private readonly d: ReportServiceDeps) {}

  get utcOffsetMinutes(): number {
    return this.d.utcOffsetMinutes;
  }

  private subjects(sources: readonly Source[], at: number): ReportSubject[] {
    return sources.flatMap((s) => this.d.subject(s.mn, at) ?? []);
  }

  private async hoursOf(
    subjects: readonly ReportSubject[],
    from: number,
    to: number,
    allSources: boolean,
  ): Promise<Map<string, Map<number, SourceHour>>> {
    return this.d.rollup.hours(
      subjects.map((s) => s.source.mn),
      from,
      to,
      allSources,
    );
  }

  /** The rollup hours of the given sources in [from, to) (hour-aligned): mn → hour start → entry (emission loads). */
  async rollupHours(mns: readonly string[], from: number, to: number): Promise<Map<string, Map<number, SourceHour>>> {
    return this.d.rollup.hours(mns, from, to, false);
  }

  async hourly(source: Source, dayStart: number): Promise<HourlyReport> {
    const [s] = this.subjects([source], dayStart);
    if (!s) throw new Error(`no report subject for ${source.mn}`);
    const hours = await this.hoursOf([s], dayStart, dayStart + DAY_MS, false);
    return {
      mn: source.mn,
      name: source.name,
      enterpriseName: s.enterpriseName,
      date: localDate(dayStart, this.d.utcOffsetMinutes),
      dayStart,
      o2Ref: source.o2Ref ?? null,
      minValidMinutes: s.minValidMinutes,
      items: buildHourly(s, hours.get(source.mn) ?? new Map(), dayStart),
    };
  }

  private async alertsOn(dayStart: number): Promise<Map<string, Record<string, number>>> {
    const alerts = new Map<string, Record<string, number>>();
    for (const a of await this.d.alertsOpened(dayStart, dayStart + DAY_MS)) {
      const byRule = alerts.get(a.mn) ?? alerts.set(a.mn, {}).get(a.mn) ?? {};
      byRule[a.rule] = (byRule[a.rule] ?? 0) + 1;
    }
    return alerts;
  }

  private async dailyOf(
    subjects: readonly ReportSubject[],
    dayStart: number,
    allSources: boolean,
    alerts: Map<string, Record<string, number>>,
  ) {
    const days = await this.d.rollup.days(
      subjects.map((s) => s.source.mn),
      dayStart,
      allSources,
    );
    const date = localDate(dayStart, this.d.utcOffsetMinutes);
    const now = this.d.now();
    const view = new DayView();
    return subjects.map((s) =>
      dailyFromDay(s, view.read(dayStart, days.get(s.source.mn) ?? EMPTY_DAY), date, alerts.get(s.source.mn) ?? {}, now),
    );
  }

  /** `allSources`: the list is every source (lets the rollup read without a source filter). */
  async daily(sources: readonly Source[], dayStart: number, allSources: boolean): Promise<DailySource[]> {
    return this.dailyOf(this.subjects(sources, dayStart), dayStart, allSources, await this.alertsOn(dayStart));
  }

  /**
   * The daily report's JSON answer `{date, items}`: a closed day's is built once per scope and
   * kept until late data reaches the day, its alerts change or a source's subject does.
   */
  async dailyJson(sources: readonly Source[], dayStart: number, allSources: boolean): Promise<string> {
    const subjects = this.subjects(sources, dayStart);
    const alerts = await this.alertsOn(dayStart);
    const stamp = this.d.rollup.dayStamp(dayStart);
    let alertCount = 0;
    for (const byRule of alerts.values()) for (const n of Object.values(byRule)) alertCount += n;
    const key = stamp === null ? null : `${dayStart} ${stamp} ${alertCount} ${subjects.map((s) => s.source.mn).join(',')}`;
    const kept = key === null ? undefined : this.cache.get(key, subjects);
    if (kept !== undefined) return kept;
    const items = await this.dailyOf(subjects, dayStart, allSources, alerts);
    const json = JSON.stringify({ date: localDate(dayStart, this.d.utcOffsetMinutes), items });
    if (key !== null) this.cache.set(key, subjects, json);
    return json;
  }

  /** Per source and local day in [fromDay, toDay] (day starts); days after today are left out. */
  async transmission(sources: readonly Source[], fromDay: number, toDay: number, allSources: boolean): Promise<TransmissionRow[]> {
    const now = this.d.now();
    const lastDay = Math.min(toDay, now - ((((now - fromDay) % DAY_MS) + DAY_MS) % DAY_MS));
    if (lastDay < fromDay) return [];
    const subjects = this.subjects(sources, fromDay);
    const mns = subjects.map((s) => s.source.mn);
    const rows: TransmissionRow[] = [];
    const view = new DayView();
    for (let day = fromDay; day <= lastDay; day += DAY_MS) {
      const date = localDate(day, this.d.utcOffsetMinutes);
      const days = await this.d.rollup.days(mns, day, allSources);
      for (const s of subjects) rows.push(transmissionFromDay(s, view.readHours(day, days.get(s.source.mn) ?? EMPTY_DAY), date, now));
    }
    return rows;
  }
}
