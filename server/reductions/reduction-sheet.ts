/**
 * The reduction lists in the bureau's workbook form (issue 18): export (the latest version of each
 * enterprise's list for a year, one row per entry; reduction-sheet-columns.ts) and import (the rows
 * grouped into one list per enterprise and year, every row checked: its cells, the measures'
 * order across levels, the registry's facilities, meters and outlets). A list with a refused row is
 * held back whole: a list filed without some of its lines would promise less than the file says.
 * Export → import gives the same lists. Reasons are in the bureau's words.
 */
import type { ReductionEntry, ResponseLevel, LevelMeasure } from '../domain/reduction-list';
import { RESPONSE_LEVELS } from '../domain/reduction-list';
import { reductionListBodySchema } from '../domain/reduction-list-schema';
import type { FiledReductionList } from '../domain/reduction-list-api';
import type { Registry } from '../domain/registry';
import { CellRefusal, codeOf, norm, numberOf, textOf, type Cell } from '../registry/sheet-cells';
import type { Refusal } from '../registry/sheet-layout';
import { FileRefusal, readSheets, type SheetRow } from '../registry/sheet-read';
import { writeXlsx } from '../registry/xlsx/xlsx-write';
import { registryProblems, problemZh } from './reduction-checks';
import { listOf, peakShiftOf, writeList, writePeakShift } from './reduction-cells';
import {
  ALL_HEADERS,
  BASE_HEADERS,
  LEVEL_HEADERS,
  LEVEL_WORDS,
  measureHeader,
  LEADING_KEYS,
  REQUIRED_KEYS,
  TEXT_KEYS,
  type BaseKey,
} from './reduction-sheet-columns';

export { FileRefusal };
export const LIST_SHEET = '减排清单';
const NOTES_SHEET = '填写说明';

const NOTES = [
  '应急减排清单导入模板：每行一个条目（生产线、工序或设施），同一企业同一年度的各行组成一份清单，导入后形成新版本。',
  '措施：停产 / 限产 / 不采取措施；限产须填“保留负荷%”（1–99）。级别越高，保留的负荷不得越多。',
  '时段：如 09:00-17:00（22:00-06:00 跨午夜）；留空表示全天。',
  '关键指标：多项用“；”分隔——“电力 设施编号≤50kW”“流量 排口MN≤1000m³/h”“限值 排口MN a21002≤35”。',
  '设施编号、电表、排口MN 须为该企业在档案中登记的设施、电表和排口；排口MN、电表多个时用“、”分隔。',
  '减排量单位 kg/h；不采取措施的级别不填减排量。某企业任一行有误时，该企业的清单整份不导入。',
  '错峰生产停产时段（如水泥熟料线）：2026-11-15~2027-03-15，可加括号说明，多段用“、”分隔；时段内不论是否预警，该生产线须停产，按红色级别的电力、流量关键指标逐小时核查。',
];

/** A list the file would file: its enterprise, year and entries, and the rows they came from. */
export interface SheetList {
  enterpriseId: string;
  year: number;
  entries: ReductionEntry[];
  rows: number[];
}

export interface SheetReadResult {
  lists: SheetList[];
  /** Lists held back because a row of theirs was refused (rows: all of theirs). */
  held: { enterpriseId: string; year: number; rows: number[] }[];
  refused: Refusal[];
}

interface Header {
  row: number;
  base: Map<BaseKey, number>;
  levels: Map<string, number>;
}

function headerOf(rows: readonly SheetRow[]): Header | undefined {
  for (const r of rows.slice(0, 10)) {
    const names = r.cells.map((c) => norm(textOf(c)));
    const at = (h: string) => names.indexOf(norm(h));
    if (at(BASE_HEADERS.enterpriseId) < 0 || at(BASE_HEADERS.id) < 0) continue;
    const base = new Map<BaseKey, number>();
    for (const [k, h] of Object.entries(BASE_HEADERS) as [BaseKey, string][]) if (at(h) >= 0) base.set(k, at(h));
    const levels = new Map<string, number>();
    for (const { header } of LEVEL_HEADERS) if (at(header) >= 0) levels.set(header, at(header));
    return { row: r.row, base, levels };
  }
  return undefined;
}

