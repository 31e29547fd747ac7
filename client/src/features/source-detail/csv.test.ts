import { describe, expect, it } from 'vitest';
import { BOM, localStamp, toCsv } from './csv';

describe('CSV export', () => {
  it('starts with a UTF-8 BOM, uses CRLF and quotes what needs quoting', () => {
    const csv = toCsv(
      ['时间', '监测值 氨 (mg/m³)', 'flag'],
      [
        ['2026-07-01 10:00:00', 9.6, 'N'],
        ['2026-07-01 10:00:30', undefined, 'a "quoted", value'],
      ],
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '时间,监测值 氨 (mg/m³),flag',
      '2026-07-01 10:00:00,9.6,N',
      '2026-07-01 10:00:30,,"a ""quoted"", value"',
      '',
    ]);
  });

  it('local stamps are what a spreadsheet reads as a date', () => {
    expect(localStamp(new Date(2026, 6, 1, 8, 5, 9).getTime())).toBe('2026-07-01 08:05:09');
  });
});
