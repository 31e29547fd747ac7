/**
 * The ambient-air rules (issue 17), judged for one station and one closed hour from the stations'
 * valid hour means (the figures of GET /api/air/aqi). Pure; the service that feeds them as hours
 * close is server/control/ambient-alerts.ts. Findings are stamped with the hour's start, like
 * limit-hour's.
 * - aqi-off-scale (爆表): an hourly index above the top of its HJ 633 table (its IAQI, hence the
 *   AQI, above 500). SO2 above 800 µg/m³ is rated on its 24-h moving mean (HJ 633 note 2).
 * - hotspot: the station's hourly value (AQI or one pollutant) above the city mean of the same
 *   hour by the margins, `hours` hours in a row; cleared by an hour that is not above.
 * - ozone-8h: the 8-h moving O3 mean ending with the hour above the limit (160 µg/m³).
 */
import type { EvidenceRows, Finding } from '../domain/alert';
import { AQI_BREAKPOINTS, eightHourMean, roundConcentration, type AqiPollutant } from '../domain/aqi';
import {
  AIR_FACTORS,
  AIR_POLLUTANTS,
  hourlyAqi,
  periodMean,
  scopeHourSeries,
  SO2_1H_SWITCH,
  type AirPollutant,
  type HourSeries,
} from '../domain/aqi-records';
import { factorUnitOf } from '../domain/catalog';
import { bearingDeg, distanceKm, isUpwind, type LatLon } from '../domain/geo';
import { HOUR_MS } from '../domain/local-time';
import { RULE_IDS, type HotspotIndex, type RuleParams } from '../domain/rule-pack';
import { exceeded, normal } from './rule-context';

type HotspotParams = RuleParams['hotspot'];

/** Longest run of hours a hotspot looks back over (the window the service loads). */
export const MAX_HOTSPOT_HOURS = 24;

const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;
const top = (index: AqiPollutant): number => AQI_BREAKPOINTS[index][AQI_BREAKPOINTS[index].length - 1] as number;
const unitOfPollutant = (p: AirPollutant): string => factorUnitOf(AIR_FACTORS[p], 'ambient');

/** The factor code an index's alerts are about ('aqi' for the AQI itself). */
export const hotspotFactor = (index: HotspotIndex): string => (index === 'aqi' ? 'aqi' : AIR_FACTORS[index]);
const hotspotUnit = (index: HotspotIndex): string => (index === 'aqi' ? '' : unitOfPollutant(index));

/** 爆表: each pollutant with a value that hour, against the top of its hourly table. */
export function judgeOffScale(mn: string, series: HourSeries, hour: number, p: RuleParams['aqiOffScale']): Finding[] {
  if (!p.enabled) return [];
  const rule = RULE_IDS.aqiOffScale;
  const out: Finding[] = [];
  for (const pollutant of AIR_POLLUTANTS) {
    const raw = series[pollutant]?.get(hour);
    if (raw === undefined || !Number.isFinite(raw) || raw < 0) continue;
    const factor = AIR_FACTORS[pollutant];
    const evidence = { windowStart: hour, windowEnd: hour + HOUR_MS };
    let value = roundConcentration(`${pollutant}_1h`, raw);
    let limit = top(`${pollutant}_1h`);
    let extra = {};
    if (pollutant === 'so2' && value > SO2_1H_SWITCH) {
      const day = periodMean(series.so2, 'so2_24h', hour - 23 * HOUR_MS, hour + HOUR_MS);
      if (!day.valid || day.value === null) continue; // above the 1-h table, and no 24-h mean to rate it on
      value = day.value;
      limit = top('so2_24h');
      extra = { windowStart: hour - 23 * HOUR_MS, validHours: day.count };
    }
    out.push(
      value > limit
        ? exceeded(mn, {
            factor,
            rule,
            severity: p.severity,
            value,
            limit,
            ts: hour,
            unit: unitOfPollutant(pollutant),
            evidence: { ...evidence, ...extra },
          })
        : normal(mn, factor, rule, value, hour),
    );
  }
  return out;
}

/** The O3 8-h moving mean ending with the hour (≥ 6 valid hours) against the limit. */
export function judgeOzone8h(mn: string, series: HourSeries, hour: number, p: RuleParams['ozone8h']): Finding[] {
  if (!p.enabled || !series.o3) return [];
  const m = eightHourMean(series.o3, hour);
  if (!m) return [];
  const rule = RULE_IDS.ozone8h;
  const factor = AIR_FACTORS.o3;
  if (m.value <= p.limit) return [normal(mn, factor, rule, m.value, hour)];
  const evidence = { windowStart: hour - 7 * HOUR_MS, windowEnd: hour + HOUR_MS, validHours: m.validHours };
  return [
    exceeded(mn, { factor, rule, severity: p.severity, value: m.value, limit: p.limit, ts: hour, unit: unitOfPollutant('o3'), evidence }),
  ];
}

