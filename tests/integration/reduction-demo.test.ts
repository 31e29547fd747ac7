/**
 * The demo's reduction lists (issue 18) on the real app with the shipped registry: filed once at
 * start when none exist (as `npm start` does), the coverage report then shows current, outdated and
 * missing lists, and the demo enterprise user reads its own with what applies for its grade (B).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReductionCoverageRow, ReductionListAnswer } from '../../server/domain/reduction-list-api';
import { seedDemoReductionLists } from '../../server/reductions/demo-lists';
import { ROOT, signIn, startTestApp, type TestApp } from '../helpers/test-app';

describe('the demo reduction lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      { REGISTRY_FILE: join(ROOT, 'config/registry.yaml'), MAP_BOUNDARY_FILE: join(ROOT, 'config/map/chaoyang.geo.json') },
      { now: () => Date.parse('2026-12-04T10:00:00+08:00') },
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are filed once, show every standing, and the demo enterprise reads its own', async () => {
    const filed = await seedDemoReductionLists(t.app.reductions, t.app.registry.view.current());
    expect(filed).toBeGreaterThan(20);
    expect(await seedDemoReductionLists(t.app.reductions, t.app.registry.view.current())).toBe(0);
    const officer = await t.signIn('officer');
    const { body } = await officer.call<{ items: ReductionCoverageRow[] }>('GET', '/api/reduction-lists');
    expect(new Set(body.items.map((r) => r.standing))).toEqual(new Set(['current', 'outdated', 'missing']));
    const ent = await signIn(t.baseUrl, 'chaoyang-power', 'chaoyang-power-demo-2026');
    const own = await ent.call<ReductionListAnswer>('GET', '/api/reduction-lists/chaoyang-power/2026');
    expect(own.status).toBe(200);
    expect(own.body.grade).toBe('B');
    expect(own.body.applies.red.map((m) => [m.obligation, m.fromLevel, m.measure.action])).toEqual([
      ['required', 'orange', 'limit'],
      ['required', 'orange', 'limit'],
    ]);
  });
});
