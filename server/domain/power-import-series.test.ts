import { describe, expect, it } from 'vitest';
import { importedSeries } from './power-import-series';
import type { Reading } from './reading';

const Q = 900_000;
const T = Date.parse('2026-12-02T10:00:00+08:00');
const r = (mn: string, ts: number, codes: string[]): Reading => ({
  mn,
  enterpriseId: 'qilu-power',
  kind: 'condition',
  cn: '2051',
  ts,
  factors: Object.fromEntries(codes.map((c) => [c, { avg: 1, cou: 0.25, flag: 'N' as const }])),
  origin: 'import',
});

describe('importedSeries: what an import landed on', () => {
  it.each<[string, Reading[], [string, string, number, number][]]>([
    ['nothing', [], []],
    ['one meter, four intervals', [0, 1, 2, 3].map((i) => r('G1', T + i * Q, ['gkw01'])), [['G1', 'gkw01', T, T + 4 * Q]]],
    [
      'two meters on one logger, out of order; another logger',
      [r('G1', T + Q, ['gkw01', 'gkw02']), r('G1', T, ['gkw01']), r('G2', T + 8 * Q, ['gkw01'])],
      [
        ['G1', 'gkw01', T, T + 2 * Q],
        ['G1', 'gkw02', T + Q, T + 2 * Q],
        ['G2', 'gkw01', T + 8 * Q, T + 9 * Q],
      ],
    ],
  ])('%s', (_what, readings, spans) => {
    const got = importedSeries(readings, Q, 'pi-1', T + 86_400_000);
    expect(got.map((s) => [s.mn, s.code, s.from, s.to])).toEqual(spans);
    expect(got.every((s) => s.importId === 'pi-1' && s.at === T + 86_400_000)).toBe(true);
  });
});
