/**
 * Ambient-air assessment of the city and its districts over a period, and the monthly county
 * bulletin (issue 17 item 2; PLANS F1–F4), from the stations' daily AQI records
 * (AirQualityService.stationDays, HJ 633 / HJ 663): a district or the city averages each index over
 * its valid stations for each day (scopeDailyAqi), and the period's figures are computed from those
 * days (server/domain/assessment.ts) against the targets of config/rules/ozone.yaml `assessment`.
 *
 * Days assessed: the period's days that are over (through yesterday, local time). Year on year: the
 * same dates a year earlier. The bulletin ranks the districts by the month's PM2.5 mean (lower is
 * better) and marks a district behind schedule: in the autumn–winter period when its cumulative
 * PM2.5 mean or heavy days are above the required path at the month's last day assessed; otherwise
 * when its year-to-date PM2.5 mean, good-day or heavy-day ratio misses the annual target.
 */
import {
  assessDays,
  assessmentDay,
  checkTargets,
  minValidDays,
  yearOnYear,
  ASSESSED,
  type AssessmentDay,
  type AssessmentTargets,
} from '../domain/assessment';
import {
  COMPOSITE,
  type AssessmentQuery,
  type AssessmentResponse,
  type AssessmentRow,
  type BehindOn,
  type BulletinResponse,
  type BulletinRow,
} from '../domain/assessment-api';
import { requiredPath, type AutumnWinterTarget } from '../domain/assessment-path';
import { autumnWinterOf, datesOf, parsePeriod, yearBefore, type AssessmentPeriod } from '../domain/assessment-period';
import { scopeDailyAqi } from '../domain/aqi-records';
import { HttpError } from '../domain/errors';
import { addDays, DAY_MS, localDate, parseLocalDate } from '../domain/local-time';
import type { AirQualityService } from './air-quality';
import type { AssessmentRules } from './assessment-rules';

export interface AirAssessmentDeps {
  air: Pick<AirQualityService, 'stationDays'>;
  rules: AssessmentRules;
  utcOffsetMinutes: number;
  cityName: string;
  now: () => number;
}

/** A scope's days by date (days without data absent). */
interface ScopeDays {
  id: string;
  name: string;
  district: string | null;
  stations: number;
  days: Map<string, AssessmentDay>;
}

const emptyDay = (date: string): AssessmentDay => ({
  date,
  aqi: null,
  values: Object.fromEntries(ASSESSED.map((p) => [p, null])) as AssessmentDay['values'],
});

/** Competition ranking (1, 1, 3) by a value, lower first; null for no value. */
function ranks(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v) => (v === null ? null : 1 + values.filter((w) => w !== null && w < v).length));
}

export class AirAssessmentService {
  private readonly cache = new Map<string, { at: number; value: Promise<ScopeDays[]> }>();

  constructor(private readonly deps: AirAssessmentDeps) {}

