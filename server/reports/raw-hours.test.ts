import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../domain/local-time';
import { planRawReads, SOURCE_HOURS_PER_READ, type RawRead } from './raw-hours';

const H0 = Date.parse('2026-07-02T00:00:00+08:00');
const mnOf = (i: number) => `370300CEMS${String(i).padStart(14, '0')}`;
const asked = (reads: readonly RawRead[]) => reads.flatMap((r) => r.sources.flatMap(([mn, hours]) => hours.map((h) => `${mn}@${h}`)));

describe('planRawReads', () => {
  it('reads the same hour of many sources together, SOURCE_HOURS_PER_READ sources a read', () => {
    const n = 2 * SOURCE_HOURS_PER_READ + 7;
    const reads = planRawReads(Array.from({ length: n }, (_, i) => [mnOf(i), [H0]] as const));
    expect(reads.map((r) => r.sources.length)).toEqual([SOURCE_HOURS_PER_READ, SOURCE_HOURS_PER_READ, 7]);
    for (const r of reads) expect([r.from, r.to]).toEqual([H0, H0 + HOUR_MS]);
    expect(asked(reads)).toHaveLength(n);
  });

  it('counts a source’s span in hours: a day-long span reads fewer sources at once', () => {
    const day = Array.from({ length: 24 }, (_, i) => H0 + i * HOUR_MS);
    const reads = planRawReads(Array.from({ length: 10 }, (_, i) => [mnOf(i), day] as const));
    const perRead = Math.floor(SOURCE_HOURS_PER_READ / 24);
    expect(reads[0]?.sources).toHaveLength(perRead);
    for (const r of reads) expect(r.sources.length * 24).toBeLessThanOrEqual(SOURCE_HOURS_PER_READ);
    expect(asked(reads)).toHaveLength(240);
  });

  it('reads only each source’s own hours, sources of another span apart, hours more than a day apart in spans of their own', () => {
    const reads = planRawReads([
      [mnOf(1), [H0 + 2 * HOUR_MS, H0, H0]],
      [mnOf(2), [H0, H0 + 2 * HOUR_MS]],
      [mnOf(3), [H0 + HOUR_MS]],
      [mnOf(4), [H0, H0 + 3 * DAY_MS]],
    ]);
    expect(reads).toEqual([
      {
        from: H0,
        to: H0 + 3 * HOUR_MS,
        sources: [
          [mnOf(1), [H0, H0 + 2 * HOUR_MS]],
          [mnOf(2), [H0, H0 + 2 * HOUR_MS]],
        ],
      },
      { from: H0 + HOUR_MS, to: H0 + 2 * HOUR_MS, sources: [[mnOf(3), [H0 + HOUR_MS]]] },
      { from: H0, to: H0 + HOUR_MS, sources: [[mnOf(4), [H0]]] },
      { from: H0 + 3 * DAY_MS, to: H0 + 3 * DAY_MS + HOUR_MS, sources: [[mnOf(4), [H0 + 3 * DAY_MS]]] },
    ]);
  });

  it('plans nothing for nothing asked', () => {
    expect(planRawReads([])).toEqual([]);
    expect(planRawReads([[mnOf(1), []]])).toEqual([]);
  });
});
