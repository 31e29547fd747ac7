/**
 * The registry in the bureau's workbook form: import (XLSX or CSV → rows → merged registry, see
 * registry-merge) and export (the whole registry, or one enterprise's part, as an XLSX of the same
 * form: export → import into an empty registry gives the same registry). Sheets: 企业, 排口, 限值计划,
 * 设施, and 填写说明 (instructions, ignored on import). Logger credentials are written only on an
 * explicit request (`credentials: true`, the router allows it to administrators only).
 */
import { catalog } from '../domain/catalog';
import type { Enterprise, Facility, Source } from '../domain/registry';
import { mergeRegistry, type MergeOptions, type MergeResult, type RegistryDraft } from './registry-merge';
import { factorLabel, writeLimit } from './sheet-cells';
import { CREDENTIAL_COLUMNS, ENTERPRISE_COLUMNS, FACILITY_COLUMNS, SCHEDULE_HEADERS, SOURCE_COLUMNS, type Column } from './sheet-columns';
import { layoutOf, NOTES_SHEET, SHEET_NAMES, type AnyLayout, type Refusal } from './sheet-layout';
import { readSheets, type ReadLimits } from './sheet-read';
import { writeXlsx, type XlsxSheetOut } from './xlsx/xlsx-write';

export type { MergeResult, RegistryDraft } from './registry-merge';
export { FileRefusal } from './sheet-read';

/** Reads the file and merges its rows into `base`. Throws FileRefusal for a file that cannot be read. */
export async function importRegistry(
  bytes: Buffer,
  base: RegistryDraft,
  opts: MergeOptions & { limits?: ReadLimits },
): Promise<MergeResult> {
  const sheets = await readSheets(bytes, opts.limits);
  const layouts: AnyLayout[] = [];
  const refused: Refusal[] = [];
  for (const [i, sheet] of sheets.entries()) {
    const label = sheet.name || (sheets.length === 1 ? '' : `Sheet${i + 1}`);
    const { layout, refused: r } = layoutOf(sheet, label);
    if (layout && label === '') layout.sheet = SHEET_NAMES[layout.kind][0]; // a CSV file: named by what it holds
    refused.push(...r.map((x) => ({ ...x, sheet: x.sheet || 'CSV' })));
    if (layout) layouts.push(layout);
  }
  const result = await mergeRegistry(base, layouts, opts);
  return { ...result, refused: [...refused, ...result.refused] };
}

export interface ExportOptions {
  /** Include the loggers' HJ 212 PW and MQTT password (administrators only; default off). */
  credentials?: boolean;
}

type Value = string | number | undefined;
interface SheetSpec {
  name: string;
  headers: string[];
  text: boolean[];
  /** The rows, made as they are written (the writer yields to the event loop between chunks). */
  rows: () => Iterable<Value[]>;
}

function* mapped<T>(records: readonly T[], row: (r: T) => Value[]): Generator<Value[]> {
  for (const r of records) yield row(r);
}

function spec<T>(name: string, columns: readonly Column<T>[], records: readonly T[]): SheetSpec {
  const row = (r: T) => columns.map((c) => c.write(r));
  return { name, headers: columns.map((c) => c.header), text: columns.map((c) => c.text === true), rows: () => mapped(records, row) };
}

/** Factors that any source's own limits name, in catalog order. */
function limitFactors(sources: readonly Source[]): string[] {
  const used = new Set(sources.flatMap((s) => Object.keys(s.limits)));
  return catalog
    .all()
    .map((f) => f.code)
    .filter((c) => used.has(c));
}

const limitCell = (s: Source, factor: string): Value => (s.limits[factor] ? writeLimit(s.limits[factor]) : undefined);

function sourcesSpec(sources: readonly Source[], opts: ExportOptions): SheetSpec {
  const columns = [...SOURCE_COLUMNS, ...(opts.credentials ? CREDENTIAL_COLUMNS : [])];
  const factors = limitFactors(sources);
  const base = spec(SHEET_NAMES.sources[0], columns, sources);
  return {
    ...base,
    headers: [...base.headers, ...factors.map((f) => `限值 ${factorLabel(f)}`)],
    text: [...base.text, ...factors.map(() => false)],
    rows: () => mapped(sources, (s) => [...columns.map((c) => c.write(s)), ...factors.map((f) => limitCell(s, f))]),
  };
}

function scheduleSpec(sources: readonly Source[]): SheetSpec {
  const h = SCHEDULE_HEADERS;
  const rows = sources.flatMap((s) =>
    (s.limitSchedule ?? []).map((d): Value[] => [s.mn, factorLabel(d.factor), writeLimit(d.limit), d.from, d.until]),
  );
  const headers = [h.mn, h.factor, h.limit, h.from, h.until];
  return { name: SHEET_NAMES.schedule[0], headers, text: [true, false, false, true, true], rows: () => rows };
}

const NOTES = [
  '登记数据导入模板（企业、排口/站点、限值计划、设施）',
  '按编号合并：企业按“企业编号”，排口按“数采仪MN”，设施按“设施编号”；已有的更新，没有的新增，不会删除。',
  '某列不在表中时保留原值；列在表中但单元格为空时清除该项（必填项除外）。',
  '类型：烟气CEMS / VOCs / 氨逃逸 / 油气回收 / 空气站；绩效分级：引领性 / A / B / C / 非分级 / 未分级；是/否 列填“是”或“否”。',
  '限值列写作“限值 因子名 代码 (单位)”，单元格如“50”（上限）、“≥850”（下限）、“1.0~1.2”（范围），可加“折算”和级别（提示/预警/重要/严重）。',
  '限值计划：每行一条有起止日期的限值；某排口出现在此表时，其分期限值以此表为准。',
  '新增排口的数采仪密码和 MQTT 密码由系统生成，仅在导入结果中显示一次；导出文件不含密码。',
  'MN、信用代码等列请设为“文本”格式，以免 Excel 把长数字改成科学计数法。',
];

/** Display width in Excel characters (CJK counts two), for column widths. */
const width = (v: Value): number => [...String(v ?? '')].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);

/** The registry (or the part given) as a workbook. */
export async function exportRegistryXlsx(
  reg: { enterprises: readonly Enterprise[]; sources: readonly Source[]; facilities?: readonly Facility[] | undefined },
  opts: ExportOptions = {},
): Promise<Buffer> {
  const sheets = [
    spec(SHEET_NAMES.enterprises[0], ENTERPRISE_COLUMNS, reg.enterprises),
    sourcesSpec(reg.sources, opts),
    scheduleSpec(reg.sources),
    spec(SHEET_NAMES.facilities[0], FACILITY_COLUMNS, reg.facilities ?? []),
  ];
  const out: XlsxSheetOut[] = sheets.map((s) => {
    const sample: Value[][] = [];
    for (const r of s.rows()) if (sample.push(r) >= 200) break; // widths from the first rows
    const columns = s.headers.map((h, i) => ({
      width: Math.min(40, Math.max(8, width(h) + 2, ...sample.map((r) => width(r[i]) + 2))),
      text: s.text[i] === true,
    }));
    return { name: s.name, header: s.headers, columns, rows: s.rows() };
  });
  out.push({ name: NOTES_SHEET, columns: [{ width: 120 }], rows: NOTES.map((line) => [line]) });
  return writeXlsx(out);
}
