/**
 * An uploaded registry file as rows of cells, per sheet: XLSX (xlsx/xlsx-read: values only, fast,
 * bounded) or CSV. CSV encodings, decided by the
 * bytes: a UTF-8 BOM → UTF-8; a UTF-16 BOM → UTF-16 (Excel's “Unicode text”, tab-separated);
 * otherwise UTF-8 when the bytes are valid UTF-8, else GB18030 (what Chinese Excel writes for “CSV
 * (逗号分隔)”; GBK and GB2312 are subsets of it). Bounded: rows and columns per file are capped.
 */
import type { Cell } from './sheet-cells';
import { readXlsx, XlsxError } from './xlsx/xlsx-read';

export interface SheetRow {
  /** 1-based row number as Excel shows it (CSV: the record's first line). */
  row: number;
  cells: Cell[];
}

export interface SheetRows {
  /** Sheet name ('' for a CSV file: its sheet is recognised by its header). */
  name: string;
  rows: SheetRow[];
}

export type FileFormat = 'xlsx' | 'csv' | 'xls';

/** A file that cannot be read at all (not a row's fault). */
export class FileRefusal extends Error {
  constructor(
    readonly code: 'bad_file' | 'too_many_rows' | 'legacy_xls',
    message: string,
  ) {
    super(message);
  }
}

export interface ReadLimits {
  maxRows: number;
  maxColumns: number;
  /** Largest inflated part of an XLSX (a sheet's XML): a zip bomb stops here. */
  maxPartBytes: number;
  /** XLSX date cells keep their time of day (`YYYY-MM-DD HH:mm:ss`); default: the date only. */
  keepTime?: boolean;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxRows: 200_000, maxColumns: 200, maxPartBytes: 256 * 1024 * 1024 };

/** What the bytes are: a zip (XLSX), an OLE compound file (legacy .xls), or text (CSV). */
export function formatOf(bytes: Uint8Array): FileFormat {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return 'csv';
}

export async function readSheets(bytes: Buffer, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<SheetRows[]> {
  const format = formatOf(bytes);
  if (format === 'xls') throw new FileRefusal('legacy_xls', 'legacy .xls workbooks are not read: save as .xlsx');
  return format === 'xlsx' ? readXlsxSheets(bytes, limits) : [await readCsv(bytes, limits)];
}

const isEmpty = (cells: Cell[]) => cells.every((c) => c === undefined || (typeof c === 'string' && c.trim() === ''));

async function readXlsxSheets(bytes: Buffer, limits: ReadLimits): Promise<SheetRows[]> {
  try {
    return await readXlsx(bytes, { ...limits, maxPartBytes: limits.maxPartBytes });
  } catch (err) {
    if (!(err instanceof XlsxError)) throw err;
    throw new FileRefusal(err.tooManyRows ? 'too_many_rows' : 'bad_file', err.message);
  }
}

/** The CSV's text, by its BOM or its bytes (see the file comment). */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes); // not UTF-8: Chinese Excel's ANSI code page
  }
}

/** Records of RFC 4180 CSV (quoted fields may hold the delimiter, quotes and line breaks). */
export function* csvRecords(text: string, delimiter: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      yield { line: start, fields };
      fields = [];
      field = '';
      start = ++line;
    } else field += ch;
  }
  if (quoted) throw new FileRefusal('bad_file', `CSV quote opened on line ${start} is never closed`);
  if (field !== '' || fields.length > 0) yield { line: start, fields: [...fields, field] };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readCsv(bytes: Buffer, limits: ReadLimits): Promise<SheetRows> {
  const text = decodeCsv(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const sheet: SheetRows = { name: '', rows: [] };
  let n = 0;
  for (const { line, fields } of csvRecords(text, delimiter)) {
    if (fields.length > limits.maxColumns) throw new FileRefusal('bad_file', `line ${line} has more than ${limits.maxColumns} fields`);
    const cells = fields.map((f): Cell => (f.trim() === '' ? undefined : f));
    if (isEmpty(cells)) continue;
    if (sheet.rows.length >= limits.maxRows) throw new FileRefusal('too_many_rows', `more than ${limits.maxRows} rows in one file`);
    sheet.rows.push({ row: line, cells });
    if (++n % 2000 === 0) await yieldToLoop();
  }
  return sheet;
}
