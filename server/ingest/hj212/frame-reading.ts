/**
 * The meaning of a data upload (CN 2011 / 2051 / 2061 / 2031): the frame becomes a `Reading`.
 * DataTime is the sampling instant (2011) or the start of the interval (2051/2061/2031), in China
 * time unless configured. `-Rtd`→rtd, `-Avg`→avg, `-Min`→min, `-Max`→max, `-ZsRtd`/`-ZsAvg`→zs,
 * `-Cou`→cou, `-Flag`→flag (N when absent); other fields (`-EFlag`, `-SampleTime`, `-Info`) are
 * kept in the raw archive only. Legacy 2005 codes become 2017 codes. An empty or placeholder
 * value (`--`, `/`) is "no value" and is left out. A factor with a value that is not a number or a
 * flag that is not a data flag is refused alone (`refused`, counted by the processor): the others
 * are kept; only when no factor is left is the frame refused (`bad_value`).
 *
 * Working-condition signals (issue 16, docs/working-condition.md): a signal code (`gkw03`) travels
 * like any factor, but is taken only from the sources server/domain/signal-acceptance.ts allows; one
 * it does not allow is refused alone like a bad value. CN 2021 (equipment running state,
 * `SB1-RS=1;SB2-RS=0`) becomes a real-time sample (data kind 2011, flag N) at DataTime of the
 * running-state signals `grs01`, `grs02` (equipmentStateCode): the rules and the series see it as
 * they see any sample of the logger; a state outside 0–5 is refused alone.
 */
import { normaliseFactorCode } from '../../domain/hj212/legacy-codes';
import { parseHjTime } from '../../domain/hj212/hj-time';
import { CN, type Hj212Frame } from '../../domain/hj212/types';
import { FACTOR_CODE_RE } from '../../domain/mqtt-contract';
import { DATA_FLAGS, DATA_KINDS, type DataFlag, type DataKind, type FactorValue, type Reading } from '../../domain/reading';
import type { Source } from '../../domain/registry';
import { signalRefusal, type SignalChannels } from '../../domain/signal-acceptance';
import { equipmentStateCode, RUNNING_STATES } from '../../domain/working-condition';
import type { Hj212RejectionReason } from './rejections';

export interface ReadingContext {
  utcOffsetMinutes: number;
  now: number;
  maxFutureSkewMs: number;
  /** A DataTime further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
  /** The channels registered facilities name, by logger (signal-acceptance.ts); absent: none. */
  signals?: SignalChannels;
}

export type FrameReading =
  { ok: true; reading: Reading; notes: string[]; refused: string[] } | { ok: false; reason: Hj212RejectionReason; detail: string };

export const isDataKind = (cn: string): cn is DataKind => (DATA_KINDS as readonly string[]).includes(cn);
/** An upload that becomes a reading: a data kind, or CN 2021 (equipment state, stored as 2011). */
export const isReadingCn = (cn: string): boolean => isDataKind(cn) || cn === CN.equipmentState;
const NO_SIGNALS: SignalChannels = new Map();

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

type FrameTime = { ok: true; ts: number } | { ok: false; reason: Hj212RejectionReason; detail: string };

/** DataTime of an upload as epoch ms, or why it is refused. */
function uploadTime(frame: Hj212Frame, ctx: ReadingContext): FrameTime {
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
  return { ok: true, ts };
}

/** The reading, or the frame's refusal when no factor is left. */
function collected(
  frame: Hj212Frame,
  source: Source,
  cn: DataKind,
  ts: number,
  out: { factors: Record<string, FactorValue>; notes: string[]; refused: string[] },
): FrameReading {
  const { factors, notes, refused } = out;
  const count = Object.keys(factors).length;
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

/** CN 2021: `SBn-RS` → `grs0n` (rtd, flag N) of a real-time sample at DataTime. */
function equipmentStateReading(frame: Hj212Frame, source: Source, ts: number): FrameReading {
  const out = { factors: {} as Record<string, FactorValue>, notes: [] as string[], refused: [] as string[] };
  for (const f of frame.cp.factors) {
    const code = equipmentStateCode(f.code);
    const rsKey = Object.keys(f.fields).find((k) => k.toLowerCase() === 'rs');
    if (code === undefined || rsKey === undefined) {
      out.notes.push(`"${f.code.slice(0, 20)}" is not an equipment state (SBn-RS): left out`);
      continue;
    }
    const text = (f.fields[rsKey] as string).trim();
    if (PLACEHOLDERS.has(text)) {
      out.notes.push(`${f.code}-RS: no value`);
      continue;
    }
    const state = /^\d$/.test(text) ? Number(text) : NaN;
    if (RUNNING_STATES[state] === undefined) {
      out.refused.push(`${f.code}-${rsKey}="${text.slice(0, 10)}" is not a running state (0–5)`);
      continue;
    }
    out.factors[code] = { rtd: state, flag: 'N' };
  }
  return collected(frame, source, '2011', ts, out);
}

/** The reading of a data upload (or CN 2021 equipment state) from `source`. */
export function frameToReading(frame: Hj212Frame, source: Source, ctx: ReadingContext): FrameReading {
  const cn = frame.cn;
  if (!isReadingCn(cn)) return { ok: false, reason: 'unsupported_cn', detail: `CN ${cn} is not a data upload` };
  const time = uploadTime(frame, ctx);
  if (!time.ok) return time;
  if (!isDataKind(cn)) return equipmentStateReading(frame, source, time.ts);
  const out = { factors: {} as Record<string, FactorValue>, notes: [] as string[], refused: [] as string[] };
  const signals = ctx.signals ?? NO_SIGNALS;
  for (const f of frame.cp.factors) {
    const { code } = normaliseFactorCode(f.code);
    if (!FACTOR_CODE_RE.test(code)) {
      out.notes.push(`factor "${f.code.slice(0, 20)}" is not a known or well-formed code: left out`);
      continue;
    }
    const notSignal = signalRefusal(code, source, signals);
    if (notSignal !== undefined) {
      out.refused.push(notSignal);
      continue;
    }
    const v = factorValue(f.code, f.fields, cn !== '2011');
    if (isBad(v)) out.refused.push(v.bad);
    else if (v) out.factors[code] = v;
    else out.notes.push(`${f.code}: no value`);
  }
  return collected(frame, source, cn, time.ts, out);
}
