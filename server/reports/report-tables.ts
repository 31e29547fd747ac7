/**
 * The reports' export tables, Chinese by default and English with lang=en: title lines (report,
 * source or scope, date, units) above a header with units. The hourly report is the 时段 × 因子 grid
 * (server/domain/report-grid.ts); numbers carry their factor's precision (catalog decimals).
 */
import { catalog, factorDecimals } from '../domain/catalog';
import { cellMark, hourlyGrid, type GridRow } from '../domain/report-grid';
import type { LimitView } from '../domain/limit-pack';
import type { DailyFactor, DailySource, HourlyRow, TransmissionRow } from './report-builder';
import type { Column, Lang, Table } from './report-export';
import type { HourlyReport } from './report-service';
import { HOUR_MS, localDateTime } from '../domain/local-time';

const yesNo = (lang: Lang, b: boolean): string => (lang === 'zh' ? (b ? '是' : '否') : b ? 'yes' : 'no');
const factorName = (lang: Lang, code: string): string => {
  const f = catalog.get(code);
  return f ? (lang === 'zh' ? f.zh : f.en) : code;
};
const limitText = (l: LimitView | null): string =>
  !l ? '' : l.min !== undefined && l.max !== undefined ? `${l.min}–${l.max}` : l.max !== undefined ? `≤ ${l.max}` : `≥ ${l.min}`;
const utcLabel = (offsetMinutes: number): string => `UTC${offsetMinutes >= 0 ? '+' : '−'}${Math.abs(offsetMinutes / 60)}`;

/** Columns shared by hourly and daily rows of one factor. */
function factorColumns<R extends DailyFactor | HourlyRow>(lang: Lang, inputs: { zh: string; en: string }): Column<R>[] {
  return [
    { zh: '监测因子代码', en: 'Factor code', kind: 'text', value: (r) => r.factor },
    { zh: '监测因子', en: 'Factor', kind: 'text', value: (r) => factorName(lang, r.factor) },
    { zh: '单位', en: 'Unit', kind: 'text', value: (r) => r.unit },
    // Mixed units in one column: the unit column names each row's; the header names none.
    { zh: '均值', en: 'Mean', kind: 'number', value: (r) => r.value, decimals: (r) => factorDecimals(r.factor) },
    { zh: '折算', en: 'O2-converted', kind: 'text', value: (r) => yesNo(lang, r.converted) },
    { zh: `有效${inputs.zh}数`, en: `Valid ${inputs.en}`, kind: 'int', value: (r) => r.validInputs },
    { zh: `${inputs.zh}数`, en: `${inputs.en[0]?.toUpperCase()}${inputs.en.slice(1)} received`, kind: 'int', value: (r) => r.inputs },
    { zh: '有效', en: 'Valid', kind: 'text', value: (r) => yesNo(lang, r.valid) },
    { zh: '数据标记', en: 'Flag', kind: 'text', value: (r) => r.flag ?? '' },
    { zh: '限值', en: 'Limit', kind: 'text', value: (r) => limitText(r.limit) },
    { zh: '超标', en: 'Exceeds', kind: 'text', value: (r) => yesNo(lang, r.exceeds) },
  ];
}

const MARK_TEXT = {
  zh: { none: '无数据', valid: '有效', invalid: '无效', exceeds: '超标' },
  en: { none: 'no data', valid: 'valid', invalid: 'invalid', exceeds: 'over limit' },
} as const;

/** A cell's validity mark: 有效 / 无效 / 超标 (with the hour's data flag) or 无数据. */
export function markText(lang: Lang, c: HourlyRow | null): string {
  const m = cellMark(c);
  return c?.flag ? `${MARK_TEXT[lang][m]} (${c.flag})` : MARK_TEXT[lang][m];
}

/** The title lines of the hourly report: source, date and time zone, units and conversion basis. */
function hourlyTitle(report: HourlyReport, lang: Lang, offset: number): string[] {
  const units = [...new Set(report.items.map((r) => r.unit).filter((u) => u))].join(lang === 'zh' ? '、' : ', ');
  const o2 =
    report.o2Ref === null ? '' : lang === 'zh' ? `；折算：基准氧含量 ${report.o2Ref} %` : `; converted to reference O2 ${report.o2Ref} %`;
  return lang === 'zh'
    ? [
        `${report.enterpriseName} ${report.name} 小时均值报表`,
        `MN：${report.mn}；日期：${report.date}（${utcLabel(offset)}）`,
        `单位：${units || '—'}（见各列）${o2}；小时均值有效：有效分钟均值 ≥ ${report.minValidMinutes}`,
      ]
    : [
        `Hourly report — ${report.enterpriseName} ${report.name}`,
        `MN: ${report.mn}; date: ${report.date} (${utcLabel(offset)})`,
        `Units: ${units || '—'} (see each column)${o2}; an hour mean is valid with ≥ ${report.minValidMinutes} valid minute means`,
      ];
}

