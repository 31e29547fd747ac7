/**
 * A source's local day of rollup hours, packed (issue 20): the hours of a day that has closed are
 * kept as one row per source-day (`rollup_days`) instead of 24 JSON rows, so a day report of every
 * source reads one indexed range of rows and decodes them into reused typed arrays (DayView)
 * without building an object per hour or per factor.
 *
 * Layout (version 1), numbers as "packed numbers" (below):
 *   u8 version · u8 hour count H
 *   H × hour:   u8 index in the day (0–23) · u8 basis (0 none, 1 real-time 2011, 2 minute 2051)
 *               · records · validRecords · intervalS · intervals · validIntervals
 *   F (factor count)
 *   F × factor: code length · code (UTF-8) · H × entry: u8 tag (0: no entry that hour; else the
 *               flag's index + 1, | 0x10 when a sum follows, | 0x20 when a converted sum follows)
 *               · n · nValid · nZs · [f64 sum] · [f64 sumZs]
 * A packed number is a varint of 2·v for a non-negative safe integer v, or the varint 1 followed
 * by the f64 (any other value): counts take one byte, and nothing is ever rounded.
 */
import { DATA_FLAGS, type DataFlag } from '../domain/reading';
import { HOUR_MS } from '../domain/local-time';
import type { FactorHourStats, SourceHour } from './hourly-rollup';

const VERSION = 1;
const BASIS: readonly SourceHour['basis'][] = [null, '2011', '2051'];
const SUM = 0x10;
const SUM_ZS = 0x20;
const FLAG_MASK = 0x0f;
const FLAG_INDEX = new Map<DataFlag, number>(DATA_FLAGS.map((f, i) => [f, i]));
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Numbers per hour in DayView.hour, and per factor-hour in DayView.stats. */
export const HOUR_FIELDS = 6;
export const STAT_FIELDS = 6;
/** Offsets in a DayView.hour row. */
export const [H_BASIS, H_RECORDS, H_VALID_RECORDS, H_INTERVAL_S, H_INTERVALS, H_VALID_INTERVALS] = [0, 1, 2, 3, 4, 5];
/** Offsets in a DayView.stats entry; S_FLAG is the tag's flag index + 1 (0: no entry that hour). */
export const [S_N, S_N_VALID, S_SUM, S_N_ZS, S_SUM_ZS, S_FLAG] = [0, 1, 2, 3, 4, 5];

