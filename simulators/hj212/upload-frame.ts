/**
 * A simulated logger's upload as an HJ 212 frame: the JSON message the SimulatedLogger produced
 * (cn, ts, factors) becomes `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;CP=&&DataTime=…;code-Rtd=…,…&&`.
 * rtd→`-Rtd`, avg→`-Avg`, min→`-Min`, max→`-Max`, zs→`-ZsRtd` (2011) or `-ZsAvg`, cou→`-Cou`,
 * flag→`-Flag`. With `legacy`, factor codes are HJ 212-2005 codes where one exists and the
 * Flag's version is 0 (2005). Pure.
 */
import { catalog } from '../../server/domain/catalog';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { encodeFlag, type CpFactor, type Hj212Frame } from '../../server/domain/hj212/types';
import { parseIsoWithOffset, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { FactorValue } from '../../server/domain/reading';
import type { SourceKind } from '../../server/domain/source-kinds';

/** ST per source kind: 31 air pollution source, 22 ambient air, 39 construction dust (DOMAIN §2). */
export const ST_OF_KIND: Record<SourceKind, string> = {
  cems: '31',
  vocs: '31',
  ammonia: '31',
  vapour: '31',
  ambient: '22',
  condition: '31',
  catering: '31',
  dust: '39',
};

export interface UploadOptions {
  mn: string;
  pw: string;
  st: string;
  /** When the frame is sent (its QN), epoch ms. */
  qnAt: number;
  /** Ask the server for a 9014. Default true. */
  ack?: boolean;
  /** HJ 212-2005 codes and version 0. */
  legacy?: boolean;
  utcOffsetMinutes?: number;
}

const FIELD_NAMES: Record<Exclude<keyof FactorValue, 'flag' | 'zs'>, string> = {
  rtd: 'Rtd',
  avg: 'Avg',
  min: 'Min',
  max: 'Max',
  cou: 'Cou',
};

function cpFactor(code: string, v: Partial<FactorValue>, realtime: boolean, legacy: boolean): CpFactor {
  const sent = legacy ? (catalog.get(code)?.legacy ?? code) : code;
  const fields: Record<string, string> = {};
  for (const [key, name] of Object.entries(FIELD_NAMES)) {
    const value = v[key as keyof typeof FIELD_NAMES];
    if (value !== undefined) fields[name] = String(value);
  }
  if (v.zs !== undefined) fields[realtime ? 'ZsRtd' : 'ZsAvg'] = String(v.zs);
  fields.Flag = v.flag ?? 'N';
  return { code: sent, fields };
}

/** Epoch ms of a LoggerMessage's ts (ISO text with offset, or epoch ms). */
export function messageTime(ts: string | number): number {
  const at = typeof ts === 'number' ? ts : parseIsoWithOffset(ts);
  if (at === undefined) throw new RangeError(`"${String(ts)}" is not a time`);
  return at;
}

export function uploadFrame(message: LoggerMessage, opts: UploadOptions): Hj212Frame {
  const offset = opts.utcOffsetMinutes ?? 480;
  const legacy = opts.legacy ?? false;
  return {
    qn: formatQn(opts.qnAt, offset),
    st: opts.st,
    cn: message.cn,
    pw: opts.pw,
    mn: opts.mn,
    flag: encodeFlag({ ack: opts.ack ?? true, split: false, version: legacy ? 0 : 1 }),
    cp: {
      params: { DataTime: formatHjTime(messageTime(message.ts), offset) },
      factors: Object.entries(message.factors).map(([code, v]) => cpFactor(code, v, message.cn === '2011', legacy)),
    },
  };
}

/**
 * The same upload split into `parts` sub-packets (Flag bit D, PNUM/PNO, each its own QN), the
 * factors dealt out in order, as evenly as they go (never an empty part: a part without a factor
 * is refused). `nextQnAt` gives each part's QN instant.
 */
export function splitUpload(frame: Hj212Frame, parts: number, nextQnAt: () => number, utcOffsetMinutes = 480): Hj212Frame[] {
  const n = Math.max(1, Math.min(parts, frame.cp.factors.length));
  const { factors } = frame.cp;
  const cut = (i: number) => Math.ceil((i * factors.length) / n);
  const flag = (frame.flag ?? 0) | 2;
  return Array.from({ length: n }, (_, i) => ({
    ...frame,
    qn: formatQn(nextQnAt(), utcOffsetMinutes),
    flag,
    pnum: n,
    pno: i + 1,
    cp: { params: { ...frame.cp.params }, factors: factors.slice(cut(i), cut(i + 1)) },
  }));
}
