import { describe, expect, it } from 'vitest';
import type { ResolvedMeasure } from './reduction-list';
import type { MeasureVerification, ReductionResponse, ResponseEnterprisePart } from './response';
import { complianceOf } from './warning-effect';

const measure = (entryId: string, obligation: ResolvedMeasure['obligation']): ResolvedMeasure => ({
  entryId,
  name: entryId,
  obligation,
  measure: { action: obligation === 'none' ? 'unchanged' : 'stop', indicators: [], expectedKgH: {} },
  fromLevel: 'orange',
  policy: 'as-listed',
});
const verified = (entryId: string, passed: number, failed: number, nodata = 0): MeasureVerification => ({
  entryId,
  judged: passed + failed + nodata,
  passed,
  failed,
  nodata,
  streak: 0,
  lastHour: null,
  lastVerdict: null,
  lastChecks: [],
});
const part = (id: string, p: Partial<ResponseEnterprisePart>): ResponseEnterprisePart => ({
  enterpriseId: id,
  name: `${id} 公司`,
  grade: 'C',
  list: { year: 2026, version: 1 },
  measures: [],
  required: 0,
  acknowledged: null,
  verification: [],
  ...p,
});
const response = (enterprises: ResponseEnterprisePart[]): ReductionResponse => ({
  id: 7,
  warningId: 3,
  level: 'orange',
  districts: ['双塔区'],
  status: 'ended',
  startAt: 0,
  endAt: 1,
  enterprises,
  withoutList: [],
  city: [],
  history: [],
  judgedUntil: 0,
  version: 1,
});

describe('complianceOf: the effect report’s compliance line', () => {
  it('is unavailable without a response', () => {
    expect(complianceOf(null)).toEqual({ available: false });
  });

  it('classes each required measure as compliant, failed or unverified, and sums them', () => {
    const c = complianceOf(
      response([
        part('a', {
          acknowledged: { username: 'a', at: 1 },
          measures: [measure('e1', 'required'), measure('e2', 'required'), measure('e3', 'none'), measure('e4', 'required')],
          verification: [verified('e1', 3, 0), verified('e2', 2, 1), verified('e4', 0, 0, 4)],
        }),
        part('b', { grade: 'A', measures: [measure('e1', 'voluntary')], verification: [verified('e1', 0, 5)] }), // voluntary: not counted
        part('c', { list: null }),
      ]),
    );
    if (!c.available) throw new Error('unavailable');
    expect(c.rows.map((r) => [r.enterpriseId, r.listed, r.acknowledged, r.required, r.compliant, r.failed, r.unverified])).toEqual([
      ['a', true, true, 3, 1, 1, 1], // e1 passed only; e2 failed an hour; e4 only nodata
      ['b', true, false, 0, 0, 0, 0],
      ['c', false, false, 0, 0, 0, 0],
    ]);
    expect(c.totals).toEqual({ enterprises: 3, withoutList: 1, acknowledged: 1, required: 3, compliant: 1, failed: 1, unverified: 1 });
    expect(c.responseId).toBe(7);
  });
});
