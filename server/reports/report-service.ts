/**
 * Reports (hourly and daily means with validity flags, exceedances, transmission rates) over the
 * hourly rollup. Which sources a caller may see is the router's business: it passes their MNs.
 */
import type { Source } from '../domain/registry';
import type { SourceHour } from '../storage/hourly-rollup';
import { DayView, EMPTY_DAY } from '../storage/rollup-day';
import type { ContinuousRollup } from './continuous-rollup';
import { dayTransmission, transmissionFromDay } from './day-report';
import type { DailyFilter } from './day-figures';
import { DailyReports, type DailyReportsDeps } from './daily-reports';
import { buildHourly, type DailySource, type ReportSubject, type TransmissionRow } from './report-builder';
import { DAY_MS, localDate } from '../domain/local-time';
import type { DailyReport, HourlyReport } from '../domain/report';
import { rateOfDays, type DayRates, type TransmissionRate } from '../domain/transmission-rate';

export interface ReportServiceDeps extends Omit<DailyReportsDeps, 'rollup'> {
  rollup: Pick<ContinuousRollup, 'hours' | 'days' | 'dayStamp'>;
  /** A source's report subject on the local day containing `at` (its dated limits in force that day), or undefined. */
  subject: (mn: string, at: number) => ReportSubject | undefined;
}

export type { HourlyReport } from '../domain/report';

export class ReportService {
  private readonly dailies: DailyReports;

  constructor(private readonly d: ReportServiceDeps) {
    this.dailies = new DailyReports(d);
  }

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

  /** Every given source's day in full (the exchange's; `allSources`: the list is every source). */
  async daily(sources: readonly Source[], dayStart: number, allSources: boolean): Promise<DailySource[]> {
    return this.dailies.daily(this.subjects(sources, dayStart), dayStart, allSources);
  }

  /** A page of the daily report of these sources with their totals (DailyReport); every match without a limit. */
  async dailyPage(
    sources: readonly Source[],
    dayStart: number,
    allSources: boolean,
    q: DailyFilter & { offset: number; limit?: number },
  ): Promise<DailyReport> {
    const { offset, limit, ...filter } = q;
    return this.dailies.page(this.subjects(sources, dayStart), dayStart, allSources, filter, offset, limit);
  }

  /** Every matching source's day, a chunk at a time (the export). */
  dailyChunks(sources: readonly Source[], dayStart: number, allSources: boolean, filter: DailyFilter): AsyncGenerator<DailySource[]> {
    return this.dailies.chunks(this.subjects(sources, dayStart), dayStart, allSources, filter);
  }

  /** Builds and keeps a closed day's report figures of every source (as the day is packed). */
  prepareDay(sources: readonly Source[], dayStart: number): Promise<void> {
    return this.dailies.prepare(this.subjects(sources, dayStart), dayStart);
  }

  /** Per source and local day in [fromDay, toDay] (day starts); days after today are left out. */
  async transmission(sources: readonly Source[], fromDay: number, toDay: number, allSources: boolean): Promise<TransmissionRow[]> {
    const rows: TransmissionRow[] = [];
    await this.eachDayRates(sources, fromDay, toDay, allSources, (s, v, date, now) => rows.push(transmissionFromDay(s, v, date, now)));
    return rows;
  }

  /**
   * The overview's figure over the days [fromDay, toDay]: `transmission`'s rows summed per day as
   * they are read, none built (at a province, 40,000 rows of which the figure needs a sum).
   */
  async transmissionRate(sources: readonly Source[], fromDay: number, toDay: number, allSources: boolean): Promise<TransmissionRate> {
    const days = new Map<string, DayRates>();
    await this.eachDayRates(sources, fromDay, toDay, allSources, (s, v, date, now) => {
      let d = days.get(date);
      if (!d) days.set(date, (d = { date, sources: 0, effectiveSum: 0, received: false }));
      const rates = dayTransmission(s, v, now);
      d.sources += 1;
      d.effectiveSum += rates.effectiveRate;
      d.received ||= rates.received > 0;
    });
    return rateOfDays([...days.values()], localDate(toDay, this.d.utcOffsetMinutes));
  }

  /** Each source's packed day in [fromDay, toDay], read for its transmission (days after today left out). */
  private async eachDayRates(
    sources: readonly Source[],
    fromDay: number,
    toDay: number,
    allSources: boolean,
    each: (s: ReportSubject, v: DayView, date: string, now: number) => void,
  ): Promise<void> {
    const now = this.d.now();
    const lastDay = Math.min(toDay, now - ((((now - fromDay) % DAY_MS) + DAY_MS) % DAY_MS));
    if (lastDay < fromDay) return;
    const subjects = this.subjects(sources, fromDay);
    const mns = subjects.map((s) => s.source.mn);
    const view = new DayView();
    for (let day = fromDay; day <= lastDay; day += DAY_MS) {
      const date = localDate(day, this.d.utcOffsetMinutes);
      const days = await this.d.rollup.days(mns, day, allSources);
      for (const s of subjects) each(s, view.readHours(day, days.get(s.source.mn) ?? EMPTY_DAY), date, now);
    }
  }
}
