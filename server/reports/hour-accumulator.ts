/**
 * One source-hour's rollup built as its readings arrive, in compact numeric state (no readings
 * kept): what aggregateHour (hour-aggregate.ts) computes from the same records read back from the
 * raw store, to the last bit, as long as the readings come in order — each data kind's instants
 * strictly increasing, so none replaces another in the store and the sums add in the raw order.
 * A reading out of order (or a repeat) makes `add` answer false: the caller then recomputes the
 * hour from the raw store when it closes.
 *
 * State per factor, in one growable Float64Array (STRIDE numbers per factor): the minute-data
 * inputs (CN 2051), the real-time hour's finished minutes (CN 2011) and the real-time minute in
 * progress, each as n, nValid, sum, nZs, sumZs and the count of each flag; then the minute in progress.
 */
import { DATA_FLAGS, isValidFlag, primaryValue, type DataFlag } from '../domain/reading';
import { aggregateFlag, N_SHARE, type FlagCounts } from '../domain/value-tally';
import type { FactorHourStats, SourceHour } from '../storage/hourly-rollup';
import type { StoredRecord } from '../storage/telemetry-store';
import { convertedValue, countCovered, intervalsPerHour, markCovered, recordValid, type ConversionSettings } from './hour-aggregate';

const MINUTE_MS = 60_000;
const [N, N_VALID, SUM, N_ZS, SUM_ZS, FLAGS] = [0, 1, 2, 3, 4, 5];
const ACC = FLAGS + DATA_FLAGS.length;
/** Offsets of a factor's three accumulators and of its minute in progress. */
const MINUTE_DATA = 0;
const RT_HOUR = ACC;
const RT_MINUTE = 2 * ACC;
const CURRENT_MINUTE = 3 * ACC;
const STRIDE = 3 * ACC + 1;
const FLAG_INDEX = new Map<DataFlag, number>(DATA_FLAGS.map((f, i) => [f, i]));

const inc = (a: Float64Array, i: number, by: number): void => void (a[i] = (a[i] as number) + by);

function addInputAt(a: Float64Array, o: number, flag: DataFlag, value: number, zs: number | undefined): void {
  inc(a, o + N, 1);
  inc(a, o + FLAGS + (FLAG_INDEX.get(flag) ?? 0), 1);
  if (!isValidFlag(flag)) return;
  inc(a, o + N_VALID, 1);
  inc(a, o + SUM, value);
  if (zs !== undefined) {
    inc(a, o + N_ZS, 1);
    inc(a, o + SUM_ZS, zs);
  }
}

function flagsAt(a: Float64Array, o: number): FlagCounts {
  const counts: FlagCounts = {};
  DATA_FLAGS.forEach((f, i) => {
    const n = a[o + FLAGS + i] as number;
    if (n > 0) counts[f] = n;
  });
  return counts;
}

/** A finished real-time minute as one input of the hour (statsFromRealtime's rule: N when > 75 % of its values were). */
function foldMinute(a: Float64Array, minute: number, hour: number): void {
  const n = a[minute + N] as number;
  if (n === 0) return;
  const flag = aggregateFlag(flagsAt(a, minute));
  const valid = isValidFlag(flag);
  const nZs = a[minute + N_ZS] as number;
  const convertedOk = valid && nZs / n > N_SHARE;
  const mean = valid ? (a[minute + SUM] as number) / (a[minute + N_VALID] as number) : 0;
  addInputAt(a, hour, flag, mean, convertedOk ? (a[minute + SUM_ZS] as number) / nZs : undefined);
  a.fill(0, minute, minute + ACC);
}

const statsAt = (a: Float64Array, o: number): FactorHourStats => ({
  n: a[o + N] as number,
  nValid: a[o + N_VALID] as number,
  sum: a[o + SUM] as number,
  nZs: a[o + N_ZS] as number,
  sumZs: a[o + SUM_ZS] as number,
  flag: aggregateFlag(flagsAt(a, o)),
});

