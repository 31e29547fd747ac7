/** The reports' export columns, Chinese by default and English with lang=en; units in the headers. */
import { catalog } from '../domain/catalog';
import type { DailyFactor, DailySource, HourlyRow, LimitView, TransmissionRow } from './report-builder';
import type { Column, Lang, Table } from './report-export';
import type { HourlyReport } from './report-service';
import { localDateTime } from '../domain/local-time';

const yesNo = (lang: Lang, b: boolean): string => (lang === 'zh' ? (b ? '是' : '否') : b ? 'yes' : 'no');
const factorName = (lang: Lang, code: string): string => {
  const f = catalog.get(code);
  return f ? (lang === 'zh' ? f.zh : f.en) : code;
};
const limitText = (l: LimitView | null): string =>
  !l ? '' : l.min !== undefined && l.max !== undefined ? `${l.min}–${l.max}` : l.max !== undefined ? `≤ ${l.max}` : `≥ ${l.min}`;

/** Columns shared by hourly and daily rows of one factor. */
function factorColumns<R extends DailyFactor | HourlyRow>(lang: Lang, inputs: { zh: string; en: string }): Column<R>[] {
  return [
    { zh: '监测因子代码', en: 'Factor code', kind: 'text', value: (r) => r.factor },
    { zh: '监测因子', en: 'Factor', kind: 'text', value: (r) => factorName(lang, r.factor) },
    { zh: '单位', en: 'Unit', kind: 'text', value: (r) => r.unit },
    // Mixed units in one column: the unit column names each row's; the header names none.
    { zh: '均值', en: 'Mean', kind: 'number', value: (r) => r.value },
    { zh: '折算', en: 'O2-converted', kind: 'text', value: (r) => yesNo(lang, r.converted) },
    { zh: `有效${inputs.zh}数`, en: `Valid ${inputs.en}`, kind: 'int', value: (r) => r.validInputs },
    { zh: `${inputs.zh}数`, en: `${inputs.en[0]?.toUpperCase()}${inputs.en.slice(1)} received`, kind: 'int', value: (r) => r.inputs },
    { zh: '有效', en: 'Valid', kind: 'text', value: (r) => yesNo(lang, r.valid) },
    { zh: '数据标记', en: 'Flag', kind: 'text', value: (r) => r.flag ?? '' },
    { zh: '限值', en: 'Limit', kind: 'text', value: (r) => limitText(r.limit) },
    { zh: '超标', en: 'Exceeds', kind: 'text', value: (r) => yesNo(lang, r.exceeds) },
  ];
}

export function hourlyTable(report: HourlyReport, lang: Lang, utcOffsetMinutes: number): Table<HourlyRow> {
  return {
    sheet: lang === 'zh' ? '小时均值' : 'Hourly means',
    columns: [
      { zh: 'MN', en: 'MN', kind: 'text', value: () => report.mn },
      { zh: '排放源', en: 'Source', kind: 'text', value: () => report.name },
      { zh: '时段开始', en: 'Hour start', unit: () => `UTC${utcOffsetMinutes >= 0 ? '+' : '−'}${Math.abs(utcOffsetMinutes / 60)}`, kind: 'text', value: (r) => localDateTime(r.hour, utcOffsetMinutes) },
      ...factorColumns<HourlyRow>(lang, { zh: '分钟', en: 'minutes' }),
    ],
    rows: report.items,
  };
}

type DailyRow = DailyFactor & { source: DailySource };

export function dailyTable(sources: readonly DailySource[], lang: Lang): Table<DailyRow> {
  const rows = sources.flatMap((source) => source.factors.map((f) => ({ ...f, source })));
  return {
    sheet: lang === 'zh' ? '日报' : 'Daily report',
    columns: [
      { zh: '日期', en: 'Date', kind: 'text', value: (r) => r.source.date },
      { zh: '企业', en: 'Enterprise', kind: 'text', value: (r) => r.source.enterpriseName },
      { zh: '排放源', en: 'Source', kind: 'text', value: (r) => r.source.name },
      { zh: 'MN', en: 'MN', kind: 'text', value: (r) => r.source.mn },
      ...factorColumns<DailyRow>(lang, { zh: '小时', en: 'hours' }),
      { zh: '超标小时数', en: 'Hours over limit', unit: () => 'h', kind: 'int', value: (r) => r.exceedingHours },
      { zh: '传输率', en: 'Transmission rate', unit: () => '%', kind: 'percent', value: (r) => r.source.transmission.transmissionRate },
      { zh: '有效率', en: 'Validity rate', unit: () => '%', kind: 'percent', value: (r) => r.source.transmission.validityRate },
      { zh: '传输有效率', en: 'Effective transmission rate', unit: () => '%', kind: 'percent', value: (r) => r.source.transmission.effectiveRate },
      { zh: '当日告警数', en: 'Alerts opened', kind: 'int', value: (r) => Object.values(r.source.alerts).reduce((a, b) => a + b, 0) },
      { zh: '告警（按规则）', en: 'Alerts by rule', kind: 'text', value: (r) => Object.entries(r.source.alerts).map(([k, v]) => `${k}: ${v}`).join('; ') },
    ],
    rows,
  };
}

export function transmissionTable(rows: readonly TransmissionRow[], lang: Lang): Table<TransmissionRow> {
  return {
    sheet: lang === 'zh' ? '传输有效率' : 'Transmission',
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
