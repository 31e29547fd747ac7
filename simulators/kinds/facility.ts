/**
 * Working-condition signals of the registry's facilities (issue 16, docs/working-condition.md): a
 * logger sends, besides its own kind's factors, the signals of every facility that names it (`mn`)
 * on that facility's `channel`. Which signals a facility sends follows from its kind and treatment
 * technology (`facilityRole`); their values from its thresholds (runningKw, runningA, minTempC) and
 * the load of the production line it serves. A scenario's facility effects (`FacilityCondition`)
 * switch a facility off or on, cool it, stop its reductant, close its valve, open its bypass or
 * upset a flare. Pure: the instant, the facility's conditions and an Rng in, the signals out.
 */
import { facilityRole, ROLE_SIGNALS } from '../../server/domain/facility-roles';
import type { Facility, Source } from '../../server/domain/registry';
import { SIGNAL, signalCode, type SignalFamilyKey } from '../../server/domain/working-condition';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate } from '../time';
import type { FacilityCondition, FacilityConditions } from './facility-condition';
import { round, type KindSample } from './sample';

export { FACILITY_CONDITIONS, type FacilityCondition, type FacilityConditions } from './facility-condition';

export { facilityRole, ROLE_SIGNALS, type FacilityRole } from '../../server/domain/facility-roles';

/** Line load 0.75–0.95 by the hour (a day shift peak near 11:00). */
export function lineLoad(at: number): number {
  return 0.75 + 0.2 * bump(chinaDate(at).hour, 11, 4);
}

/** Cooking intensity 0–1 of a kitchen (lunch near 12:00, dinner near 18:30). */
export function cooking(at: number): number {
  const hour = chinaDate(at).hour;
  return Math.max(bump(hour, 12, 1.2), bump(hour, 18.5, 1.5));
}

/** A kitchen fan runs while cooking is under way. */
const KITCHEN_ON = 0.1;

/** Rated power (kW): the registry's, else a multiple of its running threshold, else a role default. */
export function ratedKw(f: Facility): number {
  if (f.ratedKw !== undefined) return f.ratedKw;
  if (f.runningKw !== undefined && f.runningKw > 0) return f.runningKw * (f.kind === 'production-line' ? 5 : 4);
  return f.kind === 'production-line' ? 400 : 60;
}

/** Fan/pump current (A) of a three-phase 380 V motor at power factor 0.85. */
const ampsOf = (kw: number): number => (kw * 1000) / (Math.sqrt(3) * 380 * 0.85);

/** Lowest combustion temperature, °C (the flare rule's 760 °C by default). */
export const minTemp = (f: Facility): number => f.minTempC ?? 760;

interface Ctx {
  source: Source;
  at: number;
  rng: Rng;
  conditions: FacilityConditions;
  byId: ReadonlyMap<string, Facility>;
}

const has = (ctx: Ctx, f: Facility, c: FacilityCondition): boolean => ctx.conditions.get(f.id)?.includes(c) ?? false;

/**
 * Whether a facility runs now: its own `on`/`off` first; a kitchen fan by the hour, and a kitchen's
 * purifier with the fan it serves; anything else runs.
 */
export function facilityRuns(
  f: Facility,
  source: Source,
  at: number,
  conditions: FacilityConditions,
  byId: ReadonlyMap<string, Facility> = new Map(),
): boolean {
  const own = conditions.get(f.id) ?? [];
  if (own.includes('off')) return false;
  if (own.includes('on')) return true;
  if (source.kind !== 'catering') return true;
  if (facilityRole(f) === 'line') return cooking(at) >= KITCHEN_ON;
  const served = f.serves !== undefined ? byId.get(f.serves) : undefined;
  return served === undefined || served.id === f.id || facilityRuns(served, source, at, conditions, byId);
}

/** The load (0–1) of what a facility serves: its line's load while that runs, 0 while stopped. */
function servedLoad(ctx: Ctx, f: Facility): number {
  const line = f.serves !== undefined ? ctx.byId.get(f.serves) : undefined;
  if (line && !facilityRuns(line, ctx.source, ctx.at, ctx.conditions, ctx.byId)) return 0;
  return ctx.source.kind === 'catering' ? 1 : lineLoad(ctx.at);
}