  async assessment(q: AssessmentQuery): Promise<AssessmentResponse> {
    const period = parsePeriod(q.period);
    if (!period) throw new HttpError(400, 'bad_request', 'period: not a period');
    const through = this.throughOf(period);
    const aw = period.kind === 'autumn-winter';
    const span = through === null ? null : { from: yearBefore(period.from), to: yearBefore(through) };
    const [cur, prev] = await Promise.all([
      this.scopes(period.from, through),
      aw ? this.scopes(yearBefore(period.from), yearBefore(period.to)) : this.scopes(span?.from ?? period.from, span?.to ?? null),
    ]);
    const dates = through === null ? [] : datesOf(period.from, through);
    const need = this.need(period, through, dates.length);
    const rows = cur
      .filter((s) => (q.scope === 'city' ? s.district === null : s.district !== null))
      .map((s): AssessmentRow => {
        const figures = assessDays(
          dates.map((d) => s.days.get(d) ?? emptyDay(d)),
          need,
        );
        const p = prev.find((x) => x.id === s.id);
        const previous =
          span && p
            ? assessDays(
                datesOf(span.from, span.to).map((d) => p.days.get(d) ?? emptyDay(d)),
                need,
              )
            : null;
        const hasPrevious = previous !== null && (previous.validDays > 0 || ASSESSED.some((k) => previous.stats[k].value !== null));
        const targets = this.targetsOf(s.district);
        const target = this.autumnWinterTargetOf(s.district);
        const path = aw
          ? requiredPath({
              dates: datesOf(period.from, period.to),
              through,
              current: s.days,
              previous: p?.days ?? new Map(),
              target,
              fallback: { pm25: targets.pm25, heavyDaysPct: targets.heavyDaysPct },
            })
          : null;
        return {
          id: s.id,
          name: s.name,
          district: s.district,
          stations: s.stations,
          figures,
          previous: hasPrevious ? previous : null,
          change: hasPrevious ? yearOnYear(figures, previous) : null,
          targets,
          checks: checkTargets(figures, targets),
          autumnWinter: path ? { ...path, target } : null,
          rank: null,
          behindSchedule: path?.behindSchedule ?? false,
        };
      });
    if (q.scope === 'district') {
      const r = ranks(rows.map((x) => (x.figures.stats[COMPOSITE].valid ? x.figures.stats[COMPOSITE].value : null)));
      rows.forEach((x, i) => (x.rank = r[i] ?? null));
    }
    return { period, scope: q.scope, through, previous: span, composite: COMPOSITE, rows };
  }

  async bulletin(month: string): Promise<BulletinResponse> {
    const period = parsePeriod(month);
    if (period?.kind !== 'month') throw new HttpError(400, 'bad_request', 'month: a month YYYY-MM');
    const through = this.throughOf(period);
    const aw = autumnWinterOf(period.from);
    const basisFrom = aw ? aw.from : `${period.from.slice(0, 4)}-01-01`;
    const [cur, prev] = await Promise.all([
      this.scopes(basisFrom, through),
      aw
        ? this.scopes(yearBefore(aw.from), yearBefore(aw.to))
        : this.scopes(yearBefore(period.from), through === null ? null : yearBefore(through)),
    ]);
    const monthDates = through === null ? [] : datesOf(period.from, through);
    const need = this.need(period, through, monthDates.length);
    const basisDates = through === null ? [] : datesOf(basisFrom, through);
    const rowOf = (s: ScopeDays): BulletinRow => {
      const figures = assessDays(
        monthDates.map((d) => s.days.get(d) ?? emptyDay(d)),
        need,
      );
      const p = prev.find((x) => x.id === s.id);
      const before = assessDays(
        monthDates.map((d) => p?.days.get(yearBefore(d)) ?? emptyDay(d)),
        need,
      );
      const targets = this.targetsOf(s.district);
      const behindOn: BehindOn[] = [];
      let cumulativePm25: number | null = null;
      let requiredPm25: number | null = null;
      if (through !== null && aw) {
        const path = requiredPath({
          dates: datesOf(aw.from, aw.to),
          through,
          current: s.days,
          previous: p?.days ?? new Map(),
          target: this.autumnWinterTargetOf(s.district),
          fallback: { pm25: targets.pm25, heavyDaysPct: targets.heavyDaysPct },
        });
        const last = path.points.find((x) => x.date === through);
        cumulativePm25 = last?.pm25Actual ?? null;
        requiredPm25 = last?.pm25Required ?? null;
        if (path.behind.pm25) behindOn.push('pm25');
        if (path.behind.heavyDays) behindOn.push('heavyDays');
      } else if (through !== null) {
        const ytd = assessDays(
          basisDates.map((d) => s.days.get(d) ?? emptyDay(d)),
          minValidDays(basisDates.length),
        );
        const checks = checkTargets(ytd, targets);
        cumulativePm25 = ytd.stats.pm25.value;
        requiredPm25 = targets.pm25 ?? null;
        for (const key of ['pm25', 'heavyDays', 'goodDays'] as const)
          if (checks.find((c) => c.key === key)?.pass === false) behindOn.push(key);
      }
      return {
        id: s.id,
        name: s.name,
        stations: s.stations,
        rank: null,
        pm25: figures.stats.pm25,
        validDays: figures.validDays,
        goodDays: figures.goodDays,
        goodPct: figures.goodPct,
        heavyDays: figures.heavyDays,
        pm25Change: yearOnYear(figures, before).stats.pm25,
        cumulativePm25,
        requiredPm25,
        behindSchedule: behindOn.length > 0,
        behindOn,
      };
    };
    const city = cur.find((s) => s.district === null) as ScopeDays;
    const rows = cur.filter((s) => s.district !== null).map(rowOf);
    const r = ranks(rows.map((x) => (x.pm25.valid ? x.pm25.value : null)));
    rows.forEach((x, i) => (x.rank = r[i] ?? null));
    rows.sort((x, y) => (x.rank ?? Infinity) - (y.rank ?? Infinity) || x.name.localeCompare(y.name, 'zh-CN'));
    return {
      month,
      through,
      composite: COMPOSITE,
      basis: { kind: aw ? 'autumn-winter' : 'year-to-date', from: basisFrom, to: through ?? period.to },
      city: rowOf(city),
      rows,
    };
  }

