/**
 * Power data as grid companies deliver it (issue 16; docs/working-condition.md "Power-data import"):
 * one row per meter per 15-minute interval — the meter number (the facility's `meterNo`), the
 * interval's start in China time, the energy of the interval in kWh and, optionally, the power in
 * kW. The columns are found by their header (Chinese or English words, units in brackets ignored),
 * in any order, in the first rows of the sheet; the time is one column (`2026-12-04 10:15`,
 * `2026/12/4 10:15:00`, `202612041015`) or a date column and a time column (`10:15`, `10:00-10:15`:
 * the start). When both energy and power are given, the energy counts (the power is the meter's
 * reading at one instant; the energy is the interval's). Pure: the rows of a sheet in, the rows read
 * and the rows refused (with a code and a Chinese reason) out.
 */
import { CellRefusal, codeOf, norm, numberOf, textOf, type Cell } from '../../registry/sheet-cells';
import type { SheetRow } from '../../registry/sheet-read';

export const INTERVAL_MS = 15 * 60_000;

/** Why a row is refused: codes the client words (zh-CN, en); `reason` is the server's Chinese text. */
export const POWER_ROW_CODES = [
  'no_meter',
  'unknown_meter',
  'ambiguous_meter',
  'meter_without_logger',
  'bad_time',
  'not_quarter_hour',
  'future_time',
  'bad_energy',
  'duplicate',
] as const;
export type PowerRowCode = (typeof POWER_ROW_CODES)[number];

export interface PowerRowError {
  /** Row number as the spreadsheet shows it (CSV: the line). */
  row: number;
  code: PowerRowCode;
  reason: string;
  meterNo?: string;
}

export interface PowerRow {
  row: number;
  meterNo: string;
  /** Interval start, epoch ms. */
  start: number;
  /** Energy of the interval; from kW × ¼ h when the file gives only power. */
  kwh: number;
}

type Column = 'meter' | 'datetime' | 'date' | 'time' | 'kwh' | 'kw';
const HEADERS: Record<Column, string[]> = {
  meter: [
    '电表编号',
    '表号',
    '电能表编号',
    '电表号',
    '计量点编号',
    '电表资产编号',
    '资产编号',
    '表计编号',
    'meterno',
    'meter',
    'meternumber',
  ],
  datetime: [
    '时间',
    '起始时间',
    '开始时间',
    '数据时间',
    '时段开始',
    '时段起始时间',
    '采集时间',
    '时标',
    'start',
    'intervalstart',
    'datetime',
  ],
  date: ['日期', '数据日期', 'date'],
  time: ['时段', '时刻', 'timeofday', 'period'],
  kwh: ['电量', '用电量', '有功电量', '正向有功电量', '正向有功总电量', 'kwh', 'energy'],
  kw: ['功率', '有功功率', '平均功率', '平均负荷', '负荷', 'kw', 'power'],
};
const WORDS = new Map<string, Column>();
for (const [column, words] of Object.entries(HEADERS) as [Column, string[]][]) for (const w of words) WORDS.set(norm(w), column);

/** A header cell's column, its unit in brackets ignored (`电量(kWh)` → kwh). */
function columnOf(cell: Cell): Column | undefined {
  const t = norm(textOf(cell));
  return WORDS.get(t) ?? WORDS.get(t.replace(/\(.*\)$/, '').replace(/[:：]$/, ''));
}

export interface PowerHeader {
  /** Index of the header row among the sheet's rows. */
  at: number;
  columns: Partial<Record<Column, number>>;
}

/** The header among the first ten rows: one with a meter column, a time (or date and time) and an energy or power column. */
export function findHeader(rows: readonly SheetRow[]): PowerHeader | undefined {
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const columns: Partial<Record<Column, number>> = {};
    (rows[i] as SheetRow).cells.forEach((c, j) => {
      const col = columnOf(c);
      if (col !== undefined && columns[col] === undefined) columns[col] = j;
    });
    const timed = columns.datetime !== undefined || columns.date !== undefined;
    if (columns.meter !== undefined && timed && (columns.kwh !== undefined || columns.kw !== undefined)) return { at: i, columns };
  }
  return undefined;
}

