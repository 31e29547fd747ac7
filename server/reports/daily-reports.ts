/**
 * The daily report over many sources (issue 20): a page of it with the scope's totals, and the
 * whole of it in chunks (the export). The head, filter and order read each source-day's figures
 * (day-figures.ts): a closed day's are kept in the rollup store (rollup_day_figures, built as the
 * day is packed, or on first read) and in memory for the latest days asked, so a page reads small
 * rows and only its own sources' packed days. A day still open, or waiting for late data, is
 * computed from its hours and nothing is kept.
 */
import type { Source } from '../domain/registry';
import { eachInTurns } from '../turns';
import type { DailyReport, DailySource } from '../domain/report';
import { DAY_MS, localDate } from '../domain/local-time';
import type { AlertRuleCount } from '../storage/alert-queries';
import type { HourlyRollupStore } from '../storage/hourly-rollup';
import { DayView, EMPTY_DAY } from '../storage/rollup-day';
import type { ContinuousRollup } from './continuous-rollup';
import { dailyFromDay } from './day-report';
import {
  basisOf,
  decodeFigure,
  encodeFigure,
  figureOf,
  matches,
  ordered,
  totalsOf,
  type DailyFilter,
  type DailyRow,
  type DayFigure,
} from './day-figures';
import type { ReportSubject } from './report-builder';

export interface DailyReportsDeps {
  rollup: Pick<ContinuousRollup, 'days' | 'dayStamp'>;
  /** Where figures of packed days are kept. */
  figures: Pick<HourlyRollupStore, 'getDayFigures' | 'putDayFigures'>;
  /** Alerts opened in [from, to) counted per source and rule (of these sources, or all). */
  alertCounts: (from: number, to: number, mns?: readonly string[]) => Promise<AlertRuleCount[]>;
  /** A source's district and industry code (the filter's). */
  placeOf: (source: Source) => { district: string; industry: { code: string; name: string } | null };
  utcOffsetMinutes: number;
  now: () => number;
}

/** Latest days whose figures are held in memory. */
const DAYS_HELD = 4;
/** Sources' days read per turn of the event loop. */
const BUILD_SLICE = 1_000;
/** Sources per packed-day read of the export (the store's IN-list bound). */
export const EXPORT_CHUNK = 500;
/** Above this many sources the day's alerts are counted for every source, then picked. */
const MAX_ALERT_MNS = 500;

interface HeldDay {
  stamp: number;
  figures: Map<string, { basis: string; figure: DayFigure }>;
}

export class DailyReports {
  private readonly held = new Map<number, HeldDay>();
  /** Figures being built per day (one build at a time per day). */
  private readonly building = new Map<number, Promise<unknown>>();

  constructor(private readonly d: DailyReportsDeps) {}

  /** Each source's alerts opened that day, by rule. */
  private async alertsOn(day: number, mns: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    for (const c of await this.d.alertCounts(day, day + DAY_MS, mns.length <= MAX_ALERT_MNS ? mns : undefined)) {
      const byRule = out.get(c.mn) ?? out.set(c.mn, {}).get(c.mn) ?? {};
      byRule[c.rule] = (byRule[c.rule] ?? 0) + c.count;
    }
    return out;
  }

  /** The day of these subjects, built from their packed days. `kept` collects those read from a kept row. */
  private async build(
    subjects: readonly ReportSubject[],
    day: number,
    allSources: boolean,
    alerts: ReadonlyMap<string, Record<string, number>>,
    kept?: Set<string>,
  ): Promise<DailySource[]> {
    const mns = subjects.map((s) => s.source.mn);
    const days = await this.d.rollup.days(mns, day, allSources, kept);
    const date = localDate(day, this.d.utcOffsetMinutes);
    const now = this.d.now();
    const view = new DayView();
    const out: DailySource[] = [];
    // A province's 20,000 days read in one go held the event loop ~1 s (the day's figures at its packing).
    await eachInTurns(subjects, BUILD_SLICE, (s) => {
      const mn = s.source.mn;
      out.push(dailyFromDay(s, view.read(day, days.get(mn) ?? EMPTY_DAY), date, alerts.get(mn) ?? {}, now));
    });
    return out;
  }

  /** Every given source's day in full (the exchange's, a single source's). */
  async daily(subjects: readonly ReportSubject[], day: number, allSources: boolean): Promise<DailySource[]> {
    const mns = subjects.map((s) => s.source.mn);
    return this.build(subjects, day, allSources, await this.alertsOn(day, mns));
  }

  /** The figures of a closed day kept (memory, then the store) for its current stamp. */
  private async heldDay(day: number, stamp: number): Promise<HeldDay> {
    const had = this.held.get(day);
    if (had?.stamp === stamp) return had;
    const figures = new Map<string, { basis: string; figure: DayFigure }>();
    for (const r of await this.d.figures.getDayFigures(day)) {
      const figure = decodeFigure(r.data);
      if (figure) figures.set(r.mn, { basis: r.basis, figure });
    }
    const held = { stamp, figures };
    this.held.delete(day);
    this.held.set(day, held);
    for (const k of this.held.keys()) if (this.held.size > DAYS_HELD) this.held.delete(k);
    return held;
  }

