/**
 * The fuzz suite's frames: valid uploads and mutated ones (byte-level mutations that break the
 * envelope, content mutations in a valid envelope), planned per connection with a seeded Rng, and
 * the verdicts the pure decoder gives each mutated frame on its own (the oracle).
 */
import { decodeAll } from '../../server/domain/hj212/decode';
import { wrapSegment } from '../../server/domain/hj212/encode';
import { formatHjTime } from '../../server/domain/hj212/hj-time';
import type { Registry } from '../../server/domain/registry';
import { judge } from '../../server/ingest/hj212/frame-verdict';
import type { Rng } from '../../simulators/random';
import { bulkMn } from '../../simulators/hj212/bulk-registry';

const enc = new TextEncoder();
export const VALID_BASE = Date.parse('2026-06-01T00:00:00Z');
const MUTANT_BASE = Date.parse('2026-05-01T00:00:00Z');

const segment = (mn: string, qn: string, at: number, cp = 'a21026-Rtd=12.5,a21026-Flag=N;a21002-Rtd=30.1,a21002-ZsRtd=41,a21002-Flag=N') =>
  `QN=${qn};ST=31;CN=2011;PW=123456;MN=${mn};Flag=5;CP=&&DataTime=${formatHjTime(at)};${cp}&&`;
const qnOf = (c: number, i: number, mutant: boolean) => `20260${mutant ? 5 : 6}0${c}${String(i).padStart(9, '0')}`;

type Mutation = (frame: Uint8Array, rng: Rng, mn: string, qn: string, at: number) => Uint8Array;
export const pick = (rng: Rng, n: number) => Math.floor(rng() * n);
export const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const randomBytes = (rng: Rng, n: number) => Uint8Array.from({ length: n }, () => pick(rng, 256));
const rewrap = (seg: string) => wrapSegment(seg);

/** Byte-level mutations (the CRC is not recomputed) and content mutations (a valid envelope). */
export const MUTATIONS: Record<string, Mutation> = {
  flip: (f, rng) => {
    const c = f.slice();
    const i = pick(rng, c.length);
    c[i] = c[i]! ^ (1 + pick(rng, 255));
    return c;
  },
  insert: (f, rng) => {
    const i = pick(rng, f.length);
    return concat(f.subarray(0, i), randomBytes(rng, 1 + pick(rng, 20)), f.subarray(i));
  },
  delete: (f, rng) => {
    const i = pick(rng, f.length - 1);
    return concat(f.subarray(0, i), f.subarray(Math.min(f.length, i + 1 + pick(rng, 20))));
  },
  truncate: (f, rng) => f.subarray(0, 1 + pick(rng, f.length - 3)),
  lengthDigit: (f, rng) => {
    const c = f.slice();
    const i = 2 + pick(rng, 4);
    c[i] = 0x30 + ((c[i]! - 0x30 + 1 + pick(rng, 9)) % 10);
    return c;
  },
  fakeHeader: (f, rng) => {
    const i = 6 + pick(rng, f.length - 12);
    return concat(f.subarray(0, i), enc.encode(`##${String(pick(rng, 10_000)).padStart(4, '0')}`), f.subarray(i));
  },
  separator: (f) => {
    const t = new TextDecoder().decode(f);
    return enc.encode(t.replace('a21026-Flag', 'a21026;Flag'));
  },
  lowercaseCrc: (f) => {
    const t = new TextDecoder().decode(f);
    return enc.encode(t.slice(0, -6) + t.slice(-6).toLowerCase());
  },
  noCrlf: (f) => f.subarray(0, f.length - 2),
  garbageOnly: (_f, rng) => randomBytes(rng, 1 + pick(rng, 300)).map((b) => (b === 0x23 || b === 0x0d || b === 0x0a ? 0x24 : b)),
  noMn: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at).replace(`MN=${mn};`, '')),
  badCn: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at).replace('CN=2011', 'CN=9999')),
  badDataTime: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at).replace(/DataTime=\d+/, 'DataTime=20261345250000')),
  futureDataTime: (_f, _r, mn, qn) => rewrap(segment(mn, qn, Date.now() + 86_400_000)),
  textValue: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at, 'a21026-Rtd=abc,a21026-Flag=N')),
  badFlag: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at, 'a21026-Rtd=1,a21026-Flag=X')),
  emptyCp: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at, '')),
  unknownMn: (_f, _r, _mn, qn, at) => rewrap(segment('370300HJZZ00000000000000', qn, at)),
  wrongPw: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at).replace('PW=123456', 'PW=654321')),
  badSplit: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at).replace('Flag=5', 'Flag=7')),
  protoKey: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at, '__proto__-Rtd=1;a21026-Rtd=2')),
  longSegment: (_f, _r, mn, qn, at) =>
    rewrap(
      segment(mn, qn, at, Array.from({ length: 200 }, (_, k) => `x${String(10000 + k)}-Rtd=${k}.5,x${String(10000 + k)}-Flag=N`).join(';')),
    ),
  chineseInfo: (_f, _r, mn, qn, at) => rewrap(segment(mn, qn, at, 'a21026-Rtd=1,a21026-Info=仪表故障，已通知运维')),
};
const KINDS = Object.keys(MUTATIONS);

