/**
 * The comparison-test criteria as shipped (config/rules/quality.yaml): every factor's bands pinned
 * (a change of the figures is a reviewed change of this table), and each band's edges judged — at
 * its `from` the band applies, just below it the next one down; an error exactly at the allowance
 * passes, just over it fails. The figures are from HJ 75-2017 as written from memory and NOT yet
 * verified against the standard's text (see the file's header).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { judgeComparison, qualityRulesSchema, type CriterionBand } from '../domain/quality';

const rules = qualityRulesSchema.parse(parse(readFileSync(join(import.meta.dirname, '../../config/rules/quality.yaml'), 'utf8')));
const criteria = rules.comparison.criteria;

/** [from, 'rel' | 'abs', allowed], highest band first. */
type Row = [number, 'rel' | 'abs', number];
const EXPECTED: Record<string, Row[]> = {
  a21026: [
    [715, 'rel', 15], // SO2 ≥ 250 µmol/mol
    [143, 'abs', 57], // 50–250 µmol/mol: ± 20 µmol/mol
    [57, 'rel', 30], // 20–50 µmol/mol
    [0, 'abs', 17], // < 20 µmol/mol: ± 6 µmol/mol
  ],
  a21002: [
    [513, 'rel', 15],
    [103, 'abs', 41],
    [41, 'rel', 30],
    [0, 'abs', 12],
  ],
  a34013: [
    [200, 'rel', 15],
    [100, 'rel', 20],
    [50, 'rel', 25],
    [20, 'rel', 30],
    [10, 'abs', 6],
    [0, 'abs', 5],
  ],
  a19001: [[0, 'rel', 15]],
  a01011: [
    [10, 'rel', 10],
    [0, 'rel', 12],
  ],
  a01012: [[0, 'abs', 3]],
  a01014: [
    [5, 'rel', 25],
    [0, 'abs', 1.5],
  ],
  a24088: [[0, 'rel', 30]],
};

const rowOf = (b: CriterionBand): Row => [b.from, b.relativePct !== undefined ? 'rel' : 'abs', b.relativePct ?? b.absolute ?? 0];
const sorted = (bands: readonly CriterionBand[]) => [...bands].sort((x, y) => y.from - x.from);

describe('the shipped HJ 75 comparison criteria', () => {
  it('holds exactly the reviewed bands for each factor', () => {
    expect(Object.fromEntries(Object.entries(criteria).map(([f, bands]) => [f, sorted(bands).map(rowOf)]))).toEqual(EXPECTED);
  });

  const edges = Object.entries(EXPECTED).flatMap(([factor, rows]) =>
    rows.map((row, i) => ({ factor, row, below: rows[i + 1] ?? null, name: `${factor} from ${row[0]}` })),
  );

  it.each(edges)('$name: the band applies at its edge, the next one just below it', ({ factor, row, below }) => {
    const bands = criteria[factor];
    const [from] = row;
    expect(judgeComparison(from, from, bands)?.bandFrom).toBe(from);
    if (below) expect(judgeComparison(from - 0.001, from - 0.001, bands)?.bandFrom).toBe(below[0]);
  });

  it.each(edges)('$name: an error exactly at the allowance passes, just over it fails', ({ factor, row }) => {
    const bands = criteria[factor];
    const [from, kind, allowed] = row;
    // A reference inside the band (its edge, or 1 for the band from 0: a relative error of 0 is undefined).
    const reference = from === 0 ? 1 : from;
    const at = kind === 'rel' ? reference * (1 + allowed / 100) : reference + allowed;
    const over = kind === 'rel' ? reference * (1 + (allowed + 0.1) / 100) : reference + allowed + 0.01;
    expect(judgeComparison(reference, at, bands)).toMatchObject({ bandFrom: from, pass: true });
    expect(judgeComparison(reference, over, bands)).toMatchObject({ bandFrom: from, pass: false });
    const under = kind === 'rel' ? reference * (1 - allowed / 100) : reference - allowed;
    expect(judgeComparison(reference, under, bands)).toMatchObject({ bandFrom: from, pass: true });
  });
});
