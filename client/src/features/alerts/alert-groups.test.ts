import { describe, expect, it } from 'vitest';
import { makeAlert, MN_NH3, T0 } from '../../testing/fixtures';
import { tableItems, type TableItem } from './alert-groups';

const flag = (id: number, factor: string, over = {}) =>
  makeAlert({ id, factor, rule: 'maintenance-flag', severity: 'info', limit: 0, value: 0, evidence: { flag: 'M' }, ...over });
const shape = (items: TableItem[]) =>
  items.map((i) => (i.kind === 'group' ? `group:${i.alerts.map((a) => a.id).join('+')}` : `${i.member ? '  ' : ''}${i.alert.id}`));

describe('tableItems', () => {
  const rows = [
    makeAlert({ id: 1, severity: 'critical' }),
    flag(2, 'a21002'),
    makeAlert({ id: 3 }),
    flag(4, 'a21026'),
    flag(5, 'a19001'),
    flag(6, 'a21001', { mn: MN_NH3 }),
    flag(7, 'a21002', { closedAt: T0 }),
    makeAlert({ id: 8, rule: 'instrument-fault', evidence: { flag: 'D' } }),
    makeAlert({ id: 9, rule: 'instrument-fault', factor: 'a19001', evidence: { flag: 'B' } }),
  ];

  it.each([
    {
      name: 'flag alerts of one source and rule are one row where the first was; alone, closed or other rules stay rows',
      open: [],
      shape: ['1', 'group:2+4+5', '3', '6', '7', 'group:8+9'],
    },
    {
      name: 'an expanded group lists its members under it',
      open: ['370300CEMS00000000000101|maintenance-flag|open'],
      shape: ['1', 'group:2+4+5', '  2', '  4', '  5', '3', '6', '7', 'group:8+9'],
    },
  ])('$name', ({ open, shape: expected }) => {
    expect(shape(tableItems(rows, new Set(open)))).toEqual(expected);
  });

  it('limit alerts are never grouped, however many', () => {
    const many = [makeAlert({ id: 1, factor: 'a21002' }), makeAlert({ id: 2, factor: 'a21026' })];
    expect(shape(tableItems(many, new Set()))).toEqual(['1', '2']);
  });
});