  /** The targets of a district (its own, or the city's) or of the city (null). */
  private targetsOf(district: string | null): AssessmentTargets {
    const t = this.deps.rules.targets;
    return (district === null ? undefined : t.districts[district]) ?? t.city;
  }

  private autumnWinterTargetOf(district: string | null): AutumnWinterTarget {
    const t = this.deps.rules.autumnWinter;
    return (district === null ? undefined : t.districts[district]) ?? t.city;
  }

  /** The last day of the period that is over (yesterday at the latest), or null before it began. */
  private throughOf(period: AssessmentPeriod): string | null {
    const yesterday = addDays(localDate(this.deps.now(), this.deps.utcOffsetMinutes), -1);
    if (yesterday < period.from) return null;
    return period.to <= yesterday ? period.to : yesterday;
  }

  /** Valid days a statistic needs: HJ 663's count for a whole calendar year or month, else the year's share. */
  private need(period: AssessmentPeriod, through: string | null, days: number): number {
    if (through === period.to && period.kind === 'year') return minValidDays(days, { kind: 'year' });
    if (through === period.to && period.kind === 'month')
      return minValidDays(days, { kind: 'month', month: Number(period.from.slice(5, 7)) });
    return minValidDays(days);
  }

  /** The city and each district with a station, their days from `from` to `to` (both included; none when to is null). */
  private scopes(from: string, to: string | null): Promise<ScopeDays[]> {
    const key = `${from}|${to ?? ''}`;
    const now = this.deps.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.deps.rules.cacheS * 1000) return hit.value;
    const value = this.load(from, to);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    for (const [k, v] of this.cache) if (now - v.at >= this.deps.rules.cacheS * 1000) this.cache.delete(k);
    return value;
  }

  private async load(from: string, to: string | null): Promise<ScopeDays[]> {
    const off = this.deps.utcOffsetMinutes;
    const start = parseLocalDate(from, off) as number;
    const end = to === null ? start : (parseLocalDate(to, off) as number) + DAY_MS;
    const stations = await this.deps.air.stationDays(start, end, this.deps.now());
    const groups = new Map<string | null, typeof stations>([[null, stations]]);
    for (const s of stations) groups.set(s.district, [...(groups.get(s.district) ?? []), s]);
    const out: ScopeDays[] = [];
    for (const [district, members] of groups) {
      const days = new Map<string, AssessmentDay>();
      for (let d = start; d < end; d += DAY_MS) {
        const records = members.map((m) => m.days.get(d)).filter((r) => r !== undefined);
        const date = localDate(d, off);
        days.set(date, assessmentDay(date, scopeDailyAqi(records)));
      }
      out.push({ id: district ?? 'city', name: district ?? this.deps.cityName, district, stations: members.length, days });
    }
    return out.sort((a, b) => (a.district === null ? -1 : b.district === null ? 1 : a.name.localeCompare(b.name, 'zh-CN')));
  }
}
