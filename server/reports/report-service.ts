/**
 * Reports (hourly and daily means with validity flags, exceedances, transmission rates) over the
 * hourly rollup. Which sources a caller may see is the router's business: it passes their MNs.
 */
import type { Alert } from '../domain/alert';
import type { Source } from '../domain/registry';
import type { SourceHour } from '../storage/hourly-rollup';
import type { ContinuousRollup } from './continuous-rollup';
import { buildDaily, buildHourly, buildTransmission, type DailySource, type ReportSubject, type TransmissionRow } from './report-builder';
import { DAY_MS, localDate } from '../domain/local-time';
import type { HourlyReport } from '../domain/report';

export interface ReportServiceDeps {
  rollup: Pick<ContinuousRollup, 'hours'>;
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

  /** `allSources`: the list is every source (lets the rollup read without a source filter). */
  async daily(sources: readonly Source[], dayStart: number, allSources: boolean): Promise<DailySource[]> {
    const subjects = this.subjects(sources, dayStart);
    const hours = await this.hoursOf(subjects, dayStart, dayStart + DAY_MS, allSources);
    const alerts = new Map<string, Record<string, number>>();
    for (const a of await this.d.alertsOpened(dayStart, dayStart + DAY_MS)) {
      const byRule = alerts.get(a.mn) ?? alerts.set(a.mn, {}).get(a.mn) ?? {};
      byRule[a.rule] = (byRule[a.rule] ?? 0) + 1;
    }
    const date = localDate(dayStart, this.d.utcOffsetMinutes);
    const now = this.d.now();
    return subjects.map((s) => buildDaily(s, hours.get(s.source.mn) ?? new Map(), dayStart, date, alerts.get(s.source.mn) ?? {}, now));
  }

  /** Per source and local day in [fromDay, toDay] (day starts); days after today are left out. */
  async transmission(sources: readonly Source[], fromDay: number, toDay: number, allSources: boolean): Promise<TransmissionRow[]> {
    const now = this.d.now();
    const lastDay = Math.min(toDay, now - ((((now - fromDay) % DAY_MS) + DAY_MS) % DAY_MS));
    if (lastDay < fromDay) return [];
    const subjects = this.subjects(sources, fromDay);
    const hours = await this.hoursOf(subjects, fromDay, lastDay + DAY_MS, allSources);
    const rows: TransmissionRow[] = [];
    for (let day = fromDay; day <= lastDay; day += DAY_MS) {
      const date = localDate(day, this.d.utcOffsetMinutes);
      for (const s of subjects) rows.push(buildTransmission(s, hours.get(s.source.mn) ?? new Map(), day, date, now));
    }
    return rows;
  }
}