const DATE_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?)?秒?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/;
const TIME = /^(\d{1,2})[:：](\d{2})(?::(\d{2}))?(?:\s*[-~～至]\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?$/;

/** Local wall-clock fields → epoch ms, or undefined when they are no real instant. */
function instant(f: number[], utcOffsetMinutes: number): number | undefined {
  const [y, mo, d, h = 0, mi = 0, s = 0] = f as [number, number, number, number?, number?, number?];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const c = new Date(utc);
  if (c.getUTCMonth() !== mo - 1 || c.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}

/** The interval start a row gives, or the reason it gives none. */
function startOf(cells: Cell[], cols: PowerHeader['columns'], utcOffsetMinutes: number): number | string {
  const cell = (c: number | undefined) => (c === undefined ? undefined : cells[c]);
  let text: string;
  if (cols.datetime !== undefined && textOf(cell(cols.datetime)) !== '') {
    const v = cell(cols.datetime);
    text = typeof v === 'number' ? codeOf(v, '时间') : textOf(v);
    // A date-only datetime column followed by a time column (a sheet that splits them).
    if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(text) && cols.time !== undefined) text = `${text} ${textOf(cell(cols.time))}`;
  } else {
    const date = textOf(cell(cols.date)).replace(/\s+00:00:00$/, '');
    const time = textOf(cell(cols.time ?? cols.datetime)).replace(/^1899-12-3[01] /, '');
    text = `${date} ${time}`.trim();
  }
  const compact = COMPACT.exec(text);
  const m = compact ?? DATE_TIME.exec(text.replace(/\s+/g, ' '));
  let fields: number[] | undefined = m
    ? m
        .slice(1)
        .filter((x) => x !== undefined)
        .map(Number)
    : undefined;
  if (!m) {
    const [d, t] = [text.slice(0, text.indexOf(' ')), text.slice(text.indexOf(' ') + 1)];
    const dm = DATE_TIME.exec(d);
    const tm = TIME.exec(t.trim());
    if (dm && tm)
      fields = [
        ...dm.slice(1, 4).map(Number),
        ...tm
          .slice(1)
          .filter((x) => x !== undefined)
          .map(Number),
      ];
  }
  const at = fields && fields.length >= 5 ? instant(fields, utcOffsetMinutes) : undefined;
  return at ?? `时间「${text.slice(0, 40)}」无法识别（应为 YYYY-MM-DD HH:mm，时段起始时间，北京时间）`;
}

/** The rows of a sheet after its header: read, or refused with a code and a reason. */
export function readPowerRows(
  rows: readonly SheetRow[],
  header: PowerHeader,
  opts: { utcOffsetMinutes: number; now: number },
): { rows: PowerRow[]; errors: PowerRowError[] } {
  const out: PowerRow[] = [];
  const errors: PowerRowError[] = [];
  const cols = header.columns;
  for (const { row, cells } of rows.slice(header.at + 1)) {
    const meter = meterOf(cols.meter === undefined ? undefined : cells[cols.meter]);
    const meterNo = typeof meter === 'string' ? meter : '';
    const refuse = (code: PowerRowCode, reason: string) => errors.push({ row, code, reason, ...(meterNo ? { meterNo } : {}) });
    if (typeof meter !== 'string' || meter === '') {
      refuse('no_meter', typeof meter === 'string' ? '电表编号为空' : meter.bad);
      continue;
    }
    const start = startOf(cells, cols, opts.utcOffsetMinutes);
    if (typeof start === 'string') {
      refuse('bad_time', start);
      continue;
    }
    if (start % INTERVAL_MS !== 0) {
      refuse('not_quarter_hour', '时间不是15分钟时段的起点（应为整点、15分、30分或45分）');
      continue;
    }
    if (start + INTERVAL_MS > opts.now) {
      refuse('future_time', '该时段尚未结束（时间晚于当前时间）');
      continue;
    }
    const energy = energyOf(cells, cols);
    if (typeof energy === 'string') {
      refuse('bad_energy', energy);
      continue;
    }
    out.push({ row, meterNo, start, ...energy });
  }
  return { rows: out, errors };
}

/** A meter number, or why there is none (Excel stored a long one as a number and lost digits). */
function meterOf(cell: Cell): string | { bad: string } {
  try {
    return codeOf(cell, '电表编号');
  } catch (err) {
    if (err instanceof CellRefusal) return { bad: err.message };
    throw err;
  }
}

/** kWh of the interval (from kW × ¼ h when only power is given). */
function energyOf(cells: Cell[], cols: PowerHeader['columns']): { kwh: number } | string {
  try {
    const kwhCell = cols.kwh === undefined ? undefined : cells[cols.kwh];
    const kwCell = cols.kw === undefined ? undefined : cells[cols.kw];
    const kw = textOf(kwCell) === '' ? undefined : numberOf(kwCell, '功率');
    const kwh = textOf(kwhCell) === '' ? (kw === undefined ? undefined : kw / 4) : numberOf(kwhCell, '电量');
    if (kwh === undefined) return '电量为空';
    if (kwh < 0 || (kw !== undefined && kw < 0)) return '电量或功率为负数';
    return { kwh };
  } catch (err) {
    if (err instanceof CellRefusal) return err.message;
    throw err;
  }
}
