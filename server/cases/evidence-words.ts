/**
 * The Chinese words of the evidence package (the dashboard's zh-CN locale says the same): case
 * events, alert states and history kinds, data kinds and flags, the case's audit actions.
 */
import type { AlertState, HistoryKind } from '../domain/alert';
import type { CaseAuditAction } from '../domain/audit';
import type { CaseEvent } from '../domain/case';
import type { DataFlag, DataKind } from '../domain/reading';

export const CASE_EVENT_ZH: Record<CaseEvent, string> = {
  created: '立案',
  submitted: '提交整改报告',
  accepted: '受理（进入验证）',
  closed: '销号',
  returned: '退回',
  reassigned: '改派',
  attached: '上传材料',
  detached: '删除材料',
  overdue: '逾期',
};

export const ALERT_STATE_ZH: Record<AlertState, string> = { active: '持续中', cleared: '已恢复' };

export const ALERT_HISTORY_ZH: Record<HistoryKind, string> = {
  opened: '产生',
  reactivated: '再次触发',
  peak: '新峰值',
  cleared: '恢复正常',
  acknowledged: '确认',
  assigned: '指派',
  commented: '备注',
  resolved: '关闭',
  escalated: '升级',
  silenced: '静默',
};

export const DATA_KIND_ZH: Record<DataKind, string> = { '2011': '实时数据', '2051': '分钟数据', '2061': '小时数据', '2031': '日数据' };

export const FLAG_ZH: Record<DataFlag, string> = {
  N: '正常',
  F: '停运',
  M: '维护',
  S: '手工输入',
  D: '故障',
  C: '校准',
  T: '超测定上限',
  B: '通讯异常',
};

/** The case's audit actions (and the evidence download), as the audit viewer words them (zh-CN-admin.ts). */
export const CASE_AUDIT_ZH: Record<CaseAuditAction, string> = {
  'case.created': '新建整改案件',
  'case.submitted': '企业提交整改报告',
  'case.accepted': '受理整改报告',
  'case.closed': '整改销号',
  'case.returned': '退回整改报告',
  'case.reassigned': '改派整改案件',
  'case.attachment_added': '上传整改材料',
  'case.attachment_refused': '拒收整改材料',
  'case.attachment_deleted': '删除整改材料',
  'case.overdue': '整改逾期',
  'case.evidence_exported': '导出案件证据包',
};
