import { describe, expect, it } from 'vitest';
import { decodeAll } from '../../server/domain/hj212/decode';
import { createRng } from '../random';
import { HJ212_FAULTS, planUpload, UNKNOWN_HJ212_MN, type Hj212Fault } from './faults';
import { uploadFrame } from './upload-frame';

const AT = Date.parse('2026-07-01T02:00:00Z');
const MN = 'TESTCEMS0000000000000001';
const frame = (legacy = false) =>
  uploadFrame(
    { cn: '2011', ts: AT, factors: { a21026: { rtd: 1, flag: 'N' }, a21002: { rtd: 2, flag: 'N' }, a19001: { rtd: 9, flag: 'N' } } },
    { mn: MN, pw: 'pw', st: '31', qnAt: AT, legacy },
  );

/** What the server's codec sees in the plan's bytes, written back to back. */
function seen(fault: Hj212Fault | null) {
  let t = AT;
  const plan = planUpload(frame(fault === 'legacy_codes'), fault, createRng(3), () => ++t);
  const all = Uint8Array.from(plan.writes.flatMap((w) => [...w.bytes]));
  return {
    plan,
    decoded: decodeAll(all).map((d) =>
      d.ok ? `${d.frame.cn}:${d.frame.mn === MN ? 'mn' : d.frame.mn === UNKNOWN_HJ212_MN ? 'unknown-mn' : '?'}:${d.frame.pw}` : d.reason,
    ),
  };
}

describe('HJ 212 fault injection', () => {
  const TABLE = [
    [null, ['2011:mn:pw'], 1, 0],
    ['bad_crc', ['bad_crc', '2011:mn:pw'], 1, 1],
    ['wrong_password', ['2011:mn:pwx', '2011:mn:pw'], 1, 1],
    ['unknown_mn', ['2011:unknown-mn:pw', '2011:mn:pw'], 1, 1],
    ['legacy_codes', ['2011:mn:pw'], 1, 0],
    ['glued', ['9015:mn:pw', '2011:mn:pw'], 1, 0],
    ['split_chunks', ['2011:mn:pw'], 1, 0],
  ] as const;
  it.each(TABLE)('%s: the server sees %j, %i reply owed, %i refused', (fault, want, replies, refused) => {
    const { plan, decoded } = seen(fault);
    expect(decoded).toEqual(want);
    expect(plan.expectReplies).toHaveLength(replies);
    expect(plan.refused).toBe(refused);
  });

  it('split_packet: sub-packets, each owed its 9014', () => {
    const { plan, decoded } = seen('split_packet');
    expect(decoded.length).toBeGreaterThanOrEqual(2);
    expect(plan.expectReplies).toHaveLength(decoded.length);
    expect(new Set(plan.expectReplies).size).toBe(decoded.length);
  });

  it('the unknown-MN copy is sent as that MN (over MQTT: on its topic)', () => {
    expect(seen('unknown_mn').plan.writes.map((w) => w.mn)).toEqual([UNKNOWN_HJ212_MN, MN]);
  });

  it('split_chunks cuts the frame into several writes; glued writes two frames in one without \\r\\n', () => {
    expect(seen('split_chunks').plan.writes.length).toBeGreaterThan(1);
    const glued = new TextDecoder().decode(seen('glued').plan.writes[0]?.bytes);
    expect(glued.match(/##\d{4}/g)).toHaveLength(2);
    expect(glued).not.toContain('\r\n');
  });

  it('the tables here cover every fault', () => {
    expect(new Set([...TABLE.map((row) => row[0]), 'split_packet'])).toEqual(new Set([null, ...HJ212_FAULTS]));
  });
});
