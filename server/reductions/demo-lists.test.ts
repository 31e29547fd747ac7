import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listStanding } from '../domain/reduction-list';
import { reductionListBodySchema } from '../domain/reduction-list-schema';
import type { Registry } from '../domain/registry';
import { airEmitters } from '../domain/reduction-scope';
import { registryProblems } from './reduction-checks';
import { demoReductionLists, seasonYear } from './demo-lists';

const demo = parse(readFileSync(new URL('../../config/registry.yaml', import.meta.url), 'utf8')) as Registry;

describe('the demo reduction lists', () => {
  const lists = demoReductionLists(demo, 2026);

  it('are valid lists whose references are each enterprise’s own', () => {
    expect(lists.length).toBeGreaterThan(20);
    for (const l of lists) {
      expect(reductionListBodySchema.safeParse({ year: l.year, entries: l.entries }).error).toBeUndefined();
      expect(registryProblems(l.entries, l.enterpriseId, demo)).toEqual([]);
    }
  });

  it('show every standing in the coverage report, and the demo enterprise users have a current list', () => {
    const yearsOf = (id: string) => lists.filter((l) => l.enterpriseId === id).map((l) => l.year);
    const standings = new Set(airEmitters(demo).map((e) => listStanding(yearsOf(e.id), '2026-12-04').standing));
    expect([...standings].sort()).toEqual(['current', 'missing', 'outdated']);
    expect(listStanding(yearsOf('chaoyang-power'), '2026-12-04').standing).toBe('current');
    expect(listStanding(yearsOf('beipiao-cement'), '2026-12-04').standing).toBe('current');
  });

  it.each([
    ['2026-12-04', 2026],
    ['2026-08-31', 2025],
    ['2026-09-01', 2026],
    ['2027-03-01', 2026],
  ])('the season on %s is %i', (today, year) => {
    expect(seasonYear(today)).toBe(year);
  });
});
