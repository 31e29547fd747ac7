/**
 * The notices a response sends to an enterprise (issue 18): its measures at the warning's level
 * (on start and on a re-plan), a measure found not carried out, and a line found running inside
 * its peak-shift stop period (错峰生产, no warning needed). Pure, in Chinese, China time;
 * the formats of the warning notices (plain JSON, DingTalk and WeCom markdown, email).
 */
import { localDateTime } from '../domain/local-time';
import type { MessageChannel } from '../domain/notify-target';
import { MEASURE_ACTION_NAMES, RESPONSE_LEVEL_NAMES, type ResolvedMeasure, type ResponseLevel } from '../domain/reduction-list';

const CHINA_UTC_OFFSET_MIN = 480;
const chinaTime = (ms: number): string => localDateTime(ms, CHINA_UTC_OFFSET_MIN);

const OBLIGATION_ZH: Record<ResolvedMeasure['obligation'], string> = { required: '须执行', voluntary: '自愿执行', none: '无需措施' };

/** One line per measure: 「1#烧结生产线：停产（须执行）」, with its limit and window. */
export function measureLine(m: ResolvedMeasure): string {
  const a = m.measure;
  const what = a.action === 'limit' && a.limitToPct !== undefined ? `限产至 ${a.limitToPct}%` : MEASURE_ACTION_NAMES[a.action].zh;
  const window = a.window ? `，${a.window.from}–${a.window.to}` : '';
  const desc = a.description ? `（${a.description}）` : '';
  return `${m.name}：${what}${window}${desc}，${OBLIGATION_ZH[m.obligation]}`;
}

export interface MeasuresNotice {
  kind: 'measures';
  responseId: number;
  level: ResponseLevel;
  name: string;
  measures: ResolvedMeasure[];
  startAt: number;
}

export interface NonComplianceNotice {
  kind: 'noncompliance';
  responseId: number;
  level: ResponseLevel;
  name: string;
  measure: string;
  /** Hour starts of the failed hours in a row. */
  hours: number[];
}

export interface PeakShiftNotice {
  kind: 'peakShift';
  name: string;
  /** The list entry (the line) and its stop period (local dates, both whole days). */
  entry: string;
  from: string;
  to: string;
  /** Hour starts of the failed hours in a row. */
  hours: number[];
}

export type ResponseNotice = MeasuresNotice | NonComplianceNotice | PeakShiftNotice;

/** The outbox's event name of a notice. */
export const NOTICE_EVENTS: Record<ResponseNotice['kind'], string> = {
  measures: 'response_measures',
  noncompliance: 'response_noncompliance',
  peakShift: 'peak_shift_noncompliance',
};

export function responseTitle(n: ResponseNotice): string {
  if (n.kind === 'peakShift') return `【错峰生产未落实】${n.entry}`;
  return n.kind === 'measures'
    ? `【应急减排措施】${RESPONSE_LEVEL_NAMES[n.level].zh}预警响应`
    : `【减排措施未落实】${RESPONSE_LEVEL_NAMES[n.level].zh}预警响应`;
}

const failedSpan = (hours: readonly number[]): string => {
  const first = hours[0] ?? 0;
  const last = hours[hours.length - 1] ?? first;
  return `${chinaTime(first)} 至 ${chinaTime(last + 3_600_000)}（北京时间，连续 ${hours.length} 小时）`;
};

export function responseMarkdown(n: ResponseNotice): string {
  if (n.kind === 'measures')
    return [
      `### ${responseTitle(n)}`,
      `- 企业：${n.name}`,
      `- 开始：${chinaTime(n.startAt)}（北京时间）`,
      ...n.measures.map((m) => `- ${measureLine(m)}`),
      `- 请登录平台确认已知悉`,
    ].join('\n');
  if (n.kind === 'peakShift')
    return [
      `### ${responseTitle(n)}`,
      `- 企业：${n.name}`,
      `- 错峰停产时段：${n.from} 至 ${n.to}`,
      `- 仍在生产：${failedSpan(n.hours)}`,
      `- 请立即按错峰生产安排停产`,
    ].join('\n');
  return [
    `### ${responseTitle(n)}`,
    `- 企业：${n.name}`,
    `- 措施：${n.measure}`,
    `- 时段：${failedSpan(n.hours)}`,
    `- 请立即落实减排措施`,
  ].join('\n');
}

/** The request body for a webhook of this format, or the email. */
export function formatResponseNotice(channel: MessageChannel, n: ResponseNotice): unknown {
  switch (channel) {
    case 'email':
      return { subject: responseTitle(n), text: responseMarkdown(n).replace(/^(### |- )/gm, '') };
    case 'json':
      return { event: NOTICE_EVENTS[n.kind], notice: n, title: responseTitle(n) };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: responseTitle(n), text: responseMarkdown(n) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: responseMarkdown(n) } };
  }
}
