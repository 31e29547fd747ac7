import type { Facility } from '@domain/registry';
import { describe, expect, it } from 'vitest';
import { adsorbersOf, dueDate, entriesOf, isOverdue, linesOf, planErrors, todayInChina, yearRange, type PlanRow } from './ledger';

const f = (id: string, kind: Facility['kind'], extra: Partial<Facility> = {}): Facility => ({
  id,
  enterpriseId: 'e',
  kind,
  name: id,
  ...extra,
});

describe('the facility ledger', () => {
  it('takes adsorbers (an interval, or a treatment facility) and production lines apart', () => {
    const all = [
      f('line', 'production-line'),
      f('rto', 'treatment'),
      f('meter', 'power-meter'),
      f('ac', 'power-meter', { adsorbentDays: 30 }),
    ];
    expect(adsorbersOf(all).map((x) => x.id)).toEqual(['rto', 'ac']);
    expect(linesOf(all).map((x) => x.id)).toEqual(['line']);
  });

  it.each([
    ['2027-03-01', 90, '2027-05-30', '2027-05-30', false],
    ['2027-03-01', 90, '2027-05-30', '2027-05-31', true],
    [undefined, 90, null, '2027-05-31', false],
    ['2027-03-01', undefined, null, '2027-05-31', false],
  ] as const)('last %s + %s days is due %s; on %s overdue: %s', (last, days, due, today, overdue) => {
    expect(dueDate(last, days)).toBe(due);
    expect(isOverdue(dueDate(last, days), today)).toBe(overdue);
  });

  it('checks each row of a plan as typed and makes the entries', () => {
    const rows: PlanRow[] = [
      { facilityId: 'line', kind: 'stop', date: '2027-06-15', note: ' 年度检修 ' },
      { facilityId: '', kind: 'start', date: '2027-06-20', note: '' },
      { facilityId: 'line', kind: 'start', date: '', note: '' },
      { facilityId: 'line', kind: 'start', date: '2028-01-02', note: '' },
      { facilityId: 'line', kind: 'stop', date: '2027-06-15', note: '' },
    ];
    expect([...planErrors(rows, 2027)]).toEqual([
      [1, 'lineRequired'],
      [2, 'dateRequired'],
      [3, 'dateOutsideYear'],
      [4, 'duplicate'],
    ]);
    expect(entriesOf(rows.slice(0, 1))).toEqual([{ facilityId: 'line', kind: 'stop', date: '2027-06-15', note: '年度检修' }]);
    expect(entriesOf([{ ...rows[0]!, note: '  ' }])).toEqual([{ facilityId: 'line', kind: 'stop', date: '2027-06-15' }]);
  });

  it('reads dates in China time', () => {
    expect(todayInChina(Date.UTC(2027, 2, 31, 16, 30))).toBe('2027-04-01');
    expect(yearRange(2027)).toEqual({ from: Date.parse('2027-01-01T00:00:00+08:00'), to: Date.parse('2028-01-01T00:00:00+08:00') });
  });
});
