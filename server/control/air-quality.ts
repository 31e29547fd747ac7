/**
 * Hourly and daily AQI (HJ 633) of the ambient stations, their districts and the city, from stored
 * data (GET /api/air/aqi). Each station's hour means of the six pollutants come from the
 * TelemetryStore as the ozone status gets them (server/control/hour-series.ts: the station's hour
 * records, else its real-time values averaged per local hour with ≥ 75 % of the samples; valid flag
 * N only). A district or the city averages each pollutant's concentration over its valid stations
 * first and computes IAQI and AQI from those averages (HJ 663 §5.3): hour rows from the stations'
 * hour means, day rows from the stations' daily figures (each valid by HJ 663 on its own).
 */
import {
  AIR_FACTORS,
  AIR_POLLUTANTS,
  dailyAqi,
  hourlyAqi,
  scopeDailyAqi,
  scopeHourSeries,
  type AqiRecord,
  type HourSeries,
} from '../domain/aqi-records';
import { AQI_MAX_DAYS, type AqiQuery, type AqiResponse, type AqiRow } from '../domain/air-quality';
import { HttpError } from '../domain/errors';
import { DAY_MS, HOUR_MS, hourStartOf, localDate, localDateTime, parseLocalDate } from '../domain/local-time';
import { sourceDistrict, type Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { TelemetryStore } from '../storage/telemetry-store';
import { loadHourMeans } from './hour-series';

export interface AirQualityDeps {
  store: TelemetryStore;
  registry: RegistryView;
  /** The city's local time (minutes east of UTC): day boundaries. */
  utcOffsetMinutes: number;
  /** Share of an hour's expected real-time samples for a valid hour mean (HJ 75: 0.75). */
  minHourCoverage: number;
  cityName: string;
  log: Logger;
  now: () => number;
}

/** A station's daily records by the start of each local day. */
export interface StationDays {
  mn: string;
  name: string;
  district: string;
  days: Map<number, AqiRecord>;
}

interface Station {
  source: Source;
  district: string;
  series: HourSeries;
}

export class AirQualityService {
  constructor(private readonly deps: AirQualityDeps) {}

  async aqi(q: AqiQuery): Promise<AqiResponse> {
    const { utcOffsetMinutes: off, now: clock } = this.deps;
    const now = clock();
    const today = localDate(now, off);
    const fromDate = q.from ?? (q.to !== undefined && q.to < today ? q.to : today);
    const toDate = q.to ?? (fromDate > today ? fromDate : today);
    const from = parseLocalDate(fromDate, off) as number;
    const to = (parseLocalDate(toDate, off) as number) + DAY_MS;
    const days = Math.round((to - from) / DAY_MS);
    if (days > AQI_MAX_DAYS[q.interval]) {
      throw new HttpError(400, 'bad_request', `at most ${AQI_MAX_DAYS[q.interval]} days a request for interval=${q.interval}`);
    }
    const until = Math.min(to, now);
    const { sources, enterprises } = this.deps.registry.current();
    const ambient = sources
      .filter((s) => s.kind === 'ambient')
      .map((source) => ({ source, district: sourceDistrict(source, enterprises) }))
      .filter((s) => q.scope === 'city' || q.district === undefined || s.district === q.district);
    // The hour view's SO2 above 800 µg/m³ needs the 23 hours before the first hour.
    const loadFrom = q.interval === 'hour' ? from - 23 * HOUR_MS : from;
    const stations: Station[] = await Promise.all(ambient.map(async (s) => ({ ...s, series: await this.load(s.source, loadFrom, until) })));
    const times: number[] = [];
    if (q.interval === 'hour') for (let h = from; h + HOUR_MS <= until; h += HOUR_MS) times.push(h);
    else for (let d = from; d < until; d += DAY_MS) times.push(d);
    const rows: AqiRow[] = [];
    const label = (t: number) => (q.interval === 'hour' ? `${localDateTime(t, off).slice(0, 13)}:00` : localDate(t, off));
    const row = (base: Pick<AqiRow, 'id' | 'name' | 'district' | 'stations'>, t: number, r: AqiRecord): AqiRow => ({
      scope: q.scope,
      ...base,
      time: t,
      label: label(t),
      aqi: r.aqi,
      level: r.level ? { level: r.level.level, zh: r.level.zh, en: r.level.en, colour: r.level.colour } : null,
      primary: r.primary,
      pollutants: r.indices,
      complete: r.complete,
    });
    const record = (series: HourSeries, t: number) => (q.interval === 'hour' ? hourlyAqi(series, t) : dailyAqi(series, t, now));
    if (q.scope === 'station') {
      for (const s of stations) {
        const base = { id: s.source.mn, name: s.source.name, district: s.district, stations: 1 };
        for (const t of times) rows.push(row(base, t, record(s.series, t)));
      }
      return { scope: q.scope, interval: q.interval, from: fromDate, to: toDate, rows };
    }
    const groups = new Map<string, Station[]>();
    for (const s of stations) {
      const key = q.scope === 'city' ? 'city' : s.district;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    const ordered = [...groups].sort((a, b) => a[0].localeCompare(b[0], 'zh-CN'));
    for (const [key, members] of ordered) {
      const base =
        q.scope === 'city'
          ? { id: 'city', name: this.deps.cityName, district: null, stations: members.length }
          : { id: key, name: key, district: key, stations: members.length };
      if (q.interval === 'hour') {
        const series = scopeHourSeries(members.map((m) => m.series));
        for (const t of times) rows.push(row(base, t, hourlyAqi(series, t)));
      } else {
        for (const t of times) rows.push(row(base, t, scopeDailyAqi(members.map((m) => dailyAqi(m.series, t, now)))));
      }
    }
    return { scope: q.scope, interval: q.interval, from: fromDate, to: toDate, rows };
  }

  /**
   * Each ambient station's daily AQI records (HJ 633 / HJ 663) for the local days starting in
   * [from, to), counting hours that end by `until`, with its district (the assessment's input).
   */
  async stationDays(from: number, to: number, until: number): Promise<StationDays[]> {
    const { sources, enterprises } = this.deps.registry.current();
    const ambient = sources.filter((s) => s.kind === 'ambient');
    const end = Math.min(to, until);
    return Promise.all(
      ambient.map(async (source) => {
        const series = end > from ? await this.load(source, from, end) : {};
        const days = new Map<number, AqiRecord>();
        for (let d = from; d < end; d += DAY_MS) days.set(d, dailyAqi(series, d, until));
        return { mn: source.mn, name: source.name, district: sourceDistrict(source, enterprises), days };
      }),
    );
  }

  /** The station's valid hour means of the six pollutants over [from, to). */
  private async load(source: Source, from: number, to: number): Promise<HourSeries> {
    const { utcOffsetMinutes: off, minHourCoverage } = this.deps;
    const out: HourSeries = {};
    try {
      for (const p of AIR_POLLUTANTS) {
        out[p] = await loadHourMeans(this.deps.store, {
          mn: source.mn,
          factor: AIR_FACTORS[p],
          from: hourStartOf(from, off),
          to,
          intervalS: source.intervalS,
          minCoverage: minHourCoverage,
          offsetMin: off,
        });
      }
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, mn: source.mn }, 'air quality: store query failed');
      throw new HttpError(503, 'store_unavailable', 'the telemetry store could not be read');
    }
    return out;
  }
}