class Writer {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf);
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }

  private varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.at++] = v;
  }

  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.at, v, true);
    this.at += 8;
  }

  num(v: number): void {
    if (Number.isSafeInteger(v) && v >= 0 && v < 2 ** 52 && !Object.is(v, -0)) this.varint(v * 2);
    else {
      this.varint(1);
      this.f64(v);
    }
  }

  text(s: string): void {
    const bytes = encoder.encode(s);
    this.num(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

class Reader {
  private readonly view: DataView;
  at = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  u8(): number {
    if (this.at >= this.buf.length) throw new RangeError('packed day: truncated');
    return this.buf[this.at++] as number;
  }

  f64(): number {
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  num(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    return v === 1 ? this.f64() : v / 2;
  }

  /** A string; `known` is returned when its bytes spell it (the same factor codes recur from one day to the next). */
  text(known: string | undefined): string {
    const n = this.num();
    const at = this.at;
    this.at += n;
    if (known !== undefined && known.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = known.charCodeAt(i) === this.buf[at + i];
      if (same) return known;
    }
    return decoder.decode(this.buf.subarray(at, at + n));
  }
}

/** The hours of one source's day (`day`: its local start; every hour in [day, day + 24 h)), packed. */
export function packDay(day: number, hours: readonly SourceHour[]): Uint8Array {
  const sorted = [...hours].sort((a, b) => a.hour - b.hour);
  const w = new Writer();
  w.u8(VERSION);
  w.u8(sorted.length);
  const factors: string[] = [];
  const seen = new Set<string>();
  for (const h of sorted) {
    const index = (h.hour - day) / HOUR_MS;
    if (!Number.isInteger(index) || index < 0 || index > 23) throw new RangeError(`packed day: hour ${h.hour} is not in the day ${day}`);
    w.u8(index);
    w.u8(BASIS.indexOf(h.basis));
    for (const v of [h.records, h.validRecords, h.intervalS, h.intervals, h.validIntervals]) w.num(v);
    for (const f of Object.keys(h.factors)) {
      if (seen.has(f)) continue;
      seen.add(f);
      factors.push(f);
    }
  }
  w.num(factors.length);
  for (const f of factors) {
    w.text(f);
    for (const h of sorted) {
      const s = h.factors[f];
      if (!s) {
        w.u8(0);
        continue;
      }
      const tag = ((FLAG_INDEX.get(s.flag) ?? 0) + 1) | (Object.is(s.sum, 0) ? 0 : SUM) | (Object.is(s.sumZs, 0) ? 0 : SUM_ZS);
      w.u8(tag);
      w.num(s.n);
      w.num(s.nValid);
      w.num(s.nZs);
      if (tag & SUM) w.f64(s.sum);
      if (tag & SUM_ZS) w.f64(s.sumZs);
    }
  }
  return w.done();
}

/**
 * One packed day decoded into typed arrays that are reused from one day to the next (no object
 * per hour or factor): `hour` holds HOUR_FIELDS numbers per hour present, `stats` STAT_FIELDS per
 * factor and hour present (factor-major). Valid until the next read.
 */
export class DayView {
  day = 0;
  /** Hours present, oldest first; `index[i]` is hour i's place in the day (0–23). */
  hours = 0;
  readonly index = new Uint8Array(24);
  readonly hour = new Float64Array(24 * HOUR_FIELDS);
  factors: string[] = [];
  /** The codes last read at each place (reused when the next day spells the same). */
  private readonly known: string[] = [];
  stats = new Float64Array(16 * 24 * STAT_FIELDS);

  /** Offset in `stats` of factor f at hour i. */
  at(f: number, i: number): number {
    return (f * this.hours + i) * STAT_FIELDS;
  }

  /** The start of hour i. */
  hourStart(i: number): number {
    return this.day + (this.index[i] as number) * HOUR_MS;
  }

  /** Decodes only the hours (transmission counts, completeness checks); `factors` is left empty. */
  readHours(day: number, data: Uint8Array): this {
    this.readHeader(day, new Reader(data));
    this.factors = [];
    return this;
  }

  read(day: number, data: Uint8Array): this {
    const r = new Reader(data);
    this.readHeader(day, r);
    const count = r.num();
    const need = count * this.hours * STAT_FIELDS;
    if (need > this.stats.length) this.stats = new Float64Array(need * 2);
    const codes = this.known;
    this.factors = new Array<string>(count);
    const st = this.stats;
    for (let f = 0; f < count; f++) {
      this.factors[f] = r.text(codes[f]);
      codes[f] = this.factors[f] as string;
      for (let i = 0; i < this.hours; i++) {
        const o = this.at(f, i);
        const tag = r.u8();
        st[o + S_FLAG] = tag & FLAG_MASK;
        if (tag === 0) continue;
        st[o + S_N] = r.num();
        st[o + S_N_VALID] = r.num();
        st[o + S_N_ZS] = r.num();
        st[o + S_SUM] = tag & SUM ? r.f64() : 0;
        st[o + S_SUM_ZS] = tag & SUM_ZS ? r.f64() : 0;
      }
    }
    return this;
  }

  private readHeader(day: number, r: Reader): void {
    const version = r.u8();
    if (version !== VERSION) throw new RangeError(`packed day: version ${version}`);
    this.day = day;
    this.hours = r.u8();
    for (let i = 0; i < this.hours; i++) {
      this.index[i] = r.u8();
      const o = i * HOUR_FIELDS;
      this.hour[o + H_BASIS] = r.u8();
      for (let k = H_RECORDS; k <= H_VALID_INTERVALS; k++) this.hour[o + k] = r.num();
    }
  }

  /** Factor f's entry at hour i, or undefined when it has none. */
  statsOf(f: number, i: number): FactorHourStats | undefined {
    const o = this.at(f, i);
    const st = this.stats;
    const flag = st[o + S_FLAG] as number;
    if (flag === 0) return undefined;
    const dataFlag = DATA_FLAGS[flag - 1] as DataFlag;
    return {
      n: st[o + S_N] as number,
      nValid: st[o + S_N_VALID] as number,
      sum: st[o + S_SUM] as number,
      nZs: st[o + S_N_ZS] as number,
      sumZs: st[o + S_SUM_ZS] as number,
      flag: dataFlag,
    };
  }

  /** The day's hours as rollup entries (the store's generic read, and merges). */
  toHours(mn: string): SourceHour[] {
    return Array.from({ length: this.hours }, (_, i): SourceHour => {
      const o = i * HOUR_FIELDS;
      const factors: Record<string, FactorHourStats> = {};
      this.factors.forEach((code, f) => {
        const s = this.statsOf(f, i);
        if (s) factors[code] = s;
      });
      return {
        mn,
        hour: this.hourStart(i),
        basis: BASIS[this.hour[o + H_BASIS] as number] ?? null,
        records: this.hour[o + H_RECORDS] as number,
        validRecords: this.hour[o + H_VALID_RECORDS] as number,
        intervalS: this.hour[o + H_INTERVAL_S] as number,
        intervals: this.hour[o + H_INTERVALS] as number,
        validIntervals: this.hour[o + H_VALID_INTERVALS] as number,
        factors,
      };
    });
  }
}

/** A day with no hour. */
export const EMPTY_DAY: Uint8Array = packDay(0, []);

/** The hours of a packed day. */
export const unpackDay = (mn: string, day: number, data: Uint8Array): SourceHour[] => new DayView().read(day, data).toHours(mn);

/** A packed day with some hours replaced (`put`, same hour) and some removed; null when no hour is left. */
export function mergeDay(
  mn: string,
  day: number,
  data: Uint8Array | undefined,
  put: readonly SourceHour[],
  remove: ReadonlySet<number> = new Set(),
): Uint8Array | null {
  const byHour = new Map((data ? unpackDay(mn, day, data) : []).map((h) => [h.hour, h]));
  for (const h of put) byHour.set(h.hour, h);
  for (const h of remove) byHour.delete(h);
  return byHour.size === 0 ? null : packDay(day, [...byHour.values()]);
}

/** The start of the last hour of a packed day. */
export const lastHourOf = (day: number, data: Uint8Array): number => {
  const v = new DayView().readHours(day, data);
  return v.hours === 0 ? day : v.hourStart(v.hours - 1);
};