/** A station's hourly value of the index: its hourly AQI, or the pollutant's hour mean at HJ 663 precision. */
export function stationValue(series: HourSeries, index: HotspotIndex, hour: number): number | null {
  if (index === 'aqi') return hourlyAqi(series, hour).aqi;
  const raw = series[index]?.get(hour);
  return raw === undefined || !Number.isFinite(raw) || raw < 0 ? null : roundConcentration(`${index}_1h`, raw);
}

/**
 * The city's value of each hour over the stations valid that hour (HJ 663 §5.3): a pollutant's
 * mean hour concentration, or the AQI computed from the mean concentrations (the city AQI the air
 * quality page shows, not the mean of the stations' AQIs).
 */
export function cityMeans(stations: readonly HourSeries[], index: HotspotIndex, hours: readonly number[]): Map<number, number> {
  const city = scopeHourSeries(stations);
  const out = new Map<number, number>();
  for (const h of hours) {
    const v = stationValue(city, index, h);
    if (v !== null) out.set(h, v);
  }
  return out;
}

/** The smallest value that is above the city mean `m` by the margins. */
export function hotspotThreshold(m: number, p: Pick<HotspotParams, 'minAbove' | 'minAbovePct'>): number {
  return Math.max(m + (p.minAbove ?? 0), m * (1 + (p.minAbovePct ?? 0) / 100));
}

/** Above the city mean, by at least each margin given. */
export const isAboveMean = (v: number, m: number, p: Pick<HotspotParams, 'minAbove' | 'minAbovePct'>): boolean =>
  v > m && v >= hotspotThreshold(m, p) - 1e-9;

/** A registered source that may lie near a station. */
export interface NearbyCandidate extends LatLon {
  mn: string;
  name: string;
  /** Its enterprise's name. */
  enterprise: string;
}

/**
 * Sources within the radius: distance (km, 2 decimals) and bearing from the station (whole degrees),
 * upwind when the wind direction is known (null: unknown). Upwind ones first, then the nearest; at
 * most `maxSources`.
 */
export function nearbySources(
  station: LatLon,
  windFrom: number | null,
  sources: readonly NearbyCandidate[],
  p: Pick<HotspotParams, 'radiusKm' | 'upwindSectorDeg' | 'maxSources'>,
): EvidenceRows {
  return sources
    .map((s) => {
      const km = distanceKm(station, s);
      const bearing = bearingDeg(station, s);
      return { s, km, bearing, upwind: windFrom === null ? null : isUpwind(bearing, windFrom, p.upwindSectorDeg) };
    })
    .filter((x) => x.km <= p.radiusKm)
    .sort((a, b) => Number(b.upwind === true) - Number(a.upwind === true) || a.km - b.km)
    .slice(0, p.maxSources)
    .map(({ s, km, bearing, upwind }) => ({
      mn: s.mn,
      name: s.name,
      enterprise: s.enterprise,
      km: round(km, 2),
      bearing: Math.round(bearing) % 360,
      upwind,
    }));
}

export interface HotspotInput {
  mn: string;
  series: HourSeries;
  /** The city's value of each hour (cityMeans) over at least the run looked back on. */
  cityMeans: ReadonlyMap<number, number>;
  hour: number;
  params: HotspotParams;
  /** The sources near the station (nearbySources), for the evidence. */
  nearby: EvidenceRows;
  /** The station's wind direction that hour (degrees it comes from), or null. */
  windFrom?: number | null;
}

/**
 * Raised when the hour and the `hours − 1` before it are all above the city mean; normal when the
 * hour is not above; nothing when the hour has no value (or no city mean), or the run is shorter.
 */
export function judgeHotspot(input: HotspotInput): Finding[] {
  const { mn, series, cityMeans: means, hour, params: p } = input;
  if (!p.enabled) return [];
  const factor = hotspotFactor(p.index);
  const rule = RULE_IDS.hotspot;
  const now = stationValue(series, p.index, hour);
  const mean = means.get(hour);
  if (now === null || mean === undefined) return [];
  if (!isAboveMean(now, mean, p)) return [normal(mn, factor, rule, now, hour)];
  const run: { hour: number; value: number; cityMean: number }[] = [];
  for (let h = hour; run.length < MAX_HOTSPOT_HOURS; h -= HOUR_MS) {
    const v = stationValue(series, p.index, h);
    const m = means.get(h);
    if (v === null || m === undefined || !isAboveMean(v, m, p)) break;
    run.unshift({ hour: h, value: v, cityMean: m });
  }
  if (run.length < p.hours) return [];
  const evidence = {
    windowStart: (run[0] as { hour: number }).hour,
    windowEnd: hour + HOUR_MS,
    consecutiveHours: run.length,
    cityMean: mean,
    abovePct: mean > 0 ? round(((now - mean) / mean) * 100, 1) : null,
    windFrom: input.windFrom === undefined || input.windFrom === null ? null : Math.round(input.windFrom) % 360,
    radiusKm: p.radiusKm,
    hours: run,
    nearby: input.nearby,
  };
  const limit = round(hotspotThreshold(mean, p), 2);
  return [exceeded(mn, { factor, rule, severity: p.severity, value: now, limit, ts: hour, unit: hotspotUnit(p.index), evidence })];
}
