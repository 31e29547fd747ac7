/**
 * The effect report of a heavy-pollution response as an XLSX workbook (exceljs, as the warning's
 * effect report): the summary, the compliance of each enterprise, the reductions achieved against
 * those expected per enterprise and pollutant (with the city's sums for the bureau), and the ambient
 * effect once the warning is lifted (the warning effect report's sheets). Chinese, China time, kg.
 * An enterprise user's report holds its own rows only (the caller passes its view).
 */
import ExcelJS from 'exceljs';
import { localDateTime } from '../domain/local-time';
import { REDUCTION_POLLUTANT_NAMES, RESPONSE_LEVEL_NAMES } from '../domain/reduction-list';
import type { PollutantReduction, ResponseEffect } from '../domain/response-effect';
import { ambientSheets, COMPLIANCE_HEADER, complianceCells, sheet } from './warning-effect-export';

const STATUS_ZH = { active: '进行中（统计至最近一个已结束小时）', ended: '已结束' } as const;

export const REDUCTION_HEADER = [
  '企业',
  '污染物',
  '预期削减量（kg）',
  '实际削减量（kg）',
  '完成率（%）',
  '有监测数据的排口小时数',
  '应核查的排口小时数',
];

const reductionCells = (who: string, x: PollutantReduction): (string | number)[] => [
  who,
  `${REDUCTION_POLLUTANT_NAMES[x.pollutant].zh}（${REDUCTION_POLLUTANT_NAMES[x.pollutant].en}）`,
  x.expectedKg,
  x.achievedKg ?? '无监测数据',
  x.achievedPct ?? '—',
  x.measuredHours,
  x.outletHours,
];

function summary(e: ResponseEffect, t: (ms: number) => string): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    ['应急响应', `重污染天气${RESPONSE_LEVEL_NAMES[e.level].zh}应急响应`],
    ['范围', e.districts.join('、')],
    ['统计时段（北京时间）', `${t(e.period.from)} 至 ${t(e.period.to)}`],
    ['状态', STATUS_ZH[e.status]],
  ];
  const c = e.totals;
  rows.push(
    ...(e.city ? [['响应企业（无现行清单）', `${c.enterprises}（${c.withoutList}）`]] : []),
    ['已知悉措施 / 响应企业', `${c.acknowledged} / ${c.enterprises}`],
    ['须落实措施：核查达标 / 未达标 / 无数据', `${c.required}：${c.compliant} / ${c.failed} / ${c.unverified}`],
  );
  if (e.ambient.available)
    rows.push(
      ['预报 AQI 均值', e.ambient.means.forecast],
      ['实测 AQI 均值', e.ambient.means.observed],
      ['重污染小时数合计（小时 AQI > 200）', e.ambient.heavyHoursTotal],
    );
  else if (e.ambient.reason === 'not-lifted') rows.push(['环境空气效果', '预警解除后统计']);
  return rows;
}

export async function responseEffectXlsx(e: ResponseEffect, utcOffsetMinutes: number): Promise<Buffer> {
  const t = (ms: number) => localDateTime(ms, utcOffsetMinutes);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  sheet(wb, '概况', ['项目', '内容'], summary(e, t));
  sheet(wb, '措施落实', COMPLIANCE_HEADER, e.rows.map(complianceCells));
  sheet(wb, '减排量', REDUCTION_HEADER, [
    ...e.rows.flatMap((r) => r.reductions.map((x) => reductionCells(r.name, x))),
    ...(e.city ? e.city.reductions.map((x) => reductionCells('全市合计', x)) : []),
  ]);
  if (e.ambient.available) ambientSheets(wb, e.ambient);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
