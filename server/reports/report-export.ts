/**
 * A report as a table, and the table as CSV (UTF-8 with a BOM, so Excel opens Chinese text
 * correctly; CRLF; RFC 4180 quoting) or XLSX (exceljs: bold frozen header row with units, number
 * formats per column).
 */
import ExcelJS from 'exceljs';

export type Lang = 'zh' | 'en';
export type CellKind = 'text' | 'number' | 'int' | 'percent';

export interface Column<R> {
  zh: string;
  en: string;
  unit?: (row: R | undefined) => string;
  kind: CellKind;
  value: (row: R) => string | number | null;
}

export interface Table<R> {
  sheet: string;
  columns: Column<R>[];
  rows: readonly R[];
}

/** `label (unit)` in the chosen language. A column whose unit differs per row takes it from the first. */
export function headerOf<R>(c: Column<R>, lang: Lang, first: R | undefined): string {
  const unit = c.unit?.(first) ?? '';
  return unit ? `${c[lang]} (${unit})` : c[lang];
}

const NUM_FMT: Record<CellKind, string | undefined> = { text: undefined, number: '0.000', int: '0', percent: '0.00%' };

/** Percent columns hold fractions: XLSX shows them with a % format, CSV as percent numbers (header "(%)"). */
function csvCell(v: string | number | null, kind: CellKind = 'text'): string {
  if (v === null) return '';
  if (kind === 'percent' && typeof v === 'number') return String(Math.round(v * 10_000) / 100);
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6)) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<R>(t: Table<R>, lang: Lang): Buffer {
  const lines = [t.columns.map((c) => csvCell(headerOf(c, lang, t.rows[0]))).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvCell(c.value(r), c.kind)).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function toXlsx<R>(t: Table<R>, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => {
    const header = headerOf(c, lang, t.rows[0]);
    const fmt = NUM_FMT[c.kind];
    return { header, width: Math.max(10, Math.min(40, header.length * (lang === 'zh' ? 2 : 1.1) + 2)), ...(fmt ? { style: { numFmt: fmt } } : {}) };
  });
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).numFmt = '@';
  for (const r of t.rows) ws.addRow(t.columns.map((c) => c.value(r)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
