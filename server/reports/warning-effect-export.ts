/**
 * The effect report of a lifted warning as an XLSX workbook (exceljs, as report-export.ts): one
 * sheet each for the summary, forecast against observed AQI per day, heavy-pollution hours per
 * district, the enterprises notified and acknowledged, the compliance of the response (issue 18) and
 * the timeline. Chinese, China time.
 */
import ExcelJS from 'exceljs';
import { localDateTime } from '../domain/local-time';
import type { WarningEventKind, WarningKind, WarningLevel } from '../domain/warning';
import { GRADE_NAMES } from '../domain/registry';
import type { EffectComplianceRow, WarningEffect } from '../domain/warning-effect';

const KIND_ZH: Record<WarningKind, string> = { heavy_pollution: '重污染天气', ozone: '臭氧污染' };
const LEVEL_ZH: Record<WarningLevel, string> = { yellow: '黄色', orange: '橙色', red: '红色' };
const EVENT_ZH: Record<WarningEventKind, string> = {
  issued: '发布',
  started: '开始执行',
  upgraded: '升级',
  downgraded: '降级',
  noted: '备注',
  lifted: '解除',
  cancelled: '撤销',
};
/** A warning without a response (an ozone warning: its measures are the special-control campaigns'). */
export const NO_RESPONSE_ZH = '无应急减排响应（臭氧污染预警的措施见特别管控）';

/** One sheet: a bold frozen header, the rows, columns as wide as their widest cell (CJK counted double). */
export function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: (string | number | null)[][]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  header.forEach((h, i) => {
    const widest = Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length));
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, widest * 2 + 2));
  });
}

export async function warningEffectXlsx(e: WarningEffect, utcOffsetMinutes: number): Promise<Buffer> {
  const t = (ms: number) => localDateTime(ms, utcOffsetMinutes);
  const w = e.warning;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  sheet(
    wb,
    '概况',
    ['项目', '内容'],
    [
      ['预警', `${KIND_ZH[w.kind]}${LEVEL_ZH[w.level]}预警`],
      ['范围', w.districts.join('、')],
      ['执行时段（北京时间）', `${t(e.period.from)} 至 ${t(e.period.to)}`],
      ['预报 AQI 均值', e.means.forecast],
      ['实测 AQI 均值', e.means.observed],
      ['重污染小时数合计（小时 AQI > 200）', e.heavyHoursTotal],
      ...e.notices.map((n): (string | number)[] => [
        n.kind === 'warning' ? '预警通知：已知悉 / 通知企业' : `预通知（${t(n.issuedAt)}）：已知悉 / 通知企业`,
        `${n.acknowledged} / ${n.notified}`,
      ]),
      ...complianceSummary(e),
    ],
  );
  ambientSheets(wb, e);
  sheet(
    wb,
    '企业知悉',
    ['通知', '企业', '区县', '行业', '知悉时间（北京时间）'],
    e.notices.flatMap((n) =>
      n.recipients.map((r) => [
        n.kind === 'warning' ? '预警通知' : '预通知',
        r.name,
        r.district,
        r.industryName ?? '',
        r.acknowledgedAt === null ? '未知悉' : t(r.acknowledgedAt),
      ]),
    ),
  );
  if (e.compliance.available) sheet(wb, '措施落实', COMPLIANCE_HEADER, e.compliance.rows.map(complianceCells));
  sheet(
    wb,
    '时间线',
    ['时间（北京时间）', '事件', '级别', '说明'],
    e.timeline.map((h) => [
      t(h.at),
      EVENT_ZH[h.event],
      h.fromLevel && h.toLevel ? `${LEVEL_ZH[h.fromLevel]} → ${LEVEL_ZH[h.toLevel]}` : h.toLevel ? LEVEL_ZH[h.toLevel] : '',
      h.note ?? '',
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Forecast against observed AQI per day, and heavy-pollution hours per district (the response's effect report shows them too). */
export function ambientSheets(wb: ExcelJS.Workbook, e: Pick<WarningEffect, 'days' | 'heavyHours'>): void {
  sheet(
    wb,
    '逐日AQI',
    ['日期', '预报 AQI', '实测 AQI', '实测 − 预报'],
    e.days.map((d) => [d.date, d.forecast, d.observed, d.difference]),
  );
  sheet(
    wb,
    '重污染小时',
    ['区县', '重污染小时数', '有效小时数', '小时 AQI 最高值'],
    e.heavyHours.map((h) => [h.district, h.heavyHours, h.hoursWithData, h.peak]),
  );
}

/** The compliance of a response's enterprises: one row each. */
export const COMPLIANCE_HEADER = ['企业', '绩效等级', '减排清单', '已知悉', '须落实措施', '核查达标', '核查未达标', '无数据未核查'];
export const complianceCells = (r: EffectComplianceRow): (string | number)[] => [
  r.name,
  GRADE_NAMES[r.grade].zh,
  r.listed ? '有' : '无现行清单',
  r.acknowledged ? '是' : '否',
  r.required,
  r.compliant,
  r.failed,
  r.unverified,
];

function complianceSummary(e: WarningEffect): (string | number)[][] {
  const c = e.compliance;
  if (!c.available) return [['减排措施落实', NO_RESPONSE_ZH]];
  const t = c.totals;
  return [
    ['响应企业（无现行清单）', `${t.enterprises}（${t.withoutList}）`],
    ['已知悉措施 / 响应企业', `${t.acknowledged} / ${t.enterprises}`],
    ['须落实措施：核查达标 / 未达标 / 无数据', `${t.required}：${t.compliant} / ${t.failed} / ${t.unverified}`],
  ];
}
