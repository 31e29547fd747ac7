import { describe, expect, it } from 'vitest';
import type { CaseType, CreateCaseInput } from '../domain/case';
import type { CaseDue } from '../domain/quality';
import { caseFromDue, lastEndedMonth, openDueCases, type AutoCasesDeps } from './auto-cases';

const NOW = Date.parse('2026-12-04T10:00:00+08:00');
const due = (mn: string, reason: CaseDue['reason']): CaseDue => ({
  mn,
  enterpriseId: 'e1',
  district: '双塔区',
  reason,
  period: '2026-11',
  effectiveRate: reason === 'transmission' ? 0.823 : null,
  offlineSince: reason === 'outage' ? NOW - 80 * 3_600_000 : null,
  offlineHours: reason === 'outage' ? 80 : null,
});

describe('the last ended month', () => {
  it.each([
    ['2026-12-04T10:00:00+08:00', '2026-11'],
    ['2027-01-01T00:30:00+08:00', '2026-12'],
    ['2026-12-31T23:59:00+08:00', '2026-11'],
  ])('at %s is %s (China time)', (at, month) => {
    expect(lastEndedMonth(Date.parse(at), 480)).toBe(month);
  });
});

describe('a case from a due entry', () => {
  it('transmission: 30 days, the period and its rate in the required actions', () => {
    const c = caseFromDue(due('M1', 'transmission'), 'officer', NOW, 480);
    expect(c).toMatchObject({ type: 'transmission', enterpriseId: 'e1', sources: ['M1'], officer: 'officer' });
    expect(c.deadline).toEqual({ kind: 'date', date: '2027-01-03' });
    expect(c.requirements[0]).toBe('2026-11 有效传输率 82.3%，低于 90%：查明数据缺失或无效的原因并整改，恢复稳定有效传输');
  });

  it('outage: 7 days, the hours offline', () => {
    const c = caseFromDue(due('M2', 'outage'), 'officer', NOW, 480);
    expect(c).toMatchObject({ type: 'outage', deadline: { kind: 'date', date: '2026-12-11' } });
    expect(c.requirements[0]).toMatch(/^监测数据已中断 80 小时/);
  });
});

describe('opening the cases due', () => {
  const run = (entries: CaseDue[], open: Partial<Record<CaseType, string[]>>, officer: string | null) => {
    const created: CreateCaseInput[] = [];
    const warnings: string[] = [];
    const deps: AutoCasesDeps = {
      due: () => Promise.resolve(entries),
      openCaseSources: (type) => Promise.resolve(new Set(open[type] ?? [])),
      officer: () => Promise.resolve(officer),
      create: (input) => {
        created.push(input);
        return Promise.resolve();
      },
      now: () => NOW,
      utcOffsetMinutes: 480,
      log: { info: () => undefined, warn: (_o, msg) => warnings.push(msg) },
    };
    return openDueCases(deps).then((n) => ({ n, created, warnings }));
  };

  it('opens one case per source and type not already open', async () => {
    const r = await run(
      [due('M1', 'transmission'), due('M2', 'transmission'), due('M1', 'outage'), due('M2', 'transmission')],
      { transmission: ['M2'] },
      'officer',
    );
    expect(r.n).toBe(2);
    expect(r.created.map((c) => [c.type, c.sources[0]])).toEqual([
      ['transmission', 'M1'],
      ['outage', 'M1'],
    ]);
  });

  it('opens nothing, and says so, when no officer can be put in charge', async () => {
    const r = await run([due('M1', 'transmission')], {}, null);
    expect(r).toMatchObject({ n: 0, created: [] });
    expect(r.warnings).toHaveLength(1);
  });
});
