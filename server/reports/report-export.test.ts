import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnWidths, displayWidth, toCsv, toXlsx, type Column, type Table } from './report-export';

interface Row {
  factor: string;
  value: number | null;
  rate: number;
  note: string;
}
const DECIMALS: Record<string, number> = { a21002: 2, a05024: 0, a25002: 3 };
const columns: Column<Row>[] = [
  { zh: '监测因子', en: 'Factor', kind: 'text', value: (r) => r.factor },
  { zh: '均值', en: 'Mean', kind: 'number', value: (r) => r.value, decimals: (r) => DECIMALS[r.factor] ?? 3 },
  { zh: '传输率', en: 'Rate', unit: () => '%', kind: 'percent', value: (r) => r.rate },
  { zh: '备注', en: 'Note', kind: 'text', value: (r) => r.note },
];
const table = (rows: Row[]): Table<Row> => ({ sheet: 'T', title: ['某某公司 1号机组 小时均值报表', '日期：2026-07-01'], columns, rows });
const csvLines = (t: Table<Row>) => toCsv(t, 'zh').subarray(3).toString('utf8').split('\r\n');

describe('export rounding: the factor’s precision, GB/T 8170', () => {
  it.each([
    { factor: 'a21002', value: 10.190499999999998, csv: '10.19', xlsx: 10.19, fmt: '0.00' },
    { factor: 'a21002', value: 45.125, csv: '45.12', xlsx: 45.12, fmt: '0.00' }, // half to even
    { factor: 'a21002', value: 45, csv: '45.00', xlsx: 45, fmt: '0.00' },
    { factor: 'a05024', value: 160.5, csv: '160', xlsx: 160, fmt: '0' },
    { factor: 'a25002', value: 0.0123456, csv: '0.012', xlsx: 0.012, fmt: '0.000' },
    { factor: 'x', value: null, csv: '', xlsx: null, fmt: undefined },
  ])('$factor $value → CSV "$csv", XLSX $xlsx ($fmt)', async ({ factor, value, csv, xlsx, fmt }) => {
    const t = table([{ factor, value, rate: 0.92013, note: '' }]);
    expect(csvLines(t)[4]).toBe(`${factor},${csv},92.01,`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(t, 'zh')) as unknown as ArrayBuffer);
    const cell = wb.worksheets[0]!.getRow(4).getCell(2);
    expect(cell.value).toBe(xlsx);
    if (fmt) expect(cell.numFmt).toBe(fmt);
  });
});

describe('export layout: title rows, header, widths from content', () => {
  it('CSV: the title lines, a blank line, the header with units', () => {
    const lines = csvLines(table([{ factor: 'a21002', value: 1, rate: 1, note: 'a, "b"' }]));
    expect(lines.slice(0, 5)).toEqual([
      '某某公司 1号机组 小时均值报表',
      '日期：2026-07-01',
      '',
      '监测因子,均值,传输率 (%),备注',
      'a21002,1.00,100.00,"a, ""b"""',
    ]);
  });

  it('XLSX: title rows, the header frozen below them, widths from the widest cell', async () => {
    const long = '这是一个很长的备注文字用于测试列宽';
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(table([{ factor: 'a21002', value: 1, rate: 1, note: long }]), 'zh')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('某某公司 1号机组 小时均值报表');
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(['监测因子', '均值', '传输率 (%)', '备注']);
    expect(ws.getColumn(4).width).toBe(displayWidth(long) + 2); // 17 CJK characters: 34 + 2
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(6);
  });

  it.each([
    { text: 'abc', width: 3 },
    { text: '氮氧化物 实测 (mg/m³)', width: 8 + 1 + 4 + 1 + 7 },
    { text: '（%）', width: 5 },
  ])('display width of "$text" → $width', ({ text, width }) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('widths stay within 6 and 60', () => {
    const w = columnWidths(table([{ factor: 'a', value: 1, rate: 0, note: 'x'.repeat(200) }]), 'zh');
    expect(w[3]).toBe(60);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(6);
  });
});
