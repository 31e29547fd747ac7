/**
 * The case ledger (整改台账, 拉条挂账) as an XLSX workbook (exceljs): one row per case as bureaus keep
 * it — enterprise, district, type, outlets, required actions, officer, deadline, status, overdue,
 * when opened, reported and closed. Chinese headers, China time, never the internal note.
 */
import ExcelJS from 'exceljs';
import { dueDateOf, type CaseStatus, type CaseView } from '../domain/case';
import { localDateTime } from '../domain/local-time';
import { CASE_TYPE_ZH } from './case-notice';

export const STATUS_ZH: Record<CaseStatus, string> = {
  open: '待整改',
  submitted: '待受理',
  verifying: '验证中',
  closed: '已销号',
  returned: '已退回',
};

export const LEDGER_HEADER = [
  '案件编号',
  '企业名称',
  '区县',
  '案件类型',
  '监控点',
  '关联报警数',
  '整改要求',
  '负责人',
  '整改期限',
  '状态',
  '是否逾期',
  '立案时间',
  '整改报告提交时间',
  '销号时间',
  '退回原因',
];

export interface LedgerNames {
  enterprise(id: string): string;
  source(mn: string): string;
  person(username: string): string;
}

export async function caseLedgerXlsx(items: readonly CaseView[], names: LedgerNames, utcOffsetMinutes: number): Promise<Buffer> {
  const t = (ms: number | null | undefined) => (ms == null ? '' : localDateTime(ms, utcOffsetMinutes));
  const wb = new ExcelJS.Workbook();
  wb.creator = 'O3 Sentinel';
  const ws = wb.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(LEDGER_HEADER).font = { bold: true };
  const rows = items.map((c) => [
    c.id,
    names.enterprise(c.enterpriseId),
    c.district,
    CASE_TYPE_ZH[c.type],
    c.sources.map((mn) => names.source(mn)).join('、'),
    c.alertIds.length,
    c.requirements.map((r, i) => `${i + 1}. ${r}`).join('\n'),
    names.person(c.officer),
    c.deadline.kind === 'date' ? c.deadline.date : `停产检修时（最迟 ${dueDateOf(c.deadline)}）`,
    STATUS_ZH[c.status],
    c.overdue ? '是' : '否',
    t(c.createdAt),
    t(c.report?.submittedAt),
    t(c.closedAt),
    c.status === 'returned' ? (c.returnReason ?? '') : '',
  ]);
  for (const r of rows) ws.addRow(r);
  LEDGER_HEADER.forEach((h, i) => {
    const widest = Math.max(
      h.length,
      ...rows.map((r) =>
        Math.max(
          ...String(r[i] ?? '')
            .split('\n')
            .map((l) => l.length),
        ),
      ),
    );
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, widest * 2 + 2));
  });
  ws.getColumn(7).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
