/**
 * Forecasts as entered by the control centre: one entry, a JSON array or a CSV file
 * (header `date,o3_8h,iaqi,aqi,pm25,note`; o3_8h or iaqi per row, and optionally the day AQI and
 * the PM2.5 24-h mean from which heavy-pollution warnings are proposed). Every row is validated; an import with
 * any bad row is refused whole, with a message per bad row. Pure.
 */
import { z } from 'zod';
import { o3EightHourIaqi, O3_8H_SWITCH } from '../domain/aqi';
import { addDays, parseLocalDate } from '../domain/local-time';
import { zodIssuePath } from '../domain/zod-issues';

import type { ForecastInput, ForecastRowError } from '../domain/ozone';

const dateField = z.string().refine((s) => parseLocalDate(s, 0) !== null, 'must be a date YYYY-MM-DD');

export const forecastEntrySchema = z
  .object({
    date: dateField,
    o3_8h: z
      .number()
      .min(0, 'must not be negative')
      .max(O3_8H_SWITCH, `must be at most ${O3_8H_SWITCH} µg/m³ (above it give iaqi)`)
      .optional(),
    iaqi: z.number().int('must be a whole number').min(0, 'must be 0–500').max(500, 'must be 0–500').optional(),
    /** The forecast day AQI (all pollutants), when the forecast gives it. */
    aqi: z.number().int('must be a whole number').min(0, 'must be 0–500').max(500, 'must be 0–500').optional(),
    /** The forecast PM2.5 24-h mean, µg/m³. */
    pm25: z.number().min(0, 'must not be negative').max(1000, 'must be at most 1000 µg/m³').optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((e) => (e.o3_8h === undefined) !== (e.iaqi === undefined), { message: 'give exactly one of o3_8h and iaqi', path: ['o3_8h'] });
export type ForecastEntry = z.infer<typeof forecastEntrySchema>;

export function toForecast(e: ForecastEntry): ForecastInput {
  const iaqi = e.iaqi ?? (o3EightHourIaqi(e.o3_8h as number, null) as number);
  return { date: e.date, o3_8h: e.o3_8h ?? null, iaqi, aqi: e.aqi ?? null, pm25: e.pm25 ?? null, note: e.note ? e.note : null };
}

export interface ImportLimits {
  /** Today's local date. */
  today: string;
  maxDaysAhead: number;
  maxRows: number;
}

export type ImportResult = { ok: true; items: ForecastInput[] } | { ok: false; errors: ForecastRowError[] };

/** Validates rows (objects); positions[i] is where row i came from in a CSV file (data row and line). */
export function validateForecastRows(rows: readonly unknown[], limits: ImportLimits, positions?: readonly CsvPosition[]): ImportResult {
  if (rows.length === 0) return { ok: false, errors: [{ row: 0, field: 'rows', message: 'no forecast rows' }] };
  if (rows.length > limits.maxRows)
    return { ok: false, errors: [{ row: 0, field: 'rows', message: `at most ${limits.maxRows} rows in one import` }] };
  const last = addDays(limits.today, limits.maxDaysAhead);
  const errors: ForecastRowError[] = [];
  const items: ForecastInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const at = positions?.[i] ?? { row: i + 1 };
    const parsed = forecastEntrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ ...at, field: zodIssuePath(issue, 'row'), message: issue.message });
      return;
    }
    const e = parsed.data;
    if (e.date > last) errors.push({ ...at, field: 'date', message: `must be at most ${limits.maxDaysAhead} days after today (${last})` });
    else if (seen.has(e.date)) errors.push({ ...at, field: 'date', message: `${e.date} is also in row ${seen.get(e.date)}` });
    else items.push(toForecast(e));
    seen.set(e.date, seen.get(e.date) ?? at.row);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}

/** One CSV line into fields: `,` separated, `"…"` quoted with `""` for a quote. */
function csvFields(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null; // unterminated quote
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          field += '"';
          i += 2;
        } else field += line[i++];
      }
      i++;
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    }
    out.push(field.trim());
    if (i >= line.length) return out;
    i++; // the comma
  }
}

const COLUMNS = ['date', 'o3_8h', 'iaqi', 'aqi', 'pm25', 'note'] as const;
const NUMERIC = new Set<string>(['o3_8h', 'iaqi', 'aqi', 'pm25']);
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

/** CSV text → rows for validateForecastRows, or the errors of its shape (header, quoting, numbers). */
export interface CsvPosition {
  row: number;
  line: number;
}

export function parseForecastCsv(text: string): { rows: Record<string, unknown>[]; positions: CsvPosition[]; errors: ForecastRowError[] } {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const numbered = all.map((l, i) => ({ l, line: i + 1 })).filter((x) => x.l.trim() !== '');
  const errors: ForecastRowError[] = [];
  const header = numbered.shift();
  const cols = header ? csvFields(header.l)?.map((c) => c.toLowerCase()) : undefined;
  if (!header || !cols)
    return {
      rows: [],
      positions: [],
      errors: [
        {
          row: 0,
          line: header?.line ?? 1,
          field: 'header',
          message: 'a header line date,o3_8h,iaqi,aqi,pm25,note is needed (aqi, pm25 optional)',
        },
      ],
    };
  const unknown = cols.filter((c) => !(COLUMNS as readonly string[]).includes(c));
  if (!cols.includes('date') || unknown.length > 0 || new Set(cols).size !== cols.length) {
    const message =
      unknown.length > 0
        ? `unknown column(s) ${unknown.join(', ')}; expected ${COLUMNS.join(',')}`
        : `expected the columns ${COLUMNS.join(',')} (date required, each once)`;
    return { rows: [], positions: [], errors: [{ row: 0, line: header.line, field: 'header', message }] };
  }
  const rows: Record<string, unknown>[] = [];
  const positions: CsvPosition[] = [];
  numbered.forEach(({ l, line }, i) => {
    const fields = csvFields(l);
    if (!fields || fields.length > cols.length) {
      errors.push({
        row: i + 1,
        line,
        field: 'row',
        message: fields ? `${fields.length} fields, the header has ${cols.length}` : 'unterminated quote',
      });
      return;
    }
    const row: Record<string, unknown> = {};
    let bad = false;
    cols.forEach((c, j) => {
      const v = fields[j] ?? '';
      if (v === '') return;
      if (!NUMERIC.has(c)) row[c] = v;
      else if (NUMBER_RE.test(v)) row[c] = Number(v);
      else {
        bad = true;
        errors.push({ row: i + 1, line, field: c, message: `"${v}" is not a number` });
      }
    });
    if (bad) return;
    rows.push(row);
    positions.push({ row: i + 1, line });
  });
  return { rows, positions, errors };
}
