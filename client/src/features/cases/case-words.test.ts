import { describe, expect, it } from 'vitest';
import type { CaseHistoryEntry } from '@domain/case-kinds';
import { caseTypeOfRule, chinaDate, deadlineText, entryDetail, requirementsOf, sizeText } from './case-words';

const t = (key: string, params: Record<string, unknown> = {}) => `${key}${JSON.stringify(params)}`;
const entry = (event: CaseHistoryEntry['event'], detail: CaseHistoryEntry['detail']): CaseHistoryEntry => ({
  seq: 1,
  at: 0,
  by: 'officer',
  event,
  note: null,
  detail,
  internal: false,
});

describe('case words', () => {
  it('words a deadline: a date as it is, the next overhaul with its latest date', () => {
    expect(deadlineText({ kind: 'date', date: '2026-07-10' }, t)).toBe('2026-07-10');
    expect(deadlineText({ kind: 'overhaul', latest: '2026-09-30' }, t)).toBe('cases.deadline.overhaul{"date":"2026-09-30"}');
  });

  it.each([
    [10, 'cases.kb{"n":1}'],
    [204_800, 'cases.kb{"n":200}'],
    [3_250_000, 'cases.mb{"n":3.1}'],
  ])('a size of %i bytes', (bytes, text) => {
    expect(sizeText(bytes, t)).toBe(text);
  });

  it.each([
    [entry('created', { alerts: 2 }), 'cases.detail.alerts{"n":2}'],
    [entry('created', { alerts: 0 }), ''],
    [entry('accepted', { cleanDays: 3 }), 'cases.detail.cleanDays{"n":3}'],
    [entry('accepted', { cleanDays: 0 }), ''],
    [entry('overdue', { due: '2026-07-10' }), 'cases.detail.overdue{"due":"2026-07-10"}'],
    [entry('attached', { name: '报告.pdf', size: 2048 }), 'cases.detail.attached{"name":"报告.pdf","size":"cases.kb{\\"n\\":2}"}'],
    [
      entry('reassigned', { fromOfficer: 'wang', toOfficer: 'li', fromDue: '2026-07-10', toDue: '2026-07-20' }),
      'cases.detail.reassigned{"from":"王","to":"李","fromDue":"2026-07-10","toDue":"2026-07-20"}',
    ],
    [entry('closed', null), ''],
  ])('a history entry’s facts (%#)', (e, text) => {
    expect(entryDetail(e, t, (u) => ({ wang: '王', li: '李' })[u] ?? u)).toBe(text);
  });

  it.each([
    ['limit-instant', 'exceedance'],
    ['limit-hour', 'exceedance'],
    ['flat-line', 'falsification'],
    ['offline', 'outage'],
    ['bypass', 'facility'],
    ['zs-mismatch', 'falsification'],
    ['maintenance-flag', 'other'],
  ])('an alert of rule %s suggests a case of type %s', (rule, type) => {
    expect(caseTypeOfRule(rule)).toBe(type);
  });

  it('reads required actions one per line and the China date', () => {
    expect(requirementsOf('  更换催化剂 \n\n提交检测报告\r\n')).toEqual(['更换催化剂', '提交检测报告']);
    expect(chinaDate(Date.parse('2026-06-30T16:30:00Z'))).toBe('2026-07-01');
    expect(chinaDate(Date.parse('2026-06-30T15:30:00Z'), 2)).toBe('2026-07-02');
  });
});
