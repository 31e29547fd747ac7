/**
 * Pure: a source's emission load (排放量) per pollutant over a span of hours, in kg (DOMAIN §4).
 *
 * Hour by hour:
 *  - when the logger sent the hour's amount (CN 2061 `-Cou`, kg, flagged N), that is the hour's load;
 *  - else, from the reports' hourly rollup: the hour's mean measured concentration (mg/m³, dry,
 *    standard — the actual concentration, never the value converted to reference O2, which is a
 *    compliance figure and would misstate the mass) × the hour's mean flue-gas flow a00000 (m³/s)
 *    × 3 600 s × 10⁻⁶ → kg. Both means are over the hour's valid (N) inputs; an hour without a
 *    valid concentration or a valid flow contributes nothing (no substitution of missing hours).
 * Pollutants are the catalog's factors whose Cou is a mass (kg): particulate, SO2, NOx, NMHC.
 */
import { catalog, FLOW_FACTOR } from '../domain/catalog';
import { isValidFlag } from '../domain/reading';
import type { FactorHourStats, SourceHour } from '../storage/hourly-rollup';
import type { StoredRecord } from '../storage/telemetry-store';

/** Factors whose amounts are masses (Cou in kg): the pollutants loads are computed for. */
export const LOAD_POLLUTANTS: readonly string[] = catalog
  .all()
  .filter((f) => f.couUnit === 'kg')
  .map((f) => f.code);

const SECONDS_PER_HOUR = 3600;
/** mg → kg. */
const MG_PER_KG = 1e6;

export interface PollutantLoad {
  /** kg. */
  load: number;
  /** Hours that contributed, and of them those that came from the logger's Cou. */
  hours: number;
  couHours: number;
}

const meanOf = (s: FactorHourStats | undefined): number | null => (s && s.nValid > 0 ? s.sum / s.nValid : null);

/** kg in one hour from the rollup's means, or null when the concentration or the flow has no valid input. */
export function hourLoadFromMeans(hour: Pick<SourceHour, 'factors'>, pollutant: string): number | null {
  const concentration = meanOf(hour.factors[pollutant]);
  const flow = meanOf(hour.factors[FLOW_FACTOR]);
  if (concentration === null || flow === null) return null;
  return (concentration * flow * SECONDS_PER_HOUR) / MG_PER_KG;
}

/**
 * The loads of one source: `hours` its rollup hours (hour start → entry), `hourRecords` its CN 2061
 * records in the same span, `hourOf` the local hour start of an instant.
 */
export function sourceLoads(
  hours: ReadonlyMap<number, Pick<SourceHour, 'factors'>>,
  hourRecords: readonly StoredRecord[],
  hourOf: (ts: number) => number,
  pollutants: readonly string[] = LOAD_POLLUTANTS,
): Map<string, PollutantLoad> {
  const cou = new Map<string, Map<number, number>>(); // pollutant → hour → kg
  for (const r of hourRecords) {
    for (const p of pollutants) {
      const v = r.factors[p];
      if (v?.cou === undefined || !isValidFlag(v.flag)) continue;
      const byHour = cou.get(p) ?? cou.set(p, new Map()).get(p);
      byHour?.set(hourOf(r.ts), v.cou);
    }
  }
  const out = new Map<string, PollutantLoad>();
  for (const p of pollutants) {
    const acc: PollutantLoad = { load: 0, hours: 0, couHours: 0 };
    const fromCou = cou.get(p) ?? new Map<number, number>();
    for (const kg of fromCou.values()) {
      acc.load += kg;
      acc.hours++;
      acc.couHours++;
    }
    for (const [hour, entry] of hours) {
      if (fromCou.has(hour)) continue;
      const kg = hourLoadFromMeans(entry, p);
      if (kg === null) continue;
      acc.load += kg;
      acc.hours++;
    }
    if (acc.hours > 0) out.set(p, acc);
  }
  return out;
}