function signals(ctx: Ctx, f: Facility): Partial<Record<SignalFamilyKey, number>> {
  const { rng, at } = ctx;
  const role = facilityRole(f);
  const runs = facilityRuns(f, ctx.source, at, ctx.conditions, ctx.byId);
  const rated = ratedKw(f);
  const standby = rated * 0.01;
  const out: Partial<Record<SignalFamilyKey, number>> = {};
  if (role === 'flare') {
    const upset = has(ctx, f, 'flare-upset');
    const gas = upset ? normal(rng, 1400, 60) : normal(rng, 350 * lineLoad(at), 20);
    out.gqf = clamp(gas, 0, 5000);
    out.gqa = upset ? 0 : clamp(gas * normal(rng, 0.4, 0.02), 0, 5000);
    out.gpf = 1;
    out.gtc = upset ? normal(rng, minTemp(f) - 140, 12) : normal(rng, minTemp(f) + 120, 15);
    return out;
  }
  if (role === 'line' || role === 'meter') {
    const load = ctx.source.kind === 'catering' ? 1 : lineLoad(at);
    out.grs = runs ? 1 : 0;
    out.gkw = runs ? normal(rng, rated * load, rated * 0.02) : normal(rng, standby * 2, standby * 0.2);
    if (role === 'meter') delete out.grs;
    return out;
  }
  out.grs = runs ? 1 : 0;
  const load = servedLoad(ctx, f);
  const kw = runs ? normal(rng, rated * (0.8 + 0.2 * load), rated * 0.02) : normal(rng, standby, standby * 0.1);
  if (ROLE_SIGNALS[role].includes(SIGNAL.power)) out.gkw = kw;
  if (ROLE_SIGNALS[role].includes(SIGNAL.current)) out.gia = runs ? ampsOf(kw) : 0;
  switch (role) {
    case 'combustion': {
      const min = minTemp(f);
      if (!runs) out.gtc = normal(rng, 180, 10);
      else if (has(ctx, f, 'cold')) out.gtc = normal(rng, min - 90, 8);
      else out.gtc = normal(rng, min + 60, 8);
      break;
    }
    case 'reductant':
      out.gqr = runs && !has(ctx, f, 'reductant-off') ? normal(rng, 180 * load, 4) : 0;
      break;
    case 'fgr':
      out.gvp = runs && !has(ctx, f, 'valve-closed') ? normal(rng, 25 * (0.6 + 0.4 * lineLoad(at)), 1.5) : 0;
      break;
    case 'desulfurization': {
      const open = has(ctx, f, 'bypass-open');
      out.gbv = open ? 1 : 0;
      out.gsl = open ? 1 : 0;
      break;
    }
    case 'adsorber':
      out.gdp = runs ? normal(rng, 900, 30) : 0;
      break;
    default:
      break;
  }
  return out;
}

/** The signals of `facilities` (those naming this logger) at `at`, as factor code → value. */
export function facilitySignals(
  source: Source,
  facilities: readonly Facility[],
  at: number,
  rng: Rng,
  conditions: FacilityConditions = new Map(),
  all: readonly Facility[] = facilities,
): KindSample {
  const ctx: Ctx = { source, at, rng, conditions, byId: new Map(all.map((f) => [f.id, f])) };
  const out: KindSample = {};
  for (const f of facilities) {
    if (f.mn !== source.mn || f.channel === undefined) continue;
    for (const [family, value] of Object.entries(signals(ctx, f)) as Array<[SignalFamilyKey, number]>) {
      out[signalCode(family, f.channel)] = { rtd: round(Math.max(0, value), DECIMALS[family]) };
    }
  }
  return out;
}

const DECIMALS: Record<SignalFamilyKey, number> = {
  grs: 0,
  gkw: 2,
  gia: 1,
  gtc: 0,
  gdp: 0,
  gqr: 2,
  gvp: 0,
  gbv: 0,
  gsl: 0,
  gqf: 1,
  gqa: 1,
  gpf: 0,
};
