import type { ReductionResponse } from '@domain/response';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useResponsesStore } from './responses';

const r = (over: Partial<ReductionResponse>): ReductionResponse => ({
  id: 1,
  warningId: 1,
  level: 'orange',
  districts: ['双塔区'],
  status: 'active',
  startAt: 1,
  endAt: null,
  enterprises: [],
  withoutList: [],
  city: [],
  history: [],
  judgedUntil: 1,
  version: 1,
  ...over,
});

const json = (body: unknown, status = 200): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

describe('responses store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the newer version of a response; active ones first, newest first', () => {
    const s = useResponsesStore();
    s.apply(r({ id: 1, version: 2, level: 'red' }));
    s.apply(r({ id: 1, version: 1, level: 'yellow' })); // older: ignored
    s.apply(r({ id: 2, status: 'ended' }));
    s.apply(r({ id: 3 }));
    expect(s.items.map((x) => [x.id, x.level, x.status])).toEqual([
      [3, 'orange', 'active'],
      [1, 'red', 'active'],
      [2, 'orange', 'ended'],
    ]);
    expect(s.active.map((x) => x.id)).toEqual([3, 1]);
  });

  it('loads over REST, refuses a malformed answer, and applies an acknowledgement’s answer', async () => {
    const s = useResponsesStore();
    await s.load(json({ items: [r({ id: 4 })] }));
    expect(s.items.map((x) => x.id)).toEqual([4]);
    await s.load(json({ items: [{ id: 'x' }] }));
    expect(s.error).not.toBeNull();
    await s.acknowledge(4, json({ ack: { username: 'e', at: 2 }, response: r({ id: 4, version: 2, judgedUntil: 9 }) }));
    expect(s.items[0]?.judgedUntil).toBe(9);
  });

  it('loads an effect report (an enterprise’s: no city, no ambient effect) and refuses a malformed one', async () => {
    const s = useResponsesStore();
    const cut = { pollutant: 'nox', expectedKg: 8, achievedKg: 16.92, outletHours: 2, measuredHours: 2, achievedPct: 211.5 };
    const effect = {
      responseId: 4,
      warningId: 1,
      level: 'orange',
      districts: ['临淄区'],
      status: 'ended',
      period: { from: 1, to: 2 },
      rows: [
        {
          enterpriseId: 'e',
          name: '甲',
          grade: 'C',
          listed: true,
          acknowledged: true,
          required: 1,
          compliant: 1,
          failed: 0,
          unverified: 0,
          reductions: [cut],
        },
      ],
      totals: { enterprises: 1, withoutList: 0, acknowledged: 1, required: 1, compliant: 1, failed: 0, unverified: 0 },
      city: null,
      ambient: { available: false, reason: 'not-shown' },
    };
    await s.loadEffect(4, json(effect));
    expect(s.effects.get(4)?.rows[0]?.reductions[0]?.achievedKg).toBe(16.92);
    await expect(
      s.loadEffect(5, json({ ...effect, rows: [{ ...effect.rows[0], reductions: [{ ...cut, pollutant: 'co' }] }] })),
    ).rejects.toThrow();
    expect(s.effects.has(5)).toBe(false);
  });
});