/** Content mutations whose refusal reason is known in advance. */
const EXPECTED_REASON: Record<string, string> = {
  noMn: 'bad_frame',
  badCn: 'unsupported_cn',
  badDataTime: 'bad_datatime',
  futureDataTime: 'future_timestamp',
  textValue: 'bad_value',
  badFlag: 'bad_value',
  emptyCp: 'no_values',
  unknownMn: 'unknown_mn',
  wrongPw: 'bad_password',
  badSplit: 'bad_split',
  separator: 'bad_crc',
};
const ALWAYS_ACCEPTED = new Set(['lowercaseCrc', 'noCrlf', 'protoKey', 'longSegment', 'chineseInfo']);

export interface Planned {
  stream: Uint8Array;
  validQns: string[];
  oracle: { accepted: number; readings: number; rejected: Record<string, number> };
}

export function plan(c: number, count: number, registry: Registry, rng: Rng): Planned {
  const byMn = new Map(registry.sources.map((s) => [s.mn, s]));
  const mn = bulkMn(c);
  const parts: Uint8Array[] = [];
  const validQns: string[] = [];
  const oracle = { accepted: 0, readings: 0, rejected: {} as Record<string, number> };
  const ctx = { lookup: (m: string) => byMn.get(m), utcOffsetMinutes: 480, now: Date.now(), maxFutureSkewMs: 300_000 };
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const mqn = qnOf(c, i, true);
    const mat = MUTANT_BASE + i * 1000;
    const mutant = MUTATIONS[kind]!(wrapSegment(segment(mn, mqn, mat)), rng, mn, mqn, mat);
    parts.push(mutant);
    // A valid frame after each mutated one: the stream ends on a frame, nothing waits for more bytes.
    const qn = qnOf(c, i, false);
    validQns.push(qn);
    parts.push(wrapSegment(segment(mn, qn, VALID_BASE + i * 1000)));
    const verdicts = decodeAll(mutant).map((d) => judge(d, ctx));
    if (verdicts.length === 0) throw new Error(`mutation ${kind} produced nothing`);
    for (const v of verdicts) {
      if (v.kind === 'rejected') oracle.rejected[v.reason] = (oracle.rejected[v.reason] ?? 0) + 1;
      else {
        oracle.accepted++;
        if (v.kind === 'reading') oracle.readings++;
      }
    }
    const reasons = verdicts.map((v) => (v.kind === 'rejected' ? v.reason : 'accepted'));
    if (EXPECTED_REASON[kind] && reasons.join() !== EXPECTED_REASON[kind])
      throw new Error(`${kind}: expected ${EXPECTED_REASON[kind]}, oracle says ${reasons.join()}`);
    if (ALWAYS_ACCEPTED.has(kind) && reasons.join() !== 'accepted')
      throw new Error(`${kind}: expected accepted, oracle says ${reasons.join()}`);
  }
  return { stream: concat(...parts), validQns, oracle };
}
