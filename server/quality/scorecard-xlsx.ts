/**
 * The scorecards' ranking as an XLSX workbook (exceljs), as a bureau keeps a credit-rating sheet:
 * one row per enterprise in rank order, Chinese headers, rates as percentages, and the emergency
 * measures found not carried out (measure-noncompliance alerts).
 */
import ExcelJS from 'exceljs';
import type { Scorecard } from '../domain/scorecard';

export const SCORECARD_HEADER = [
  '排名',
  '企业名称',
  '区县',
  '报警总数',
  '超标报警',
  '超标时长（小时）',
  '超标预警',
  '疑似数据造假报警',
  '数据传输中断报警',
  '治理设施报警',
  '仪器与标记报警',
  '有效传输率（%）',
  '传输是否达标',
  '期内立案',
  '期内销号',
  '未结案件',
  '逾期案件',
  '应急措施未落实（次）',
];

const pct = (v: number | null) => (v === null ? '无应传数据' : Math.round(v * 1000) / 10);

export async function scorecardsXlsx(cards: readonly Scorecard[], periodLabel: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  const ws = wb.addWorksheet('信用评分卡', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([`企业环境信用评分卡 · ${periodLabel}（排名 1 为记录最好）`]).font = { bold: true };
  ws.addRow(SCORECARD_HEADER).font = { bold: true };
  for (const c of cards) {
    ws.addRow([
      c.rank,
      c.enterpriseName,
      c.district,
      c.alerts.total,
      c.exceedance.alerts,
      c.exceedance.hours,
      c.alerts.byCategory.earlyWarning,
      c.falsification.alerts,
      c.alerts.byCategory.offline,
      c.alerts.byCategory.facility,
      c.alerts.byCategory.instrument,
      pct(c.transmission.effectiveRate),
      c.transmission.pass === null ? '—' : c.transmission.pass ? '达标' : '不达标',
      c.cases.opened,
      c.cases.closed,
      c.cases.open,
      c.cases.overdue,
      c.measures.noncompliance,
    ]);
  }
  SCORECARD_HEADER.forEach((h, i) => (ws.getColumn(i + 1).width = Math.max(8, h.length * 2 + 2)));
  ws.getColumn(2).width = 30;
  ws.getColumn(18).width = 34;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `2026` → 2026年, `2026-Q4` → 2026年第四季度, `2026-11` → 2026年11月. */
export function periodZh(text: string): string {
  const [year, part] = text.split('-');
  if (part === undefined) return `${year}年`;
  if (part.startsWith('Q')) return `${year}年第${['一', '二', '三', '四'][Number(part.slice(1)) - 1] ?? part}季度`;
  return `${year}年${Number(part)}月`;
}
