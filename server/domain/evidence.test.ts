import { describe, expect, it } from 'vitest';
import { csvLine, csvText, evidencePeriod, safeEntryName } from './evidence';
import { DAY_MS } from './local-time';

const T = Date.UTC(2026, 10, 1);

describe('evidencePeriod', () => {
  it.each([
    [
      'open case, no alerts: a day before creation to now',
      { createdAt: T, closedAt: null },
      [],
      T + 2 * DAY_MS,
      T - DAY_MS,
      T + 2 * DAY_MS,
      false,
    ],
    ['an earlier alert starts it', { createdAt: T, closedAt: null }, [T - 3 * DAY_MS], T + DAY_MS, T - 4 * DAY_MS, T + DAY_MS, false],
    ['closed: ends at closure', { createdAt: T, closedAt: T + 5 * DAY_MS }, [], T + 40 * DAY_MS, T - DAY_MS, T + 5 * DAY_MS, false],
    ['long: cut to 31 days', { createdAt: T, closedAt: null }, [], T + 90 * DAY_MS, T - DAY_MS, T + 30 * DAY_MS, true],
  ])('%s', (_name, c, openings, now, from, to, capped) => {
    expect(evidencePeriod(c, openings, now)).toEqual({ from, to, capped });
  });
});

describe('csv', () => {
  it.each([
    [['a', 1, null], 'a,1,\r\n'],
    [['含,逗号', 'say "hi"'], '"含,逗号","say ""hi"""\r\n'],
    [['two\nlines'], '"two\nlines"\r\n'],
  ])('%j', (cells, line) => {
    expect(csvLine(cells)).toBe(line);
  });
  it('a file starts with the BOM and its header', () => {
    expect(csvText(['时间', '数值'], [['2026-11-01 08:00', 1.5]])).toBe('\uFEFF时间,数值\r\n2026-11-01 08:00,1.5\r\n');
  });
});

describe('safeEntryName', () => {
  it.each([
    ['报告.pdf', [], '报告.pdf'],
    ['../../etc/passwd', [], '_.._etc_passwd'],
    ['a\\b:c*.png', [], 'a_b_c_.png'],
    ['..hidden.pdf', [], 'hidden.pdf'],
    ['', [], 'file'],
    ['报告.pdf', ['报告.pdf'], '报告 (2).pdf'],
    ['REPORT.pdf', ['report.pdf', 'report (2).pdf'], 'REPORT (3).pdf'],
    [`${'长'.repeat(200)}.pdf`, [], `${'长'.repeat(116)}.pdf`],
  ])('%s', (name, taken, out) => {
    expect(safeEntryName(name, new Set(taken))).toBe(out);
  });
});
