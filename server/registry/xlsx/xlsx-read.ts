/**
 * Reads the cell values of an XLSX workbook — shared and inline strings, numbers, booleans, formula
 * results, and dates (by the cell's number format) as `YYYY-MM-DD` — sheet by sheet in workbook
 * order. Nothing else (styles, merged cells, formulas themselves) is read. A fraction of what a
 * spreadsheet library does, and some fifty times faster than exceljs on a 20,000-row registry;
 * every part is bounded (see zip.ts) and the event loop gets a turn between chunks of rows.
 */
import { readEntry, zipEntries, ZipError } from './zip';

export type XlsxCell = string | number | undefined;

export interface XlsxSheet {
  name: string;
  rows: { row: number; cells: XlsxCell[] }[];
}

export interface XlsxLimits {
  /** Largest inflated part (a sheet's XML), bytes. */
  maxPartBytes: number;
  maxRows: number;
  maxColumns: number;
  /** Date cells as `YYYY-MM-DD HH:mm:ss` (times of day kept; the power-data import) instead of `YYYY-MM-DD`. */
  keepTime?: boolean;
}

export class XlsxError extends Error {
  constructor(
    message: string,
    readonly tooManyRows = false,
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  if (!s.includes('&') && !s.includes('_x')) return s;
  return s
    .replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? m),
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const ATTR_RES = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  let re = ATTR_RES.get(name);
  if (!re) ATTR_RES.set(name, (re = new RegExp(`(?:^|\\s)${name}="([^"]*)"`)));
  return re.exec(attrs)?.[1];
}

/** The text of a string item: its `<t>` runs, without phonetic (`<rPh>`) runs. */
function textOfItem(xml: string): string {
  const simple = /^<t(?:\s[^>]*)?>([^<]*)<\/t>$/.exec(xml); // the common case: one plain run
  if (simple) return unescapeXml(simple[1] as string);
  const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of plain.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ?? '';
  return unescapeXml(out);
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => (m[1] === undefined ? '' : textOfItem(m[1])));
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** Which cell style indexes are dates (built-in date formats, or custom ones with d, m and y). */
function dateStyles(xml: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!xml) return out;
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    custom.set(Number(attr(m[1] as string, 'numFmtId')), unescapeXml(attr(m[1] as string, 'formatCode') ?? ''));
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  [...xfs.matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)].forEach((m, i) => {
    const id = Number(attr(m[1] as string, 'numFmtId') ?? 0);
    const code = (custom.get(id) ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '').toLowerCase();
    if (BUILTIN_DATE_FORMATS.has(id) || (/y/.test(code) && /d/.test(code))) out.add(i);
  });
  return out;
}

/** Excel's serial day number (1900 system) as `YYYY-MM-DD`. */
export function serialToDate(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);
}

/** Excel's serial day number as `YYYY-MM-DD HH:mm:ss` (to the nearest second: serials carry float noise). */
export function serialToDateTime(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function columnIndex(ref: string | undefined, fallback: number): number {
  const letters = ref ? /^([A-Z]+)/.exec(ref)?.[1] : undefined;
  if (!letters) return fallback;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

interface Context {
  strings: string[];
  dates: Set<number>;
  limits: XlsxLimits;
  total: { rows: number };
}

function cellValue(attrs: string, inner: string, ctx: Context): XlsxCell {
  const t = attr(attrs, 't') ?? 'n';
  if (t === 'inlineStr') return textOfItem(/<is>([\s\S]*?)<\/is>/.exec(inner)?.[1] ?? '');
  const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (v === undefined) return undefined;
  if (t === 's') return ctx.strings[Number(v)] ?? '';
  if (t === 'str' || t === 'e' || t === 'd')
    return unescapeXml(t === 'd' ? (ctx.limits.keepTime ? v.slice(0, 19).replace('T', ' ') : v.slice(0, 10)) : v);
  if (t === 'b') return v === '1' ? '是' : '否';
  const n = Number(v);
  if (!Number.isFinite(n)) return unescapeXml(v);
  if (!ctx.dates.has(Number(attr(attrs, 's') ?? -1))) return n;
  return ctx.limits.keepTime ? serialToDateTime(n) : serialToDate(n);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readSheet(xml: string, name: string, ctx: Context): Promise<XlsxSheet> {
  const sheet: XlsxSheet = { name, rows: [] };
  let seq = 0;
  for (const m of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    seq = Number(attr(m[1] as string, 'r') ?? seq + 1);
    const cells: XlsxCell[] = [];
    let col = 0;
    for (const c of (m[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      col = columnIndex(attr(c[1] as string, 'r'), col);
      if (col >= ctx.limits.maxColumns) throw new XlsxError(`sheet "${name}" row ${seq} has more than ${ctx.limits.maxColumns} columns`);
      const v = cellValue(c[1] as string, c[2] ?? '', ctx);
      if (v !== undefined && v !== '') cells[col] = v;
      col++;
    }
    if (cells.length === 0) continue;
    if (++ctx.total.rows > ctx.limits.maxRows) throw new XlsxError(`more than ${ctx.limits.maxRows} rows in one file`, true);
    sheet.rows.push({ row: seq, cells });
    if (ctx.total.rows % 2000 === 0) await turn();
  }
  return sheet;
}

/** Resolves a relationship target (relative to xl/, or absolute) to a zip entry name. */
const partName = (target: string): string => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');

export async function readXlsx(buf: Buffer, limits: XlsxLimits): Promise<XlsxSheet[]> {
  try {
    const entries = zipEntries(buf);
    const part = async (name: string): Promise<string | undefined> => {
      const e = entries.get(name);
      return e ? (await readEntry(buf, e, limits.maxPartBytes)).toString('utf8') : undefined;
    };
    const workbook = await part('xl/workbook.xml');
    const rels = await part('xl/_rels/workbook.xml.rels');
    if (!workbook || !rels) throw new XlsxError('not an XLSX workbook (no xl/workbook.xml)');
    const relations = [...rels.matchAll(/<Relationship\b([^>]*)\/?>/g)].map((m) => m[1] as string);
    const targets = new Map(relations.map((a) => [attr(a, 'Id'), attr(a, 'Target')]));
    const strings = sharedStrings(await part('xl/sharedStrings.xml'));
    const ctx: Context = { strings, dates: dateStyles(await part('xl/styles.xml')), limits, total: { rows: 0 } };
    const sheets: XlsxSheet[] = [];
    for (const m of workbook.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
      const target = targets.get(attr(m[1] as string, 'r:id'));
      const xml = target ? await part(partName(target)) : undefined;
      if (xml === undefined) continue;
      sheets.push(await readSheet(xml, unescapeXml(attr(m[1] as string, 'name') ?? ''), ctx));
      await turn();
    }
    return sheets;
  } catch (err) {
    if (err instanceof ZipError) throw new XlsxError(err.message);
    throw err;
  }
}