  /** Each subject's figures of the day: kept ones under the same basis, the others computed (and kept when the day is closed). */
  private async figuresOf(subjects: readonly ReportSubject[], day: number, allSources: boolean): Promise<Map<string, DayFigure>> {
    const stamp = this.d.rollup.dayStamp(day);
    const none = new Map<string, Record<string, number>>();
    if (stamp === null) {
      const days = await this.build(subjects, day, allSources, none);
      return new Map(days.map((x) => [x.mn, figureOf(x)]));
    }
    const held = await this.heldDay(day, stamp);
    const out = new Map<string, DayFigure>();
    const missing: ReportSubject[] = [];
    const bases = new Map<string, string>();
    for (const s of subjects) {
      const basis = basisOf(s);
      const h = held.figures.get(s.source.mn);
      if (h?.basis === basis) out.set(s.source.mn, h.figure);
      else {
        missing.push(s);
        bases.set(s.source.mn, basis);
      }
    }
    if (missing.length === 0) return out;
    const kept = new Set<string>();
    const days = await this.build(missing, day, allSources && missing.length === subjects.length, none, kept);
    const rows = [];
    for (const x of days) {
      const figure = figureOf(x);
      out.set(x.mn, figure);
      const basis = bases.get(x.mn) as string;
      held.figures.set(x.mn, { basis, figure });
      if (kept.has(x.mn)) rows.push({ mn: x.mn, basis, data: encodeFigure(figure) });
    }
    // Kept only while no late data reached the day meanwhile (its rows' figures are removed as they change).
    if (this.d.rollup.dayStamp(day) === stamp) await this.d.figures.putDayFigures(day, rows);
    return out;
  }

  /** Builds and keeps a closed day's figures of these subjects (as the day is packed). */
  async prepare(subjects: readonly ReportSubject[], day: number): Promise<void> {
    const prev = this.building.get(day) ?? Promise.resolve();
    const run = prev.then(() => this.figuresOf(subjects, day, true));
    this.building.set(day, run);
    try {
      await run;
    } finally {
      if (this.building.get(day) === run) this.building.delete(day);
    }
  }

  /** The subjects with their figures, alerts and place, filtered and in the report's order, and the scope's totals. */
  async rows(
    subjects: readonly ReportSubject[],
    day: number,
    allSources: boolean,
    filter: DailyFilter,
  ): Promise<{ all: DailyRow[]; matching: DailyRow[]; alerts: Map<string, Record<string, number>> }> {
    await this.building.get(day)?.catch(() => undefined);
    const mns = subjects.map((s) => s.source.mn);
    const [figures, alerts] = await Promise.all([this.figuresOf(subjects, day, allSources), this.alertsOn(day, mns)]);
    const all = subjects.map((subject): DailyRow => {
      const place = this.d.placeOf(subject.source);
      const byRule = alerts.get(subject.source.mn);
      let n = 0;
      if (byRule) for (const c of Object.values(byRule)) n += c;
      const figure = figures.get(subject.source.mn) ?? { exceedingHours: 0, exceedingFactors: 0, expected: 0, received: 0, valid: 0 };
      return { subject, figure, alerts: n, district: place.district, industry: place.industry?.code ?? null };
    });
    return { all, matching: ordered(all.filter((r) => matches(r, filter))), alerts };
  }

  /** A page of the day: `limit` matching sources from `offset` (every match without a limit). */
  async page(
    subjects: readonly ReportSubject[],
    day: number,
    allSources: boolean,
    filter: DailyFilter,
    offset: number,
    limit: number | undefined,
  ): Promise<DailyReport> {
    const { all, matching, alerts } = await this.rows(subjects, day, allSources, filter);
    const page = matching.slice(offset, limit === undefined ? undefined : offset + limit);
    const whole = page.length === all.length;
    const items = await this.build(
      page.map((r) => r.subject),
      day,
      allSources && whole,
      alerts,
    );
    const districts = new Set<string>();
    const industries = new Map<string, string>();
    for (const s of subjects) {
      const p = this.d.placeOf(s.source);
      if (p.district) districts.add(p.district);
      if (p.industry) industries.set(p.industry.code, p.industry.name);
    }
    return {
      date: localDate(day, this.d.utcOffsetMinutes),
      total: matching.length,
      offset,
      totals: totalsOf(all),
      districts: [...districts].sort(),
      industries: [...industries].map(([code, name]) => ({ code, name })).sort((a, b) => (a.code < b.code ? -1 : 1)),
      items,
    };
  }

  /** Every matching source's day in the report's order, a chunk at a time (the export: never the whole day at once). */
  async *chunks(subjects: readonly ReportSubject[], day: number, allSources: boolean, filter: DailyFilter): AsyncGenerator<DailySource[]> {
    const { matching, alerts } = await this.rows(subjects, day, allSources, filter);
    for (let i = 0; i < matching.length; i += EXPORT_CHUNK)
      yield await this.build(
        matching.slice(i, i + EXPORT_CHUNK).map((r) => r.subject),
        day,
        false,
        alerts,
      );
  }
}