/** Stricter levels never keep more load (as the schema says, in the bureau's words). */
const loadKept = (m: LevelMeasure): number => (m.action === 'stop' ? 0 : m.action === 'limit' ? (m.limitToPct ?? 100) : 100);

function measureProblems(level: ResponseLevel, m: LevelMeasure): string | undefined {
  const w = LEVEL_WORDS[level];
  if (m.action === 'limit' && m.limitToPct === undefined) return `${w}级别为限产时须填写保留负荷%（1–99）`;
  if (m.action === 'limit' && (!Number.isInteger(m.limitToPct) || (m.limitToPct as number) < 1 || (m.limitToPct as number) > 99))
    return `${w}保留负荷%须为 1–99 的整数`;
  if (m.action !== 'limit' && m.limitToPct !== undefined) return `${w}级别不是限产，不应填写保留负荷%`;
  if (m.action === 'unchanged' && Object.values(m.expectedKgH).some((v) => v > 0)) return `${w}级别不采取措施，不应有减排量`;
  if (Object.values(m.expectedKgH).some((v) => v < 0)) return `${w}减排量不能为负数`;
  return undefined;
}

/** A row's cells by column, and the refusals of those read so far. */
function rowReader(r: SheetRow, h: Header, sheet: string) {
  const refused: Refusal[] = [];
  const cellAt = (i: number | undefined): Cell => (i === undefined ? undefined : r.cells[i]);
  const base = (k: BaseKey) => cellAt(h.base.get(k));
  const refuse = (column: string, reason: string) => refused.push({ sheet, row: r.row, column, reason });
  const read = <T>(column: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      refuse(column, err.message);
      return fallback;
    }
  };
  const level = (header: string) => cellAt(h.levels.get(header));
  return { refused, base, level, refuse, read };
}
type RowReader = ReturnType<typeof rowReader>;

/** The three levels' measures of a row; stricter levels never keep more load. */
function readMeasures(x: RowReader): Record<ResponseLevel, LevelMeasure> {
  const measures = {} as Record<ResponseLevel, LevelMeasure>;
  for (const level of RESPONSE_LEVELS) {
    const m: LevelMeasure = { action: 'unchanged', indicators: [], expectedKgH: {} };
    const before = x.refused.length;
    for (const lh of LEVEL_HEADERS.filter((l) => l.level === level)) {
      if (lh.header === measureHeader(level) && textOf(x.level(lh.header)) === '') {
        x.refuse(lh.header, `${lh.header}须填写（停产/限产/不采取措施）`);
        continue;
      }
      x.read(lh.header, () => lh.column.read(x.level(lh.header), m, lh.header), undefined);
    }
    // A level whose cells were refused is not judged further (its reasons would be the refusal's echo).
    const problem = x.refused.length === before ? measureProblems(level, m) : undefined;
    if (problem) x.refuse(measureHeader(level), problem);
    measures[level] = m;
  }
  for (let i = 1; i < RESPONSE_LEVELS.length && x.refused.length === 0; i++) {
    const [lower, higher] = [RESPONSE_LEVELS[i - 1] as ResponseLevel, RESPONSE_LEVELS[i] as ResponseLevel];
    if (loadKept(measures[higher]) > loadKept(measures[lower]))
      x.refuse(measureHeader(higher), `${LEVEL_WORDS[higher]}级别保留的负荷不能多于${LEVEL_WORDS[lower]}级别`);
  }
  return measures;
}

