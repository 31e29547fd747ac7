/**
 * Minute (CN 2051) and hour (CN 2061) aggregates as a data logger computes them: avg / min / max,
 * zs as the mean converted value, cou summed, and the flag N only if more than 75 % of the
 * inputs were N (DOMAIN §4), else the most frequent other flag. A window is stamped with the
 * START of its interval.
 */
import { catalog, FLOW_FACTOR } from '../server/domain/catalog';
import type { DataFlag, FactorValue } from '../server/domain/reading';
import { round } from './kinds/sample';
import { intervalStart } from './time';

/** One input: a real-time value (min = max = avg) or a closed minute's aggregate. */
export interface AggregateInput {
  avg: number;
  min: number;
  max: number;
  zs?: number;
  cou?: number;
  flag: DataFlag;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function dominantFlag(inputs: readonly AggregateInput[]): DataFlag {
  const counts = new Map<DataFlag, number>();
  for (const i of inputs) if (i.flag !== 'N') counts.set(i.flag, (counts.get(i.flag) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'N';
}

/** Aggregates a non-empty list of inputs of one factor. */
export function aggregate(inputs: readonly AggregateInput[]): FactorValue {
  const normal = inputs.filter((i) => i.flag === 'N');
  const valid = normal.length / inputs.length > 0.75;
  const used = valid ? normal : inputs;
  const out: FactorValue = {
    avg: round(mean(used.map((i) => i.avg)), 3),
    min: round(Math.min(...used.map((i) => i.min)), 3),
    max: round(Math.max(...used.map((i) => i.max)), 3),
    flag: valid ? 'N' : dominantFlag(inputs),
  };
  const zs = used.flatMap((i) => (i.zs === undefined ? [] : [i.zs]));
  if (zs.length === used.length) out.zs = round(mean(zs), 3);
  const cou = used.flatMap((i) => (i.cou === undefined ? [] : [i.cou]));
  if (cou.length > 0)
    out.cou = round(
      cou.reduce((a, b) => a + b, 0),
      3,
    );
  return out;
}

/**
 * The inputs of one real-time sample. cou is what the sample stands for over `intervalS`
 * seconds: m³ of flue gas, kg of a pollutant (mg/m³ × m³/s × s × 10⁻⁶, DOMAIN §4), for the
 * factors the catalog gives a cumulative unit, when the sample has a flow.
 */
export function sampleInputs(factors: Record<string, FactorValue>, intervalS: number): Record<string, AggregateInput> {
  const flow = factors[FLOW_FACTOR]?.rtd;
  const out: Record<string, AggregateInput> = {};
  for (const [code, v] of Object.entries(factors)) {
    if (v.rtd === undefined) continue;
    const input: AggregateInput = { avg: v.rtd, min: v.rtd, max: v.rtd, flag: v.flag };
    if (v.zs !== undefined) input.zs = v.zs;
    const couUnit = catalog.get(code)?.couUnit;
    if (flow !== undefined && couUnit === 'm³') input.cou = flow * intervalS;
    if (flow !== undefined && couUnit === 'kg') input.cou = v.rtd * flow * intervalS * 1e-6;
    out[code] = input;
  }
  return out;
}

/** A closed window's inputs turned into the next level's inputs (minute → hour). */
export function windowInputs(factors: Record<string, FactorValue>): Record<string, AggregateInput> {
  const out: Record<string, AggregateInput> = {};
  for (const [code, v] of Object.entries(factors)) {
    if (v.avg === undefined || v.min === undefined || v.max === undefined) continue;
    out[code] = { avg: v.avg, min: v.min, max: v.max, zs: v.zs, cou: v.cou, flag: v.flag };
  }
  return out;
}

export interface ClosedWindow {
  /** Epoch ms of the interval start. */
  start: number;
  factors: Record<string, FactorValue>;
}

/** Collects inputs of one interval (a minute, an hour) and closes it when time moves past it. */
export class WindowAccumulator {
  private start: number | undefined;
  private inputs = new Map<string, AggregateInput[]>();

  constructor(private readonly periodMs: number) {}

  add(at: number, factors: Record<string, AggregateInput>): void {
    this.start ??= intervalStart(at, this.periodMs);
    for (const [code, input] of Object.entries(factors)) {
      const list = this.inputs.get(code);
      if (list) list.push(input);
      else this.inputs.set(code, [input]);
    }
  }

  /** Closes the open window if `at` lies in a later interval; returns it unless it was empty. */
  roll(at: number): ClosedWindow | undefined {
    if (this.start === undefined || intervalStart(at, this.periodMs) === this.start) return undefined;
    const closed: ClosedWindow = { start: this.start, factors: {} };
    for (const [code, inputs] of this.inputs) closed.factors[code] = aggregate(inputs);
    this.start = undefined;
    this.inputs = new Map();
    return Object.keys(closed.factors).length > 0 ? closed : undefined;
  }
}
