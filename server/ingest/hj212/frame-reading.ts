/**
 * The meaning of a data upload (CN 2011 / 2051 / 2061 / 2031): the frame becomes a `Reading`.
 * DataTime is the sampling instant (2011) or the start of the interval (2051/2061/2031), in China
 * time unless configured. `-Rtd`→rtd, `-Avg`→avg, `-Min`→min, `-Max`→max, `-ZsRtd`/`-ZsAvg`→zs,
 * `-Cou`→cou, `-Flag`→flag (N when absent); other fields (`-EFlag`, `-SampleTime`, `-Info`) are
 * kept in the raw archive only. Legacy 2005 codes become 2017 codes. An empty or placeholder
 * value (`--`, `/`) is "no value" and is left out. A factor with a value that is not a number or a
 * flag that is not a data flag is refused alone (`refused`, counted by the processor): the others
 * are kept; only when no factor is left is the frame refused (`bad_value`).
 */
import { normaliseFactorCode } from '../../domain/hj212/legacy-codes';
import { parseHjTime } from '../../domain/hj212/hj-time';
import type { Hj212Frame } from '../../domain/hj212/types';
import { FACTOR_CODE_RE } from '../../domain/mqtt-contract';
import { DATA_FLAGS, DATA_KINDS, type DataFlag, type DataKind, type FactorValue, type Reading } from '../../domain/reading';
import type { Source } from '../../domain/registry';
import type { Hj212RejectionReason } from './rejections';

export interface ReadingContext {
  utcOffsetMinutes: number;
  now: number;
  maxFutureSkewMs: number;
  /** A DataTime further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
}

export type FrameReading =
  { ok: true; reading: Reading; notes: string[]; refused: string[] } | { ok: false; reason: Hj212RejectionReason; detail: string };

export const isDataKind = (cn: string): cn is DataKind => (DATA_KINDS as readonly string[]).includes(cn);

type Target = 'rtd' | 'avg' | 'min' | 'max' | 'cou' | 'zsRtd' | 'zsAvg' | 'flag';
const FIELDS = new Map<string, Target>([
  ['rtd', 'rtd'],
  ['avg', 'avg'],
  ['min', 'min'],
  ['max', 'max'],
  ['cou', 'cou'],
  ['zsrtd', 'zsRtd'],
  ['zsavg', 'zsAvg'],
  ['flag', 'flag'],
]);
const PLACEHOLDERS = new Set(['', '-', '--', '---', '/', 'null', 'NULL', 'NaN', 'nan']);
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLAGS = new Set<string>(DATA_FLAGS);

/** DataTime of the CP area (the key's case is tolerated). */
export function dataTimeOf(frame: Hj212Frame): string | undefined {
  const params = frame.cp.params;
  if (params.DataTime !== undefined) return params.DataTime;
  for (const key of Object.keys(params)) if (key.toLowerCase() === 'datatime') return params[key];
  return undefined;
}

/** A value that refuses the frame: why. */
interface BadValue {
  bad: string;
}
const isBad = (x: unknown): x is BadValue => typeof x === 'object' && x !== null && 'bad' in x;

function number(text: string, where: string): number | undefined | BadValue {
  const t = text.trim();
  if (PLACEHOLDERS.has(t)) return undefined;
  if (!NUMBER_RE.test(t)) return { bad: `${where}="${text.slice(0, 20)}" is not a number` };
  const n = Number(t);
  return Number.isFinite(n) ? n : { bad: `${where}="${text.slice(0, 20)}" is not a finite number` };
}

function factorValue(code: string, fields: Record<string, string>, aggregate: boolean): FactorValue | undefined | BadValue {
  const v: FactorValue = { flag: 'N' };
  let zsRtd: number | undefined;
  let zsAvg: number | undefined;
  let values = 0;
  for (const name in fields) {
    const target = FIELDS.get(name.toLowerCase());
    if (target === undefined) continue;
    const text = fields[name] as string;
    if (target === 'flag') {
      const flag = text.trim().toUpperCase();
      if (flag === '') continue;
      if (!FLAGS.has(flag)) return { bad: `${code}-${name}="${text.slice(0, 10)}" is not a data flag (N F M S D C T B)` };
      v.flag = flag as DataFlag;
      continue;
    }
    const n = number(text, `${code}-${name}`);
    if (n === undefined) continue;
    if (isBad(n)) return n;
    values++;
    if (target === 'zsRtd') zsRtd = n;
    else if (target === 'zsAvg') zsAvg = n;
    else v[target] = n;
  }
  const zs = aggregate ? (zsAvg ?? zsRtd) : (zsRtd ?? zsAvg);
  if (zs !== undefined) v.zs = zs;
  return values > 0 ? v : undefined;
}

/** The reading of a data upload from `source`. `frame.cn` must be a data kind. */
export function frameToReading(frame: Hj212Frame, source: Source, ctx: ReadingContext): FrameReading {
  const cn = frame.cn;
  if (!isDataKind(cn)) return { ok: false, reason: 'unsupported_cn', detail: `CN ${cn} is not a data upload` };
  const dataTime = dataTimeOf(frame);
  if (dataTime === undefined) return { ok: false, reason: 'bad_datatime', detail: 'no DataTime in the CP area' };
  const ts = parseHjTime(dataTime.trim(), ctx.utcOffsetMinutes);
  if (ts === undefined)
    return { ok: false, reason: 'bad_datatime', detail: `DataTime "${dataTime.slice(0, 20)}" is not a real YYYYMMDDhhmmss time` };
  if (ts - ctx.now > ctx.maxFutureSkewMs) {
    return {
      ok: false,
      reason: 'future_timestamp',
      detail: `DataTime ${dataTime} (${new Date(ts).toISOString()}) is ahead of the server clock`,
    };
  }
  if (ctx.maxPastAgeMs && ctx.now - ts > ctx.maxPastAgeMs) {
    const days = Math.round(ctx.maxPastAgeMs / 8_640_000) / 10;
    const detail = `DataTime ${dataTime} (${new Date(ts).toISOString()}) is more than ${days} days old`;
    return { ok: false, reason: 'stale_timestamp', detail };
  }
  const factors: Record<string, FactorValue> = {};
  const notes: string[] = [];
  const refused: string[] = [];
  let count = 0;
  for (const f of frame.cp.factors) {
    const { code } = normaliseFactorCode(f.code);
    if (!FACTOR_CODE_RE.test(code)) {
      notes.push(`factor "${f.code.slice(0, 20)}" is not a known or well-formed code: left out`);
      continue;
    }
    const v = factorValue(f.code, f.fields, cn !== '2011');
    if (isBad(v)) {
      refused.push(v.bad);
      continue;
    }
    if (v) {
      if (factors[code] === undefined) count++;
      factors[code] = v;
    } else notes.push(`${f.code}: no value`);
  }
  if (count === 0 && refused.length > 0) return { ok: false, reason: 'bad_value', detail: refused.slice(0, 3).join('; ') };
  if (count === 0) {
    return {
      ok: false,
      reason: 'no_values',
      detail: frame.cp.factors.length === 0 ? 'no factor in the CP area' : `no usable value (${notes.slice(0, 3).join('; ')})`,
    };
  }
  return { ok: true, reading: { mn: frame.mn, enterpriseId: source.enterpriseId, kind: source.kind, cn, ts, factors }, notes, refused };
}