/** 时段 × 因子: a row per hour, per factor measured, converted (where the limit judges it) and the mark. */
export function hourlyTable(report: HourlyReport, lang: Lang, utcOffsetMinutes: number): Table<GridRow> {
  const grid = hourlyGrid(report);
  const hhmm = (ts: number) => localDateTime(ts, utcOffsetMinutes).slice(11, 16);
  const columns: Column<GridRow>[] = [
    { zh: '时段', en: 'Hour', kind: 'text', value: (r) => `${hhmm(r.hour)}–${hhmm(r.hour + HOUR_MS).replace(/^00:00$/, '24:00')}` },
  ];
  grid.factors.forEach((f, i) => {
    const name = factorName(lang, f.factor);
    const cell = (r: GridRow) => r.cells[i] ?? null;
    const number = { unit: () => f.unit, kind: 'number' as const, decimals: () => f.decimals };
    columns.push({ zh: `${name} 实测`, en: `${name} measured`, ...number, value: (r) => cell(r)?.measured ?? null });
    if (f.converted) {
      const converted = (r: GridRow) => (cell(r)?.converted ? (cell(r)?.value ?? null) : null);
      columns.push({ zh: `${name} 折算`, en: `${name} converted`, ...number, value: converted });
    }
    columns.push({ zh: `${name} 标记`, en: `${name} mark`, kind: 'text', value: (r) => markText(lang, cell(r)) });
  });
  return {
    sheet: lang === 'zh' ? '小时均值' : 'Hourly means',
    title: hourlyTitle(report, lang, utcOffsetMinutes),
    columns,
    rows: grid.rows,
  };
}

export type DailyRow = DailyFactor & { source: DailySource };

/** A row per source and factor. */
export const dailyRows = (sources: readonly DailySource[]): DailyRow[] =>
  sources.flatMap((source) => source.factors.map((f) => ({ ...f, source })));

/** The daily report's sheet, title and columns (its rows come a chunk of sources at a time: dailyRows). */
export function dailyLayout(lang: Lang, date: string): Omit<Table<DailyRow>, 'rows'> {
  return {
    sheet: lang === 'zh' ? '日报' : 'Daily report',
    title:
      lang === 'zh'
        ? [`排放源日报 ${date}`, '单位：见“单位”列；折算值为基准氧含量折算后的浓度；传输率以 % 计']
        : [`Daily report ${date}`, 'Units: see the Unit column; converted means are at reference O2; rates in %'],
    columns: [
      { zh: '日期', en: 'Date', kind: 'text', value: (r) => r.source.date },
      { zh: '企业', en: 'Enterprise', kind: 'text', value: (r) => r.source.enterpriseName },
      { zh: '排放源', en: 'Source', kind: 'text', value: (r) => r.source.name },
      { zh: 'MN', en: 'MN', kind: 'text', value: (r) => r.source.mn },
      ...factorColumns<DailyRow>(lang, { zh: '小时', en: 'hours' }),
      { zh: '超标小时数', en: 'Hours over limit', unit: () => 'h', kind: 'int', value: (r) => r.exceedingHours },
      { zh: '传输率', en: 'Transmission rate', unit: () => '%', kind: 'percent', value: (r) => r.source.transmission.transmissionRate },
      { zh: '有效率', en: 'Validity rate', unit: () => '%', kind: 'percent', value: (r) => r.source.transmission.validityRate },
      {
        zh: '传输有效率',
        en: 'Effective transmission rate',
        unit: () => '%',
        kind: 'percent',
        value: (r) => r.source.transmission.effectiveRate,
      },
      { zh: '当日告警数', en: 'Alerts opened', kind: 'int', value: (r) => Object.values(r.source.alerts).reduce((a, b) => a + b, 0) },
      {
        zh: '告警（按规则）',
        en: 'Alerts by rule',
        kind: 'text',
        value: (r) =>
          Object.entries(r.source.alerts)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; '),
      },
    ],
  };
}

export const dailyTable = (sources: readonly DailySource[], lang: Lang, date: string): Table<DailyRow> => ({
  ...dailyLayout(lang, date),
  rows: dailyRows(sources),
});

export function transmissionTable(rows: readonly TransmissionRow[], lang: Lang, from: string, to: string): Table<TransmissionRow> {
  return {
    sheet: lang === 'zh' ? '传输有效率' : 'Transmission',
    title:
      lang === 'zh'
        ? [`数据传输有效率报表 ${from} 至 ${to}`, '按各源登记的上报间隔计：应收、实收、有效时段数；率以 % 计，达标线 90 %']
        : [
            `Transmission report ${from} to ${to}`,
            'Counted in each source’s registered intervals: expected, received, valid; rates in %, pass mark 90 %',
          ],
    columns: [
      { zh: '日期', en: 'Date', kind: 'text', value: (r) => r.date },
      { zh: '企业', en: 'Enterprise', kind: 'text', value: (r) => r.enterpriseName },
      { zh: '排放源', en: 'Source', kind: 'text', value: (r) => r.name },
      { zh: 'MN', en: 'MN', kind: 'text', value: (r) => r.mn },
      { zh: '应收时段数', en: 'Expected intervals', kind: 'int', value: (r) => r.expected },
      { zh: '实收时段数', en: 'Received intervals', kind: 'int', value: (r) => r.received },
      { zh: '有效时段数', en: 'Valid intervals', kind: 'int', value: (r) => r.valid },
      { zh: '传输率', en: 'Transmission rate', unit: () => '%', kind: 'percent', value: (r) => r.transmissionRate },
      { zh: '有效率', en: 'Validity rate', unit: () => '%', kind: 'percent', value: (r) => r.validityRate },
      { zh: '传输有效率', en: 'Effective transmission rate', unit: () => '%', kind: 'percent', value: (r) => r.effectiveRate },
      { zh: '达标（≥90%）', en: 'Pass (≥ 90 %)', kind: 'text', value: (r) => yesNo(lang, r.pass) },
    ],
    rows,
  };
}