export class HourAccumulator {
  private factors: string[] = [];
  private index = new Map<string, number>();
  private state = new Float64Array(0);
  private readonly covered: Uint8Array;
  private minuteRecords = 0;
  private records = 0;
  private validRecords = 0;
  private lastMinuteTs = -Infinity;
  private lastRealtimeTs = -Infinity;

  constructor(
    readonly mn: string,
    readonly hour: number,
    /** The source's settings when the hour opened (a change before it closes recomputes it from raw). */
    readonly settings: ConversionSettings,
  ) {
    this.covered = new Uint8Array(intervalsPerHour(settings.intervalS));
  }

  /** Numbers held (for the memory gauge): the factor state and the interval marks. */
  get size(): number {
    return this.state.length + this.covered.length / 8;
  }

  private offsetOf(factor: string): number {
    let i = this.index.get(factor);
    if (i === undefined) {
      i = this.factors.length;
      this.factors.push(factor);
      this.index.set(factor, i);
      if ((i + 1) * STRIDE > this.state.length) {
        const grown = new Float64Array(Math.max(4, this.factors.length * 2) * STRIDE);
        grown.set(this.state);
        this.state = grown;
      }
      this.state[i * STRIDE + CURRENT_MINUTE] = -1;
    }
    return i * STRIDE;
  }

  /** Adds one reading of this hour; false when it is not after the last one of its kind (the hour needs the raw store). */
  add(cn: '2011' | '2051', r: StoredRecord): boolean {
    if (r.ts <= (cn === '2051' ? this.lastMinuteTs : this.lastRealtimeTs)) return false;
    if (cn === '2051') {
      this.lastMinuteTs = r.ts;
      this.minuteRecords++;
    } else {
      this.lastRealtimeTs = r.ts;
      this.records++;
      if (recordValid(r)) this.validRecords++;
    }
    markCovered(this.covered, this.hour, this.settings.intervalS, cn, r);
    const minute = Math.floor(r.ts / MINUTE_MS);
    for (const [factor, v] of Object.entries(r.factors)) {
      const value = primaryValue(cn, v);
      if (value === undefined) continue;
      const zs = isValidFlag(v.flag) ? convertedValue(cn, factor, value, r, this.settings) : undefined;
      const o = this.offsetOf(factor);
      if (cn === '2051') {
        addInputAt(this.state, o + MINUTE_DATA, v.flag, value, zs);
        continue;
      }
      if (this.state[o + CURRENT_MINUTE] !== minute) {
        foldMinute(this.state, o + RT_MINUTE, o + RT_HOUR);
        this.state[o + CURRENT_MINUTE] = minute;
      }
      addInputAt(this.state, o + RT_MINUTE, v.flag, value, zs);
    }
    return true;
  }

  /** The hour so far as aggregateHour would compute it from the same records (the state is left as it is). */
  result(): SourceHour {
    const basis = this.minuteRecords > 0 ? '2051' : this.records > 0 ? '2011' : null;
    const factors: Record<string, FactorHourStats> = {};
    this.factors.forEach((factor, i) => {
      const o = i * STRIDE;
      if (basis === '2051') {
        if ((this.state[o + MINUTE_DATA + N] as number) > 0) factors[factor] = statsAt(this.state, o + MINUTE_DATA);
        return;
      }
      // The minute in progress folded into a copy of the factor's state.
      const copy = this.state.slice(o, o + STRIDE);
      foldMinute(copy, RT_MINUTE, RT_HOUR);
      if ((copy[RT_HOUR + N] as number) > 0) factors[factor] = statsAt(copy, RT_HOUR);
    });
    return {
      mn: this.mn,
      hour: this.hour,
      basis,
      records: this.records,
      validRecords: this.validRecords,
      intervalS: this.settings.intervalS,
      ...countCovered(this.covered),
      factors,
    };
  }
}
