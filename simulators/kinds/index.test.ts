import { describe, expect, it } from 'vitest';
import { catalog } from '../../server/domain/catalog';
import { loggerPayloadSchema } from '../../server/domain/mqtt-contract';
import { createRng } from '../random';
import { chinaTime, testRegistry } from '../test-registry';
import { toChinaIso } from '../time';
import { KIND_FACTORS, KIND_GENERATORS } from './index';

const sources = testRegistry().sources;

describe('every kind', () => {
  it.each(sources.map((s) => [s.name, s] as const))('%s: produces only catalog factors of its kind, as a valid payload', (_n, source) => {
    const rng = createRng(1);
    for (let i = 0; i < 48; i += 1) {
      const at = chinaTime('2026-07-01T00:00') + i * 1_800_000;
      const sample = KIND_GENERATORS[source.kind](source, at, rng);
      for (const code of Object.keys(sample)) {
        expect(catalog.has(code), code).toBe(true);
        expect(KIND_FACTORS[source.kind]).toContain(code);
      }
      const factors = Object.fromEntries(Object.entries(sample).map(([c, v]) => [c, { ...v, flag: 'N' }]));
      expect(loggerPayloadSchema.safeParse({ cn: '2011', ts: toChinaIso(at), factors }).success).toBe(true);
    }
  });

  it.each(sources.map((s) => [s.name, s] as const))('%s: is deterministic for a seed and an instant', (_n, source) => {
    const at = chinaTime('2026-07-01T15:00');
    const a = KIND_GENERATORS[source.kind](source, at, createRng(99));
    const b = KIND_GENERATORS[source.kind](source, at, createRng(99));
    expect(a).toEqual(b);
  });
});