/** One data row → its enterprise, year and entry, or the refusals of its cells. */
function readRow(r: SheetRow, h: Header, sheet: string): { enterpriseId: string; year: number; entry: ReductionEntry } | Refusal[] {
  const x = rowReader(r, h, sheet);
  const required = (k: BaseKey, f: (c: Cell) => string) =>
    x.read(
      BASE_HEADERS[k],
      () => {
        const v = f(x.base(k));
        if (v === '') throw new CellRefusal(`${BASE_HEADERS[k]}须填写`);
        return v;
      },
      '',
    );
  const enterpriseId = required('enterpriseId', (c) => codeOf(c, BASE_HEADERS.enterpriseId));
  const year = x.read(
    BASE_HEADERS.year,
    () => {
      const y = numberOf(x.base('year'), BASE_HEADERS.year);
      if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new CellRefusal(`年度「${y}」应为 2000–2100 的整数`);
      return y;
    },
    0,
  );
  const entry: ReductionEntry = {
    id: required('id', (c) => codeOf(c, BASE_HEADERS.id)),
    name: required('name', textOf),
    outletMns: x.read(BASE_HEADERS.outletMns, () => listOf(x.base('outletMns'), BASE_HEADERS.outletMns), []),
    meterIds: x.read(BASE_HEADERS.meterIds, () => listOf(x.base('meterIds'), BASE_HEADERS.meterIds), []),
    measures: readMeasures(x),
    responsible: { name: required('responsible', textOf), phone: required('phone', (c) => codeOf(c, BASE_HEADERS.phone)) },
  };
  const facilityId = x.read(BASE_HEADERS.facilityId, () => codeOf(x.base('facilityId'), BASE_HEADERS.facilityId), '');
  if (facilityId !== '') entry.facilityId = facilityId;
  const process = textOf(x.base('process'));
  if (process !== '') entry.process = process;
  const peakShift = x.read(BASE_HEADERS.peakShift, () => peakShiftOf(x.base('peakShift')), []);
  if (peakShift.length > 0) entry.peakShift = peakShift;
  return x.refused.length > 0 ? x.refused : { enterpriseId, year, entry };
}

/** Checks of a whole list: the enterprise, entry ids, the registry's references, the schema as a backstop. */
function listProblems(l: SheetList, reg: Registry, sheet: string): Refusal[] {
  const rowOf = (i: number) => l.rows[i] as number;
  if (!reg.enterprises.some((e) => e.id === l.enterpriseId))
    return l.rows.map((row) => ({ sheet, row, column: BASE_HEADERS.enterpriseId, reason: `企业编号「${l.enterpriseId}」未在档案中登记` }));
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  l.entries.forEach((e, i) => {
    if (seen.has(e.id))
      refused.push({ sheet, row: rowOf(i), column: BASE_HEADERS.id, reason: `条目编号「${e.id}」在该企业 ${l.year} 年清单中重复` });
    seen.add(e.id);
  });
  const column = {
    facilityId: BASE_HEADERS.facilityId,
    meterIds: BASE_HEADERS.meterIds,
    outletMns: BASE_HEADERS.outletMns,
    indicators: '关键指标',
  };
  for (const p of registryProblems(l.entries, l.enterpriseId, reg))
    refused.push({ sheet, row: rowOf(p.entry), column: column[p.field], reason: problemZh(p) });
  if (refused.length > 0) return refused;
  const parsed = reductionListBodySchema.safeParse({ year: l.year, entries: l.entries });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const i = typeof issue.path[1] === 'number' ? issue.path[1] : 0;
      refused.push({ sheet, row: rowOf(i), reason: `不符合清单格式（${issue.path.slice(2).join('.') || '清单'}）：${issue.message}` });
    }
  return refused;
}

