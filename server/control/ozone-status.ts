/**
 * Ozone status of every ambient station, from stored data (GET /api/ozone/status): the latest
 * O3 1-h mean, the 8-h moving mean ending with it, their IAQI and the ozone AQI level, today's
 * maximum 8-h mean and the season's exceedance days. Per station one hour-data query over the
 * season (plus one real-time query for the hours its hour records do not cover yet); the answer
 * is reused for `status.cacheS` seconds. Concentrations are rounded to whole µg/m³ (HJ 663) before
 * IAQI and exceedance days; a season day counts only when its maximum 8-h mean is valid (≥ 14
 * valid 8-h means, or an exceedance anyway).
 */
import {
  aqiLevel,
  aqiOf,
  dailyMax8h,
  eightHourMean,
  iaqi,
  isO3ExceedanceDay,
  isValidDailyMax8h,
  o3EightHourIaqi,
  roundConcentration,
} from '../domain/aqi';
import { sourceDistrict, type Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { TelemetryStore } from '../storage/telemetry-store';
import { loadHourMeans } from './hour-series';
import { DAY_MS, HOUR_MS, dayStartOf, hourStartOf, localDate } from '../domain/local-time';
import { seasonOf, type OzoneStatus, type SeasonRange, type StationOzone } from '../domain/ozone';

export type { OzoneStatus, StationOzone } from '../domain/ozone';
import type { OzoneRules } from './ozone-rules';

export interface OzoneStatusDeps {
  store: TelemetryStore;
  /** The live registry: its ambient stations now. */
  registry: RegistryView;
  rules: OzoneRules;
  log: Logger;
  now: () => number;
}

export class OzoneStatusService {
  private cached: OzoneStatus | null = null;
  /** The registry version the cached status was computed with (a station added or removed recomputes it). */
  private cachedAt = -1;

  constructor(private readonly deps: OzoneStatusDeps) {}

  async status(): Promise<OzoneStatus> {
    const now = this.deps.now();
    const { rules } = this.deps;
    const version = this.deps.registry.version();
    if (this.cached && this.cachedAt === version && now - this.cached.computedAt < rules.status.cacheS * 1000) return this.cached;
    const season = seasonOf(now, rules.season.startMonth, rules.season.endMonth, rules.utcOffsetMinutes);
    const { enterprises, sources } = this.deps.registry.current();
    const stations = sources.filter((s) => s.kind === 'ambient');
    const out = await Promise.all(stations.map((s) => this.station(s, sourceDistrict(s, enterprises), season, now)));
    this.cachedAt = version;
    this.cached = { computedAt: now, factor: rules.status.factor, exceedanceLimit: rules.status.exceedanceLimit, season, stations: out };
    return this.cached;
  }

  private async station(source: Source, district: string, season: SeasonRange, now: number): Promise<StationOzone> {
    const { rules } = this.deps;
    const off = rules.utcOffsetMinutes;
    const today = dayStartOf(now, off);
    const base: StationOzone = {
      mn: source.mn,
      name: source.name,
      enterpriseId: source.enterpriseId,
      district,
      latest1h: null,
      moving8h: null,
      aqi: null,
      today: { date: localDate(now, off), max8h: null, max8hIaqi: null, exceeded: false },
      season: { exceedanceDays: 0, exceedanceDates: [], daysWithData: 0 },
    };
    let hours: Map<number, number>;
    try {
      // From the season's start (if it has begun) or yesterday evening: the 8-h means need the 7 hours before.
      const from = Math.min(
        now >= season.from ? season.from : Number.POSITIVE_INFINITY,
        today - 8 * HOUR_MS,
        hourStartOf(now, off) - 8 * HOUR_MS,
      );
      hours = await loadHourMeans(this.deps.store, {
        mn: source.mn,
        factor: rules.status.factor,
        from,
        to: now,
        intervalS: source.intervalS,
        minCoverage: rules.status.minHourCoverage,
        offsetMin: off,
      });
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, mn: source.mn }, 'ozone status: store query failed');
      return { ...base, error: 'telemetry store unavailable' };
    }
    return {
      ...base,
      ...current(hours),
      today: todayOf(hours, today, now, rules.status.exceedanceLimit, off),
      season: seasonDays(hours, season, now, rules.status.exceedanceLimit, off),
    };
  }
}

function current(hours: Map<number, number>): Pick<StationOzone, 'latest1h' | 'moving8h' | 'aqi'> {
  const last = Math.max(...hours.keys());
  if (!Number.isFinite(last)) return { latest1h: null, moving8h: null, aqi: null };
  const value = roundConcentration('o3_1h', hours.get(last) as number);
  const latest1h = { hour: last, value, iaqi: iaqi('o3_1h', value) };
  const m = eightHourMean(hours, last);
  const moving8h = m ? { ...m, iaqi: o3EightHourIaqi(m.value, value) } : null;
  const a = aqiOf({ o3_1h: latest1h.iaqi, o3_8h: moving8h?.iaqi ?? null });
  return { latest1h, moving8h, aqi: a ? { value: a.aqi, primary: a.primary, level: aqiLevel(a.aqi) } : null };
}

function todayOf(hours: Map<number, number>, today: number, now: number, limit: number, off: number): StationOzone['today'] {
  const max = dailyMax8h(hours, today, now);
  return {
    date: localDate(today, off),
    max8h: max?.value ?? null,
    max8hIaqi: max ? o3EightHourIaqi(max.value, null) : null,
    exceeded: max !== null && isO3ExceedanceDay(max.value, limit),
  };
}

function seasonDays(hours: Map<number, number>, season: SeasonRange, now: number, limit: number, off: number): StationOzone['season'] {
  const dates: string[] = [];
  let daysWithData = 0;
  for (let day = season.from; day < season.to && day < now; day += DAY_MS) {
    const max = dailyMax8h(hours, day, now);
    if (!max || !isValidDailyMax8h(max, limit)) continue;
    daysWithData++;
    if (isO3ExceedanceDay(max.value, limit)) dates.push(localDate(day, off));
  }
  return { exceedanceDays: dates.length, exceedanceDates: dates, daysWithData };
}
