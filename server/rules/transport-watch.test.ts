/**
 * The transport watch's clock at a province's size (issue 20): a tick judges TRANSPORT_SLICE
 * sources before the event loop's first turn and the rest a slice per turn, every source once,
 * and a tick that comes while one is under way is skipped.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import { registrySchema } from '../domain/registry';
import { DEFAULT_RULE_PARAMS } from '../domain/rule-pack';
import { EventBus } from '../domain/internal-events';
import { RegistryHolder } from '../registry/registry-holder';
import { DAY, T0 } from './test-kit';
import { TRANSPORT_SLICE, TransportWatch } from './transport-watch';

describe('TransportWatch.tick', () => {
  it('judges a province a slice per turn of the event loop, every source once; a tick meanwhile is skipped', async () => {
    const n = 2 * TRANSPORT_SLICE + 1;
    const mn = (i: number) => `370300CEMS${String(i).padStart(14, '0')}`;
    const registry = new RegistryHolder(
      registrySchema.parse({
        enterprises: [{ id: 'e', name: '电厂', district: '张店区' }],
        sources: Array.from({ length: n }, (_, i) => ({ mn: mn(i), enterpriseId: 'e', name: `锅炉${i}`, kind: 'cems', lat: 36, lon: 118 })),
      }),
      new EventBus(),
    );
    const clock = { now: T0 };
    const suspected: string[] = [];
    const sink = {
      apply: (findings: readonly Finding[]) => {
        for (const f of findings) if (f.type === 'exceeded' && f.rule === 'no-raw-hj212') suspected.push(f.mn);
      },
    };
    const watch = new TransportWatch({ registry, paramsOf: () => DEFAULT_RULE_PARAMS, sink, tickMs: 60_000, now: () => clock.now });
    // JSON readings only, for more than the 7-day period since the watch started: every source is suspected.
    clock.now = T0 + 8 * DAY;
    for (let i = 0; i < n; i++) watch.onReading(mn(i));
    const ticking = watch.tick();
    expect(suspected).toHaveLength(TRANSPORT_SLICE); // the first slice before the event loop's turn
    await watch.tick(); // under way: skipped
    await ticking;
    expect(suspected).toHaveLength(n);
    expect(new Set(suspected).size).toBe(n);
  });
});