/** Reads the workbook into lists, per enterprise and year, with every refused row. */
export async function readReductionWorkbook(bytes: Buffer, reg: Registry): Promise<SheetReadResult> {
  const sheets = (await readSheets(bytes)).filter((s) => s.name !== NOTES_SHEET);
  const found = sheets.map((s) => ({ s, h: headerOf(s.rows) })).find((x) => x.h !== undefined);
  if (!found?.h) throw new FileRefusal('bad_file', '未找到减排清单表：表头须含“企业编号”和“条目编号”');
  const { s, h } = found as { s: (typeof sheets)[number]; h: Header };
  const sheet = s.name || LIST_SHEET;
  const missing = [
    ...REQUIRED_KEYS.filter((k) => !h.base.has(k)).map((k) => BASE_HEADERS[k]),
    ...RESPONSE_LEVELS.map(measureHeader).filter((x) => !h.levels.has(x)),
  ];
  if (missing.length > 0) throw new FileRefusal('bad_file', `减排清单表缺少列：${missing.join('、')}`);
  const groups = new Map<string, SheetList & { bad: boolean; all: number[] }>();
  const refused: Refusal[] = [];
  for (const r of s.rows.filter((x) => x.row > h.row)) {
    const read = readRow(r, h, sheet);
    const enterpriseId = Array.isArray(read) ? codeOf(r.cells[h.base.get('enterpriseId') ?? -1], '') : read.enterpriseId;
    const year = Array.isArray(read) ? Number(textOf(r.cells[h.base.get('year') ?? -1])) || 0 : read.year;
    const key = `${enterpriseId}\u0000${year}`;
    const g = groups.get(key) ?? { enterpriseId, year, entries: [], rows: [], bad: false, all: [] };
    groups.set(key, g);
    g.all.push(r.row);
    if (Array.isArray(read)) {
      refused.push(...read);
      g.bad = true;
      continue;
    }
    g.entries.push(read.entry);
    g.rows.push(r.row);
  }
  const lists: SheetList[] = [];
  const held: SheetReadResult['held'] = [];
  for (const { bad, all, ...g } of groups.values()) {
    const problems = g.entries.length > 0 ? listProblems(g, reg, sheet) : [];
    refused.push(...problems);
    if (bad || problems.length > 0 || g.entries.length === 0) held.push({ enterpriseId: g.enterpriseId, year: g.year, rows: all });
    else lists.push(g);
  }
  refused.sort((a, b) => a.row - b.row);
  return { lists, held, refused };
}

/** Display width in Excel characters (CJK counts two). */
const width = (v: string | number | undefined): number =>
  [...String(v ?? '')].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);

/** The lists as the bureau's workbook: one row per entry. */
export async function exportReductionXlsx(lists: readonly FiledReductionList[], reg: Registry): Promise<Buffer> {
  const names = new Map(reg.enterprises.map((e) => [e.id, e.name]));
  const rows = lists.flatMap((l) =>
    l.entries.map((e) => {
      const base: Record<BaseKey, string | number | undefined> = {
        enterpriseId: l.enterpriseId,
        enterpriseName: names.get(l.enterpriseId),
        year: l.year,
        id: e.id,
        name: e.name,
        process: e.process,
        facilityId: e.facilityId,
        outletMns: writeList(e.outletMns),
        meterIds: writeList(e.meterIds),
        responsible: e.responsible.name,
        phone: e.responsible.phone,
        peakShift: writePeakShift(e.peakShift),
      };
      return [...LEADING_KEYS.map((k) => base[k]), ...LEVEL_HEADERS.map((lh) => lh.column.write(e.measures[lh.level])), base.peakShift];
    }),
  );
  const textKeys = new Set<string>(TEXT_KEYS.map((k) => BASE_HEADERS[k]));
  const columns = ALL_HEADERS.map((header, i) => ({
    width: Math.min(40, Math.max(8, width(header) + 2, ...rows.slice(0, 200).map((r) => width(r[i]) + 2))),
    text: textKeys.has(header),
  }));
  return writeXlsx([
    { name: LIST_SHEET, header: ALL_HEADERS, columns, rows },
    { name: NOTES_SHEET, columns: [{ width: 120 }], rows: NOTES.map((line) => [line]) },
  ]);
}
