/**
 * Which sheet holds what, and which column is which: sheets are recognised by name (企业, 排口 or
 * 站点, 设施, 限值计划) or, failing that (a CSV file, a renamed sheet), by their header; the header
 * is the first of the sheet's first ten rows that names the sheet's key column (title rows above it
 * are skipped). Headers match without regard to spaces, full-width brackets or a unit suffix.
 */
import type { Enterprise, Facility, Source } from '../domain/registry';
import { CREDENTIAL_COLUMNS, ENTERPRISE_COLUMNS, FACILITY_COLUMNS, SCHEDULE_HEADERS, SOURCE_COLUMNS, type Column } from './sheet-columns';
import { factorOfLabel, norm, textOf } from './sheet-cells';
import type { SheetRow, SheetRows } from './sheet-read';

export const SHEET_KINDS = ['enterprises', 'sources', 'schedule', 'facilities'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

/** The sheet names export writes, and the names import also accepts. */
export const SHEET_NAMES: Record<SheetKind, readonly [string, ...string[]]> = {
  enterprises: ['企业', '企业信息', '企业名录'],
  sources: ['排口', '站点', '排口站点', '排口/站点', '监控点'],
  schedule: ['限值计划', '分期限值'],
  facilities: ['设施', '设施信息'],
};
/** Sheets the reader passes over without a word (export's instructions). */
export const NOTES_SHEET = '填写说明';

const KEY_HEADER: Record<SheetKind, string> = {
  enterprises: '企业编号',
  sources: '数采仪MN',
  schedule: '数采仪MN',
  facilities: '设施编号',
};

export interface Refusal {
  sheet: string;
  row: number;
  column?: string;
  reason: string;
}

/** A recognised sheet: its columns by position, and its data rows. */
export interface Layout<T> {
  kind: SheetKind;
  sheet: string;
  headerRow: number;
  /** Column index → the column it is (undefined: not imported). */
  columns: (Column<T> | undefined)[];
  /** Column index → the factor of a `限值 …` column (sources). */
  limits: Map<number, { factor: string | undefined; header: string }>;
  rows: SheetRow[];
}

const same = (header: string, name: string): boolean => {
  const h = norm(header);
  const n = norm(name);
  return h === n || h.replace(/\(.*\)$/, '') === n.replace(/\(.*\)$/, '');
};

const SCHEDULE_COLUMNS = Object.entries(SCHEDULE_HEADERS).map(([key, header]) => ({ header, key })) as unknown as Column<unknown>[];
const COLUMNS: Record<SheetKind, readonly Column<unknown>[]> = {
  enterprises: ENTERPRISE_COLUMNS as Column<unknown>[],
  sources: [...SOURCE_COLUMNS, ...CREDENTIAL_COLUMNS] as Column<unknown>[],
  schedule: SCHEDULE_COLUMNS,
  facilities: FACILITY_COLUMNS as Column<unknown>[],
};
const columnsOf = (kind: SheetKind): readonly Column<unknown>[] => COLUMNS[kind];

const find = (kind: SheetKind, header: string) =>
  columnsOf(kind).find((c) => [c.header, ...(c.aliases ?? [])].some((n) => same(header, n)));

function kindByName(name: string): SheetKind | undefined {
  return SHEET_KINDS.find((k) => SHEET_NAMES[k].some((n) => norm(n) === norm(name)));
}

/** A header row's kind when the sheet's name does not say it (CSV). */
function kindByHeader(headers: string[]): SheetKind | undefined {
  const has = (h: string) => headers.some((x) => same(x, h));
  if (has('设施编号')) return 'facilities';
  if (has('数采仪MN') || has('MN')) return has('监测因子') && !has('排口名称') ? 'schedule' : 'sources';
  if (has('企业编号')) return 'enterprises';
  return undefined;
}

const headersOf = (r: SheetRow): string[] => r.cells.map((c) => textOf(c));

export type AnyLayout = Layout<Enterprise> | Layout<Source> | Layout<Facility> | Layout<Record<string, unknown>>;

/** The sheet's layout, or the refusal saying why the sheet is not imported. */
export function layoutOf(sheet: SheetRows, label: string): { layout?: AnyLayout; refused: Refusal[] } {
  if (norm(sheet.name) === norm(NOTES_SHEET)) return { refused: [] };
  const named = kindByName(sheet.name);
  const top = sheet.rows.slice(0, 10);
  const header = top.find((r) => {
    const hs = headersOf(r);
    return named ? hs.some((h) => find(named, h) === find(named, KEY_HEADER[named])) : kindByHeader(hs) !== undefined;
  });
  const kind = named ?? (header ? kindByHeader(headersOf(header)) : undefined);
  const first = sheet.rows[0]?.row ?? 1;
  if (!kind) {
    const reason = `无法识别的工作表（应为 ${SHEET_KINDS.map((k) => SHEET_NAMES[k][0]).join('、')}），未导入`;
    return sheet.rows.length === 0 ? { refused: [] } : { refused: [{ sheet: label, row: first, reason }] };
  }
  if (!header) {
    const reason = `前 10 行中没有「${KEY_HEADER[kind]}」列的表头，本工作表未导入`;
    return { refused: [{ sheet: label, row: first, column: KEY_HEADER[kind], reason }] };
  }
  const refused: Refusal[] = [];
  const rows = sheet.rows.filter((r) => r.row > header.row);
  const layout: Layout<unknown> = { kind, sheet: label, headerRow: header.row, columns: [], limits: new Map(), rows };
  const seen = new Map<string, string>();
  headersOf(header).forEach((h, i) => {
    if (h === '') return;
    if (kind === 'sources' && /^限值/.test(h)) {
      const factor = factorOfLabel(h.replace(/^限值[\s:：\-_]*/, ''));
      const twin = factor ? seen.get(`limit:${factor}`) : undefined;
      if (twin) refused.push({ sheet: label, row: header.row, column: h, reason: `与「${twin}」是同一因子的限值，本工作表未导入` });
      if (factor) seen.set(`limit:${factor}`, h);
      layout.limits.set(i, { factor, header: h });
      return;
    }
    const column = find(kind, h);
    if (!column) return void refused.push({ sheet: label, row: header.row, column: h, reason: '无法识别的列，未导入该列' });
    const twin = seen.get(column.header);
    if (twin) refused.push({ sheet: label, row: header.row, column: h, reason: `与「${twin}」是同一列，本工作表未导入` });
    seen.set(column.header, h);
    layout.columns[i] = column;
  });
  if (refused.some((r) => r.reason.endsWith('本工作表未导入'))) return { refused };
  return { layout: layout as AnyLayout, refused };
}
