import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../server/domain/hj212/decode';
import { encodeFrame } from '../../server/domain/hj212/encode';
import { createRng } from '../random';
import { buildScenario } from '../scenarios';
import { SimulatedLogger } from '../simulated-logger';
import { testRegistry } from '../test-registry';
import { messageTime, splitUpload, uploadFrame } from './upload-frame';

const AT = Date.parse('2026-07-01T02:00:00Z');
const decoded = (f: ReturnType<typeof uploadFrame>) => {
  const d = decodeFrame(encodeFrame(f));
  if (!d.ok) throw new Error(d.detail);
  return d.frame;
};

describe('simulated uploads as HJ 212 frames', () => {
  it('turns what the kind generators produce into frames that decode to the same values', () => {
    const registry = testRegistry();
    for (const source of registry.sources) {
      const logger = new SimulatedLogger({ source, rng: createRng(1), scenario: buildScenario('normal', registry), intervalMs: 5000 });
      for (const message of logger.tick(AT, 0)) {
        const json = JSON.parse(message.payload);
        const frame = decoded(uploadFrame(json, { mn: source.mn, pw: '123456', st: '31', qnAt: AT + 5 }));
        expect(frame).toMatchObject({
          qn: '20260701100000005',
          cn: json.cn,
          mn: source.mn,
          flag: 5,
          cp: { params: { DataTime: '20260701100000' } },
        });
        for (const f of frame.cp.factors) {
          const v = json.factors[f.code];
          expect(Number(f.fields.Rtd)).toBe(v.rtd);
          expect(f.fields.Flag).toBe(v.flag);
          if (v.zs !== undefined) expect(Number(f.fields.ZsRtd)).toBe(v.zs);
        }
      }
    }
  });

  it('aggregates carry -Avg -Min -Max -ZsAvg -Cou', () => {
    const frame = decoded(
      uploadFrame(
        { cn: '2061', ts: AT, factors: { a21026: { avg: 10, min: 8, max: 12, zs: 11, cou: 0.5, flag: 'N' } } },
        { mn: 'M', pw: '', st: '31', qnAt: AT },
      ),
    );
    expect(frame.cp.factors).toEqual([{ code: 'a21026', fields: { Avg: '10', Min: '8', Max: '12', Cou: '0.5', ZsAvg: '11', Flag: 'N' } }]);
  });

  it('legacy mode sends 2005 codes where one exists, version 0', () => {
    const frame = decoded(
      uploadFrame(
        { cn: '2011', ts: AT, factors: { a21026: { rtd: 1, flag: 'N' }, a19001: { rtd: 9, flag: 'N' }, a24088: { rtd: 3, flag: 'N' } } },
        { mn: 'M', pw: '', st: '31', qnAt: AT, legacy: true },
      ),
    );
    expect(frame.cp.factors.map((f) => f.code)).toEqual(['02', 'S01', 'a24088']);
    expect(frame.flag).toBe(1);
  });

  it('splits an upload into sub-packets with PNUM/PNO and their own QNs', () => {
    let t = AT;
    const frame = uploadFrame(
      { cn: '2011', ts: AT, factors: { a: { rtd: 1 }, b: { rtd: 2 }, c: { rtd: 3 } } },
      { mn: 'M', pw: '', st: '31', qnAt: AT },
    );
    const parts = splitUpload(frame, 2, () => ++t).map((p) => decoded(p));
    expect(parts.map((p) => [p.qn, p.flag, p.pnum, p.pno, p.cp.factors.map((f) => f.code)])).toEqual([
      ['20260701100000001', 7, 2, 1, ['a', 'b']],
      ['20260701100000002', 7, 2, 2, ['c']],
    ]);
  });

  it.each([
    [1, 2],
    [2, 3],
    [4, 3],
    [5, 3],
    [7, 3],
  ])('splits %i factors into up to %i parts, none of them empty, none lost', (count, parts) => {
    const factors = Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, { rtd: i }]));
    let t = AT;
    const frame = uploadFrame({ cn: '2011', ts: AT, factors }, { mn: 'M', pw: '', st: '31', qnAt: AT });
    const split = splitUpload(frame, parts, () => ++t);
    expect(split).toHaveLength(Math.min(count, parts));
    for (const p of split) expect(p.cp.factors.length).toBeGreaterThan(0);
    expect(split.flatMap((p) => p.cp.factors.map((f) => f.code))).toEqual(Object.keys(factors));
  });

  it('reads the message time as ISO with offset or epoch ms', () => {
    expect(messageTime('2026-07-01T10:00:00+08:00')).toBe(AT);
    expect(messageTime(AT)).toBe(AT);
    expect(() => messageTime('yesterday')).toThrow(RangeError);
  });
});
