/**
 * Gathering one closed hour for a measure (issue 18 item 4): what `judgeMeasureHour` needs, read
 * from the telemetry store —
 * - line power per facility: the facility's own `gkw` signal (facility-signals.ts), else the sum
 *   of the power meters that serve it (each its own `gkw` signal), hour means of valid values; where
 *   a power-data import (the grid company's file) covered a signal's hour, its 15-min points (2051
 *   at the quarter hours) give that signal's hour mean, and the meters serving the line win over
 *   its own signal when only they were imported: the grid's meter is the independent reading
 *   (PLANS E7, G5); the source and the imports go into the evidence (imported-power-hour.ts);
 * - outlet flow a00000, m³/s hour mean → m³/h;
 * - outlets whose hour is flagged F (stopped): the hour record's flag, else most real-time values;
 * - hourly means of the limit indicators' codes (hour-series.ts `loadHourMeans`);
 * - the outlet's emission rate of the measure's main pollutant and its baseline: the mean of the
 *   same local hour over the `baselineDays` days before the response began (emission-baseline.ts).
 */
import { DAY_MS, HOUR_MS } from '../domain/local-time';
import { signalOf } from '../domain/facility-signals';
import { REDUCTION_POLLUTANT_NAMES, REDUCTION_POLLUTANTS, type LevelMeasure, type ReductionEntry } from '../domain/reduction-list';
import type { MeasureHour, PowerSource } from '../domain/reduction-verify';
import type { Facility, Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import { SIGNAL } from '../domain/working-condition';
import type { TelemetryStore } from '../storage/telemetry-store';
import { baselineRange, hourlyRates } from '../control/emission-baseline';
import { loadHourMeans } from '../control/hour-series';
import type { ImportedSeries, PowerImportLog } from '../storage/sql/power-import-log';
import type { Reading } from '../domain/reading';
import { importedHourMean } from './imported-power-hour';

export const FLOW_CODE = 'a00000';

export interface HourContext {
  store: TelemetryStore;
  facilities: readonly Facility[];
  sources: ReadonlyMap<string, Source>;
  minCoverage: number;
  offsetMin: number;
  baselineDays: number;
  /** When the response began (its baseline is the days before). */
  responseStart: number;
  /** Power-data imports overlapping the hours judged (the import log). */
  imports: readonly ImportedSeries[];
  /** Judging again as an import lands: its readings (they stand over the store's). */
  landed?: readonly Reading[];
}

/** What the verifiers read the hours from (their deps). */
export interface HourSources {
  registry: RegistryView;
  telemetry: TelemetryStore;
  imports: Pick<PowerImportLog, 'overlapping'>;
  minHourCoverage: number;
  utcOffsetMinutes: number;
}

/** How the hours [first, until) are read: the registry now, and the power imports overlapping them. */
export async function hourContext(
  deps: HourSources,
  { baselineDays, responseStart, first, until }: { baselineDays: number; responseStart: number; first: number; until: number },
): Promise<HourContext> {
  const { sources, facilities = [] } = deps.registry.current();
  const mns = [...new Set(facilities.flatMap((f) => (f.mn === undefined ? [] : [f.mn])))];
  return {
    store: deps.telemetry,
    facilities,
    sources: new Map(sources.map((s) => [s.mn, s])),
    minCoverage: deps.minHourCoverage,
    offsetMin: deps.utcOffsetMinutes,
    baselineDays,
    responseStart,
    imports: await deps.imports.overlapping(mns, first, until),
  };
}

/** The pollutant a limit without indicators is judged on: the one the measure expects most of (NOx without any). */
export function mainPollutantCode(measure: LevelMeasure): string {
  let best: (typeof REDUCTION_POLLUTANTS)[number] = 'nox';
  let most = 0;
  for (const p of REDUCTION_POLLUTANTS) {
    const kg = measure.expectedKgH[p] ?? 0;
    if (kg > most) [best, most] = [p, kg];
  }
  return REDUCTION_POLLUTANT_NAMES[best].code;
}

/** The MNs and signal codes of a facility's own power signal, and of the meters serving it. */
function powerGroups(facilityId: string, facilities: readonly Facility[]): { mn: string; code: string }[][] {
  const own = facilities.find((f) => f.id === facilityId);
  const mine = own && signalOf(own, SIGNAL.power);
  const meters = facilities
    .filter((f) => f.kind === 'power-meter' && f.serves === facilityId)
    .map((f) => signalOf(f, SIGNAL.power))
    .filter((s): s is { mn: string; code: string } => s !== undefined);
  return [...(mine ? [[mine]] : []), ...(meters.length > 0 ? [meters] : [])];
}

/** The MNs and signal codes a facility's power is read from: its own gkw, else its meters'. */
export function powerSignals(facilityId: string, facilities: readonly Facility[]): { mn: string; code: string }[] {
  return powerGroups(facilityId, facilities)[0] ?? [];
}

/** Does a measure read line power from one of these series (its own signal or a meter serving the line)? */
export function powerCovered(
  measure: LevelMeasure,
  facilities: readonly Facility[],
  series: readonly Pick<ImportedSeries, 'mn' | 'code'>[],
): boolean {
  return measure.indicators.some(
    (i) =>
      i.kind === 'line-power' &&
      powerGroups(i.facilityId, facilities).some((g) => g.some((s) => series.some((x) => x.mn === s.mn && x.code === s.code))),
  );
}

async function hourMean(ctx: HourContext, mn: string, factor: string, from: number, to: number): Promise<Map<number, number>> {
  const intervalS = ctx.sources.get(mn)?.intervalS ?? 60;
  return loadHourMeans(ctx.store, { mn, factor, from, to, intervalS, minCoverage: ctx.minCoverage, offsetMin: ctx.offsetMin });
}

export interface LinePower {
  kw: number;
  source: PowerSource;
  importIds: string[];
}

/** One group of signals summed for the hour: each from its import where one covered it, else live. */
async function groupPower(
  ctx: HourContext,
  signals: readonly { mn: string; code: string }[],
  hour: number,
): Promise<LinePower | undefined> {
  let kw = 0;
  const importIds = new Set<string>();
  for (const s of signals) {
    const imported = await importedHourMean(ctx, s, hour);
    if (imported) {
      kw += imported.kw;
      for (const id of imported.importIds) importIds.add(id);
      continue;
    }
    const v = (await hourMean(ctx, s.mn, s.code, hour, hour + HOUR_MS)).get(hour);
    if (v === undefined) return undefined;
    kw += v;
  }
  return { kw, source: importIds.size > 0 ? 'import' : 'logger', importIds: [...importIds] };
}

/**
 * A line's power in the hour: the first group (its own signal, then its meters) read from an
 * import, else the first group with data.
 */
export async function linePower(ctx: HourContext, facilityId: string, hour: number): Promise<LinePower | undefined> {
  const found: LinePower[] = [];
  for (const group of powerGroups(facilityId, ctx.facilities)) {
    const p = await groupPower(ctx, group, hour);
    if (p?.source === 'import') return p;
    if (p) found.push(p);
  }
  return found[0];
}

/** Is the outlet's hour flagged F: its hour record says so, or (without one) most of its real-time flow values. */
export async function flaggedStopped(ctx: HourContext, mn: string, hour: number): Promise<boolean> {
  const q = { mn, factor: FLOW_CODE, from: hour, to: hour + HOUR_MS };
  const hourly = await ctx.store.series({ ...q, cn: '2061' });
  if (hourly.length > 0) return hourly.some((p) => p.flag === 'F');
  const rt = await ctx.store.series({ ...q, cn: '2011' });
  return rt.length > 0 && rt.filter((p) => p.flag === 'F').length * 2 > rt.length;
}

/** An outlet's emission rate of `code` per closed hour of [from, to), kg/h: the hours with a concentration and a flow mean. */
export async function emissionRates(ctx: HourContext, mn: string, code: string, from: number, to: number): Promise<Map<number, number>> {
  return hourlyRates(await hourMean(ctx, mn, code, from, to), await hourMean(ctx, mn, FLOW_CODE, from, to));
}

/** The hours a response's baselines are taken from: the `baselineDays` days before it began. */
export const responseBaselineRange = (ctx: HourContext): { from: number; to: number } =>
  baselineRange(ctx.responseStart, Math.max(1, ctx.baselineDays), ctx.offsetMin);

/** An hour's baseline: the mean of the rates at the same time of day among `before` (null: none). */
export function sameHourBaseline(before: ReadonlyMap<number, number>, hour: number): number | null {
  const same = [...before].filter(([h]) => (((hour - h) % DAY_MS) + DAY_MS) % DAY_MS === 0).map(([, v]) => v);
  return same.length === 0 ? null : same.reduce((a, b) => a + b, 0) / same.length;
}

/** Emission rate this hour and its baseline (same local hour, the days before the response), kg/h. */
async function emission(
  ctx: HourContext,
  mn: string,
  code: string,
  hour: number,
): Promise<{ current: number; baseline: number | null } | undefined> {
  const current = (await emissionRates(ctx, mn, code, hour, hour + HOUR_MS)).get(hour);
  if (current === undefined) return undefined;
  const base = responseBaselineRange(ctx);
  return { current, baseline: sameHourBaseline(await emissionRates(ctx, mn, code, base.from, base.to), hour) };
}

/** The hour's data for one entry's measure. */
export async function gatherMeasureHour(
  ctx: HourContext,
  entry: ReductionEntry,
  measure: LevelMeasure,
  hour: number,
): Promise<MeasureHour> {
  const out = { linePowerKw: {}, powerSource: {}, flowM3h: {}, stoppedMns: [], concentration: {}, emissionKgH: {} } as {
    linePowerKw: Record<string, number>;
    powerSource: Record<string, { source: PowerSource; importIds: string[] }>;
    flowM3h: Record<string, number>;
    stoppedMns: string[];
    concentration: Record<string, Record<string, number>>;
    emissionKgH: Record<string, { current: number; baseline: number | null }>;
  };
  const facilityIds = new Set(measure.indicators.flatMap((i) => (i.kind === 'line-power' ? [i.facilityId] : [])));
  const mns = new Set([...entry.outletMns, ...measure.indicators.flatMap((i) => (i.kind === 'outlet-flow' ? [i.mn] : []))]);
  for (const id of facilityIds) {
    const p = await linePower(ctx, id, hour);
    if (p === undefined) continue;
    out.linePowerKw[id] = p.kw;
    if (p.source === 'import') out.powerSource[id] = { source: 'import', importIds: p.importIds };
  }
  for (const mn of mns) {
    const flow = (await hourMean(ctx, mn, FLOW_CODE, hour, hour + HOUR_MS)).get(hour);
    if (flow !== undefined) out.flowM3h[mn] = flow * 3600;
    if (await flaggedStopped(ctx, mn, hour)) out.stoppedMns.push(mn);
  }
  for (const i of measure.indicators) {
    if (i.kind !== 'limit') continue;
    const v = (await hourMean(ctx, i.mn, i.code, hour, hour + HOUR_MS)).get(hour);
    if (v !== undefined) (out.concentration[i.mn] ??= {})[i.code] = v;
  }
  if (measure.action === 'limit' && measure.indicators.length === 0) {
    const code = mainPollutantCode(measure);
    for (const mn of entry.outletMns) {
      const e = await emission(ctx, mn, code, hour);
      if (e) out.emissionKgH[mn] = e;
    }
  }
  return out;
}
