/**
 * The monthly county bulletin (GET /api/air/bulletin?format=xlsx) as a report table: one row per
 * district in rank order (PM2.5 mean of the month, lower first), then the city; units in the
 * headers; the behind-schedule mark in words.
 */
import type { BehindOn, BulletinResponse, BulletinRow } from '../domain/assessment-api';
import type { Column, Lang, Table } from './report-export';

const BEHIND_WORDS: Record<BehindOn, { zh: string; en: string }> = {
  pm25: { zh: 'PM2.5', en: 'PM2.5' },
  heavyDays: { zh: '重度及以上污染天数', en: 'heavy-pollution days' },
  goodDays: { zh: '优良天数比例', en: 'good-day ratio' },
};

function mark(r: BulletinRow, lang: Lang): string {
  if (!r.behindSchedule && r.cumulativePm25 === null) return '—';
  if (!r.behindSchedule) return lang === 'zh' ? '正常' : 'On schedule';
  const what = r.behindOn.map((k) => BEHIND_WORDS[k][lang]).join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh' ? `滞后（${what}）` : `Behind schedule (${what})`;
}

export function bulletinTable(b: BulletinResponse, lang: Lang, cityName: string): Table<BulletinRow> {
  const ug = () => 'µg/m³';
  const columns: Column<BulletinRow>[] = [
    { zh: '排名', en: 'Rank', kind: 'int', value: (r) => (r.id === 'city' ? null : r.rank) },
    {
      zh: '区县',
      en: 'District',
      kind: 'text',
      value: (r) => (r.id === 'city' ? (lang === 'zh' ? `全市（${cityName}）` : `City (${cityName})`) : r.name),
    },
    { zh: '站点数', en: 'Stations', kind: 'int', value: (r) => r.stations },
    { zh: 'PM2.5 月均浓度', en: 'PM2.5 monthly mean', unit: ug, kind: 'number', decimals: () => 0, value: (r) => r.pm25.value },
    {
      zh: 'PM2.5 有效天数',
      en: 'PM2.5 valid days',
      unit: () => (lang === 'zh' ? '天' : 'days'),
      kind: 'int',
      value: (r) => r.pm25.validDays,
    },
    { zh: 'PM2.5 同比', en: 'PM2.5 year on year', unit: () => '%', kind: 'number', decimals: () => 1, value: (r) => r.pm25Change },
    { zh: '有效天数', en: 'Valid days', unit: () => (lang === 'zh' ? '天' : 'days'), kind: 'int', value: (r) => r.validDays },
    { zh: '优良天数', en: 'Good days', unit: () => (lang === 'zh' ? '天' : 'days'), kind: 'int', value: (r) => r.goodDays },
    { zh: '优良天数比例', en: 'Good-day ratio', unit: () => '%', kind: 'number', decimals: () => 2, value: (r) => r.goodPct },
    {
      zh: '重度及以上污染天数',
      en: 'Heavy-pollution days',
      unit: () => (lang === 'zh' ? '天' : 'days'),
      kind: 'int',
      value: (r) => r.heavyDays,
    },
    { zh: '累计 PM2.5 浓度', en: 'Cumulative PM2.5', unit: ug, kind: 'number', decimals: () => 0, value: (r) => r.cumulativePm25 },
    { zh: '进度要求 PM2.5', en: 'PM2.5 required', unit: ug, kind: 'number', decimals: () => 1, value: (r) => r.requiredPm25 },
    { zh: '进度', en: 'Schedule', kind: 'text', value: (r) => mark(r, lang) },
  ];
  const basis =
    b.basis.kind === 'autumn-winter'
      ? lang === 'zh'
        ? `进度依据：秋冬季（${b.basis.from} 起）累计值对照进度要求`
        : `Schedule: the autumn–winter period from ${b.basis.from}, cumulative figures against the required path`
      : lang === 'zh'
        ? `进度依据：${b.basis.from} 起年内累计值对照年度目标`
        : `Schedule: the year to date from ${b.basis.from} against the annual targets`;
  const title =
    lang === 'zh'
      ? [
          `${cityName}各县（市、区）环境空气质量月度通报 ${b.month}`,
          `统计至 ${b.through ?? '—'}；排名依据 PM2.5 月均浓度（低者在前）`,
          basis,
        ]
      : [
          `${cityName} monthly air-quality bulletin by district, ${b.month}`,
          `Through ${b.through ?? '—'}; ranked by the PM2.5 monthly mean (lowest first)`,
          basis,
        ];
  return { sheet: lang === 'zh' ? '月度通报' : 'Bulletin', title, columns, rows: [...b.rows, b.city] };
}
