/**
 * Request bodies of the webhook formats (pure): plain JSON, a DingTalk custom robot and a WeCom
 * (企业微信) group robot, both as markdown. Text in Chinese, the duty room's language.
 */
import type { Alert } from '../domain/alert';
import { catalog } from '../domain/catalog';

export const NOTIFY_FORMATS = ['json', 'dingtalk', 'wecom'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
export const NOTIFY_EVENTS = ['opened', 'escalated'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What the registry knows about the alert's source, for readable text. */
export interface SourceLabel {
  sourceName?: string;
  enterpriseName?: string;
}

const SEVERITY_ZH: Record<Alert['severity'], string> = { info: '提示', warning: '警告', major: '重要', critical: '严重' };
const EVENT_ZH: Record<NotifyEvent, string> = { opened: '新告警', escalated: '告警升级（超时未确认）' };

/** China time, as officers read it: 2026-07-01 10:00:00. */
const chinaTime = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export function titleOf(event: NotifyEvent, alert: Alert, label: SourceLabel): string {
  const factor = catalog.get(alert.factor)?.zh ?? alert.factor;
  return `[${SEVERITY_ZH[alert.severity]}] ${EVENT_ZH[event]}：${label.sourceName ?? alert.mn} ${factor}`;
}

export function markdownOf(event: NotifyEvent, alert: Alert, label: SourceLabel): string {
  const factor = catalog.get(alert.factor);
  return [
    `### ${titleOf(event, alert, label)}`,
    `- 企业：${label.enterpriseName ?? alert.enterpriseId}`,
    `- 排放口：${label.sourceName ?? ''}（MN ${alert.mn}）`,
    `- 因子：${factor ? `${factor.zh}（${alert.factor}）` : alert.factor}，规则 ${alert.rule}`,
    `- 数值：${alert.value} ${alert.unit}（限值 ${alert.limit} ${alert.unit}，峰值 ${alert.peak}，${alert.count} 次）`,
    `- 开始：${chinaTime(alert.openedAt)}（北京时间）`,
    `- 告警编号：${alert.id}`,
  ].join('\n');
}

export function formatNotification(format: NotifyFormat, event: NotifyEvent, alert: Alert, label: SourceLabel): unknown {
  switch (format) {
    case 'json':
      return { event, alert, ...label };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: titleOf(event, alert, label), text: markdownOf(event, alert, label) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: markdownOf(event, alert, label) } };
  }
}
