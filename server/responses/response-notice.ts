/**
 * The notices a response sends to an enterprise (issue 18): its measures at the warning's level
 * (on start and on a re-plan), and a measure found not carried out. Pure, in Chinese, China time;
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

export type ResponseNotice = MeasuresNotice | NonComplianceNotice;

export function responseTitle(n: ResponseNotice): string {
  return n.kind === 'measures'
    ? `【应急减排措施】${RESPONSE_LEVEL_NAMES[n.level].zh}预警响应`
    : `【减排措施未落实】${RESPONSE_LEVEL_NAMES[n.level].zh}预警响应`;
}

export function responseMarkdown(n: ResponseNotice): string {
  if (n.kind === 'measures')
    return [
      `### ${responseTitle(n)}`,
      `- 企业：${n.name}`,
      `- 开始：${chinaTime(n.startAt)}（北京时间）`,
      ...n.measures.map((m) => `- ${measureLine(m)}`),
      `- 请登录平台确认已知悉`,
    ].join('\n');
  const first = n.hours[0] ?? 0;
  const last = n.hours[n.hours.length - 1] ?? first;
  return [
    `### ${responseTitle(n)}`,
    `- 企业：${n.name}`,
    `- 措施：${n.measure}`,
    `- 时段：${chinaTime(first)} 至 ${chinaTime(last + 3_600_000)}（北京时间，连续 ${n.hours.length} 小时）`,
    `- 请立即落实减排措施`,
  ].join('\n');
}

/** The request body for a webhook of this format, or the email. */
export function formatResponseNotice(channel: MessageChannel, n: ResponseNotice): unknown {
  switch (channel) {
    case 'email':
      return { subject: responseTitle(n), text: responseMarkdown(n).replace(/^(### |- )/gm, '') };
    case 'json':
      return { event: n.kind === 'measures' ? 'response_measures' : 'response_noncompliance', notice: n, title: responseTitle(n) };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: responseTitle(n), text: responseMarkdown(n) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: responseMarkdown(n) } };
  }
}
