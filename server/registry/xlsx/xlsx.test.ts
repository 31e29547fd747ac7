import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsx, serialToDate, XlsxError } from './xlsx-read';
import { writeXlsx } from './xlsx-write';
import { readEntry, writeZip, zipEntries } from './zip';

const LIMITS = { maxPartBytes: 10_000_000, maxRows: 1000, maxColumns: 50 };

describe('xlsx reader', () => {
  it('reads what exceljs writes: shared and rich strings, numbers, booleans, formula results, dates by format', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('排口 & <站点>');
    ws.addRow(['文本', 'a & b <c>', 12.5, true]);
    ws.addRow([
      { richText: [{ text: '富' }, { text: '文本', font: { bold: true } }] },
      { formula: '1+1', result: 2 },
      new Date(Date.UTC(2027, 2, 31)),
    ]);
    ws.getCell('E5').value = '跳行跳列';
    wb.addWorksheet('空表');
    const sheets = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()), LIMITS);
    expect(sheets.map((s) => s.name)).toEqual(['排口 & <站点>', '空表']);
    expect(sheets[0]?.rows).toEqual([
      { row: 1, cells: ['文本', 'a & b <c>', 12.5, '是'] },
      { row: 2, cells: ['富文本', 2, '2027-03-31'] },
      { row: 5, cells: [undefined, undefined, undefined, undefined, '跳行跳列'] },
    ]);
    expect(sheets[1]?.rows).toEqual([]);
  });

  it('writes what exceljs reads back: inline strings, numbers, a frozen bold header, text columns', async () => {
    const buf = await writeXlsx([
      {
        name: '企业',
        header: ['编号', '数值'],
        columns: [{ width: 20, text: true }, { width: 8 }],
        rows: [
          ['  x&y ', 1.25],
          ['\u0001控制符', undefined],
        ],
      },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('企业');
    expect(ws?.getRow(1).values).toEqual([undefined, '编号', '数值']);
    expect(ws?.getRow(2).values).toEqual([undefined, '  x&y ', 1.25]);
    expect(ws?.getRow(3).values).toEqual([undefined, '控制符']);
    expect(ws?.getCell('A1').font?.bold).toBe(true);
    expect(ws?.getCell('A2').numFmt).toBe('@');
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((await readXlsx(buf, LIMITS))[0]?.rows[1]?.cells).toEqual(['  x&y ', 1.25]);
  });

  it('refuses a part that inflates past the bound (a zip bomb) and a file that is no workbook', async () => {
    const huge = Buffer.alloc(5_000_000, 0x20);
    const bomb = await writeZip([
      { name: 'xl/workbook.xml', data: huge },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<x/>') },
    ]);
    expect(bomb.length).toBeLessThan(20_000);
    await expect(readXlsx(bomb, { ...LIMITS, maxPartBytes: 1_000_000 })).rejects.toThrow(/inflates past 1000000 bytes/);
    await expect(readXlsx(await writeZip([{ name: 'a.txt', data: Buffer.from('x') }]), LIMITS)).rejects.toBeInstanceOf(XlsxError);
    await expect(readXlsx(Buffer.from('PK\u0003\u0004 not really'), LIMITS)).rejects.toThrow(/not a zip/);
  });

  it('caps rows and columns', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`r${i}`]);
    const buf = await writeXlsx([{ name: 's', columns: [{ width: 5 }], rows }]);
    await expect(readXlsx(buf, { ...LIMITS, maxRows: 20 })).rejects.toMatchObject({ tooManyRows: true });
    const wide = await writeXlsx([{ name: 's', columns: [], rows: [Array.from({ length: 60 }, () => 'x')] }]);
    await expect(readXlsx(wide, LIMITS)).rejects.toThrow(/more than 50 columns/);
  });

  it('round-trips zip entries, stored or deflated', async () => {
    const zip = await writeZip([{ name: '中文/a.xml', data: Buffer.from('<a>甲</a>') }]);
    const e = zipEntries(zip).get('中文/a.xml');
    expect(e && (await readEntry(zip, e, 1000)).toString()).toBe('<a>甲</a>');
    expect(deflateRawSync(Buffer.from('x')).length).toBeGreaterThan(0);
  });

  it.each([
    [46113, '2026-04-01'],
    [25569, '1970-01-01'],
    [46112.75, '2026-03-31'], // the time of day is dropped,
  ])('serial %s is %s', (serial, date) => {
    expect(serialToDate(serial)).toBe(date);
  });
});
