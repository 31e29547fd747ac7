/** The data-quality page's figures from rollup hours: rates, ranking by district, contractors, cases due. */
import { describe, expect, it } from 'vitest';
import type { Enterprise } from '../domain/registry';
import type { SourceHour } from '../storage/hourly-rollup';
import { source } from '../rules/test-kit';
import { casesDue, transmissionQuality, type SourceInput } from './quality-figures';

const H = 3_600_000;
/** A 10-hour "period" for readable numbers; intervalS 360 → 10 intervals an hour, 100 expected. */
const PERIOD = { text: '2026-11', kind: 'month' as const, from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 1) + 10 * H };
const AFTER = PERIOD.to + H;
const RULES = { passRate: 0.9, elevatedStackM: 45 };

const ent = (id: string, omContractor?: string): Enterprise =>
  ({ id, name: `${id} 公司`, district: 'x', ...(omContractor ? { omContractor } : {}) }) as Enterprise;

/** `n` hours of `intervals` received (`valid` of them valid); `fault` hours flagged D on a factor. */
function hours(mn: string, n: number, intervals: number, valid: number, fault = 0): SourceHour[] {
  return Array.from({ length: n }, (_, i) => ({
    mn,
    hour: PERIOD.from + i * H,
    basis: '2011',
    records: intervals,
    validRecords: valid,
    intervalS: 360,
    intervals,
    validIntervals: valid,
    factors: { a21026: { n: 60, nValid: 60, sum: 1, nZs: 0, sumZs: 0, flag: i < fault ? 'D' : 'N' } },
  }));
}

function input(
  mn: string,
  district: string,
  e: Enterprise,
  h: SourceHour[],
  extra: { stack?: number; suspected?: number } = {},
): SourceInput {
  const src = source({ mn, kind: 'cems', enterpriseId: e.id, intervalS: 360, ...(extra.stack ? { stackHeightM: extra.stack } : {}) });
  return { source: src, enterprise: e, district, hours: h, suspected: extra.suspected ?? 0 };
}

const MN = (n: number) => `3703000000000000000000${String(n).padStart(2, '0')}`;

describe('transmissionQuality', () => {
  const a = ent('a', '甲运维');
  const b = ent('b', '乙运维');
  const c = ent('c');
  const inputs = [
    input(MN(1), '北区', a, hours(MN(1), 10, 10, 10), { stack: 120 }), // 100 %
    input(MN(2), '北区', a, hours(MN(2), 10, 10, 8, 2), { stack: 30, suspected: 1 }), // 80 %, 2 fault hours
    input(MN(3), '南区', b, hours(MN(3), 10, 10, 10)), // 100 %
    input(MN(4), '南区', c, hours(MN(4), 10, 10, 10)), // 100 %
    input(MN(5), '东区', b, hours(MN(5), 5, 10, 10), { stack: 60, suspected: 2 }), // half the hours: 50 %
  ];
  const q = transmissionQuality(inputs, [], PERIOD, AFTER, RULES);

  it('per source: the three rates, pass at ≥ 90 %, stack height and the elevated mark (> 45 m)', () => {
    const s2 = q.sources.find((s) => s.mn === MN(2))!;
    expect(s2).toMatchObject({ expected: 100, received: 100, valid: 80, transmissionRate: 1, validityRate: 0.8, effectiveRate: 0.8 });
    expect(s2).toMatchObject({
      pass: false,
      stackHeightM: 30,
      elevated: false,
      faultHours: 2,
      suspectedFalsification: 1,
      omContractor: '甲运维',
    });
    expect(q.sources.find((s) => s.mn === MN(1))).toMatchObject({ effectiveRate: 1, pass: true, stackHeightM: 120, elevated: true });
    expect(q.sources.find((s) => s.mn === MN(5))).toMatchObject({ transmissionRate: 0.5, effectiveRate: 0.5, elevated: true, pass: false });
    expect(q.sources.find((s) => s.mn === MN(3))).toMatchObject({ stackHeightM: null, elevated: false, omContractor: '乙运维' });
  });

  it('districts ranked by their mean, best first; sources in that order', () => {
    expect(q.districts).toEqual([
      { district: '南区', rank: 1, sources: 2, meanEffectiveRate: 1, failing: 0 },
      { district: '北区', rank: 2, sources: 2, meanEffectiveRate: 0.9, failing: 1 },
      { district: '东区', rank: 3, sources: 1, meanEffectiveRate: 0.5, failing: 1 },
    ]);
    expect(q.sources.map((s) => s.mn)).toEqual([MN(3), MN(4), MN(1), MN(2), MN(5)]);
  });

  it('per O&M contractor: sources, mean, fault hours, suspected falsification; worst first, none on file apart', () => {
    expect(q.contractors).toEqual([
      { contractor: '乙运维', sources: 2, enterprises: 1, meanEffectiveRate: 0.75, failing: 1, faultHours: 0, suspectedFalsification: 2 },
      { contractor: '甲运维', sources: 2, enterprises: 1, meanEffectiveRate: 0.9, failing: 1, faultHours: 2, suspectedFalsification: 1 },
      { contractor: null, sources: 1, enterprises: 1, meanEffectiveRate: 1, failing: 0, faultHours: 0, suspectedFalsification: 0 },
    ]);
  });

  it('an ended period: every source below 90 % is due a transmission case', () => {
    expect(q.complete).toBe(true);
    expect(q.caseDue.map((c) => [c.mn, c.reason, c.effectiveRate])).toEqual([
      [MN(2), 'transmission', 0.8],
      [MN(5), 'transmission', 0.5],
    ]);
  });

  it('a running period: rates up to now, and no transmission case yet', () => {
    const running = transmissionQuality(inputs, [], PERIOD, PERIOD.from + 5 * H, RULES);
    expect(running.complete).toBe(false);
    expect(running.sources.find((s) => s.mn === MN(5))).toMatchObject({ expected: 50, effectiveRate: 1 });
    expect(running.caseDue).toEqual([]);
  });
});

describe('casesDue: outages', () => {
  const outage = (sinceH: number) => ({ mn: MN(9), enterpriseId: 'a', district: '北区', since: AFTER - sinceH * H, caseAfterS: 72 * 3600 });
  it.each([
    [71, []],
    [72, [{ mn: MN(9), reason: 'outage', offlineHours: 72, offlineSince: AFTER - 72 * H, effectiveRate: null, period: '2026-11' }]],
  ])('offline %i h', (sinceH, expected) => {
    expect(casesDue([], [outage(sinceH)], PERIOD, AFTER)).toMatchObject(expected);
  });
});
