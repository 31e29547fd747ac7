/**
 * A report as a table, and the table as CSV (UTF-8 with a BOM, so Excel opens Chinese text
 * correctly; CRLF; RFC 4180 quoting) or XLSX (exceljs: title rows, a bold frozen header row with
 * units, number formats per cell, column widths from the content). Numbers are rounded to their
 * column's (or row's) decimals by GB/T 8170 in both. A long report is written as a stream, its rows
 * a chunk at a time (streamCsv, streamXlsx): never held whole.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatRounded, roundGbt8170 } from '../domain/rounding';

export type Lang = 'zh' | 'en';
export type CellKind = 'text' | 'number' | 'int' | 'percent';

export interface Column<R> {
  zh: string;
  en: string;
  unit?: (row: R | undefined) => string;
  kind: CellKind;
  value: (row: R) => string | number | null;
  /** Decimals of a 'number' cell (default 3); per row where one column mixes factors. */
  decimals?: (row: R) => number;
}

export interface Table<R> {
  sheet: string;
  /** Lines above the header: the report's title, source, date, units. */
  title: string[];
  columns: Column<R>[];
  rows: readonly R[];
}

/** `label (unit)` in the chosen language. A column whose unit differs per row takes it from the first. */
export function headerOf<R>(c: Column<R>, lang: Lang, first: R | undefined): string {
  const unit = c.unit?.(first) ?? '';
  return unit ? `${c[lang]} (${unit})` : c[lang];
}

const DEFAULT_DECIMALS = 3;
/** Percent columns hold fractions: shown with two decimals of a percent. */
const PERCENT_DECIMALS = 2;

/** The cell's text as CSV and the width computation see it. */
function cellText<R>(c: Column<R>, r: R): string {
  const v = c.value(r);
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (c.kind === 'percent') return formatRounded(v * 100, PERCENT_DECIMALS);
  if (c.kind === 'int') return String(Math.round(v));
  return formatRounded(v, c.decimals?.(r) ?? DEFAULT_DECIMALS);
}

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function toCsv<R>(t: Table<R>, lang: Lang): Buffer {
  const lines = [...t.title.map(quote), ''];
  lines.push(t.columns.map((c) => quote(headerOf(c, lang, t.rows[0]))).join(','));
  for (const r of t.rows) lines.push(t.columns.map((c) => quote(cellText(c, r))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** Display width of a text in Excel's character units: CJK and full-width characters count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** Each column as wide as its widest header or cell (plus a margin), within [6, 60]. */
export function columnWidths<R>(t: Pick<Table<R>, 'columns' | 'rows'>, lang: Lang): number[] {
  return t.columns.map((c) => {
    let w = displayWidth(headerOf(c, lang, t.rows[0]));
    for (const r of t.rows) w = Math.max(w, displayWidth(cellText(c, r)));
    return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, w + 2));
  });
}

const numFmt = (decimals: number): string => (decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0');

function xlsxCell<R>(c: Column<R>, r: R): { value: string | number | null; fmt?: string } {
  const v = c.value(r);
  if (typeof v !== 'number') return { value: v };
  if (c.kind === 'percent') return { value: roundGbt8170(v, PERCENT_DECIMALS + 2), fmt: '0.00%' };
  if (c.kind === 'int') return { value: Math.round(v), fmt: '0' };
  const d = c.decimals?.(r) ?? DEFAULT_DECIMALS;
  return { value: roundGbt8170(v, d), fmt: numFmt(d) };
}

export async function toXlsx<R>(t: Table<R>, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  const headerRow = t.title.length + 1;
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: headerRow }] });
  t.title.forEach((line, i) => {
    const row = ws.addRow([line]);
    row.font = i === 0 ? { bold: true, size: 14 } : { size: 11 };
  });
  const header = ws.addRow(t.columns.map((c) => headerOf(c, lang, t.rows[0])));
  header.font = { bold: true };
  header.numFmt = '@';
  for (const r of t.rows) {
    const cells = t.columns.map((c) => xlsxCell(c, r));
    const row = ws.addRow(cells.map((x) => x.value));
    cells.forEach((x, i) => {
      if (x.fmt) row.getCell(i + 1).numFmt = x.fmt;
    });
  }
  columnWidths(t, lang).forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A table whose rows come a chunk at a time. */
export interface StreamedTable<R> extends Omit<Table<R>, 'rows'> {
  chunks: AsyncIterable<readonly R[]>;
}

/** Writes and waits for the stream to take more when it asks to. */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** toCsv written to `out` a chunk of rows at a time. */
export async function streamCsv<R>(t: StreamedTable<R>, lang: Lang, out: Writable): Promise<void> {
  await write(out, Buffer.from([0xef, 0xbb, 0xbf]));
  let header = false;
  const head = (first: R | undefined) =>
    `${[...t.title.map(quote), '', t.columns.map((c) => quote(headerOf(c, lang, first))).join(',')].join('\r\n')}\r\n`;
  for await (const rows of t.chunks) {
    if (rows.length === 0) continue;
    const lines = rows.map((r) => t.columns.map((c) => quote(cellText(c, r))).join(','));
    await write(out, (header ? '' : head(rows[0])) + `${lines.join('\r\n')}\r\n`);
    header = true;
  }
  if (!header) await write(out, head(undefined));
  out.end();
}

/**
 * toXlsx written to `out` as exceljs's streaming writer makes it, each chunk's rows committed as
 * they come. Column widths are the header's and the first chunk's (they precede the rows in the file).
 */
export async function streamXlsx<R>(t: StreamedTable<R>, lang: Lang, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'O3 Sentinel';
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: t.title.length + 1 }] });
  let started = false;
  const start = (first: readonly R[]) => {
    columnWidths({ columns: t.columns, rows: first }, lang).forEach((w, i) => (ws.getColumn(i + 1).width = w));
    t.title.forEach((line, i) => {
      const row = ws.addRow([line]);
      row.font = i === 0 ? { bold: true, size: 14 } : { size: 11 };
      row.commit();
    });
    const header = ws.addRow(t.columns.map((c) => headerOf(c, lang, first[0])));
    header.font = { bold: true };
    header.numFmt = '@';
    header.commit();
    started = true;
  };
  for await (const rows of t.chunks) {
    if (rows.length === 0) continue;
    if (!started) start(rows);
    for (const r of rows) {
      const cells = t.columns.map((c) => xlsxCell(c, r));
      const row = ws.addRow(cells.map((x) => x.value));
      cells.forEach((x, i) => {
        if (x.fmt) row.getCell(i + 1).numFmt = x.fmt;
      });
      row.commit();
    }
  }
  if (!started) start([]);
  ws.commit();
  await wb.commit();
}
