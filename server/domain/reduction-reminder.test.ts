import { describe, expect, it } from 'vitest';
import { isOverdue, listDueDate, reminderYear } from './reduction-reminder';

describe('reminderYear (from 1 August, for the year without a list)', () => {
  it.each<[string, number[], number | null]>([
    ['2026-07-31', [], null],
    ['2026-07-31', [2025], null],
    ['2026-08-01', [], 2026],
    ['2026-08-01', [2025], 2026],
    ['2026-08-15', [2024, 2025], 2026],
    ['2026-08-15', [2026], null],
    ['2026-08-15', [2027], null],
    ['2026-08-31', [2025], 2026],
    ['2026-09-01', [2025], 2026],
    ['2026-12-31', [], 2026],
    ['2027-01-01', [2025], null],
    ['2027-03-10', [], null],
  ])('%s with lists of %j → %s', (today, years, year) => {
    expect(reminderYear(today, years)).toBe(year);
  });
});

describe('the due date', () => {
  it.each<[string, number, boolean]>([
    ['2026-08-01', 2026, false],
    ['2026-08-31', 2026, false],
    ['2026-09-01', 2026, true],
  ])('%s, list of %i: overdue %s', (today, year, overdue) => {
    expect(listDueDate(year)).toBe(`${year}-08-31`);
    expect(isOverdue(today, year)).toBe(overdue);
  });
});
