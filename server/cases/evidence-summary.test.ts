import { describe, expect, it } from 'vitest';
import type { RectificationCase } from '../domain/case';
import { caseSummaryHtml, type SummaryFacts } from './evidence-summary';

const T = Date.UTC(2026, 10, 1, 2, 30); // 2026-11-01 10:30 China time
const c: RectificationCase = {
  id: 7,
  type: 'exceedance',
  enterpriseId: 'e1',
  district: '临淄区',
  alertIds: [12],
  sources: ['MN1'],
  rules: ['limit-hour'],
  officer: 'officer',
  deadline: { kind: 'date', date: '2026-11-10' },
  requirements: ['查明原因 <script>alert(1)</script>'],
  internalNote: '重点盯防',
  status: 'open',
  cleanDays: null,
  verifyingSince: null,
  report: null,
  returnReason: null,
  overdueAt: null,
  createdBy: 'officer',
  createdAt: T,
  updatedAt: T,
  closedAt: null,
  closedBy: null,
  version: 1,
  attachments: [],
  history: [{ seq: 1, at: T, by: 'officer', event: 'created', note: null, detail: null, internal: false }],
};
const facts = (bureau: boolean): SummaryFacts => ({
  names: { enterprise: () => '甲厂', source: () => '1号排口', person: (u) => (u === 'officer' ? '王值班' : u) },
  period: { from: T - 86_400_000, to: T, capped: false },
  overdue: false,
  bureau,
  at: T,
  utcOffsetMinutes: 480,
});

describe('caseSummaryHtml', () => {
  it.each([
    [true, ['重点盯防', '内部版本'], []],
    [false, ['企业版本'], ['重点盯防', '内部备注（仅限']],
  ])('bureau copy %s: has %j, lacks %j', (bureau, has, lacks) => {
    const html = caseSummaryHtml(c, facts(bureau));
    for (const s of has) expect(html).toContain(s);
    for (const s of lacks) expect(html).not.toContain(s);
  });
  it('names, China time and the status in Chinese; text escaped', () => {
    const html = caseSummaryHtml(c, facts(true));
    expect(html).toContain('甲厂');
    expect(html).toContain('1号排口（MN1）');
    expect(html).toContain('王值班');
    expect(html).toContain('2026-11-01 10:30');
    expect(html).toContain('待整改');
    expect(html).toContain('立案');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });
});
