/**
 * What a notification says (pure): the request bodies of the webhook formats (plain JSON, a DingTalk
 * custom robot and a WeCom (企业微信) group robot, both as markdown), the subject and plain-text
 * body of an email, and the variables of an SMS template (issue 21). Text in Chinese, the duty
 * room's language.
 */
import { limitOf, type Alert } from '../domain/alert';
import { catalog } from '../domain/catalog';
import { SMS_PARAM_MAX, type SmsTemplateParams } from '../domain/notify-channels';
import type { RuleId } from '../domain/rule-ids';

export { NOTIFY_FORMATS, type NotifyFormat } from '../domain/notify-target';
import type { NotifyFormat } from '../domain/notify-target';
export const NOTIFY_EVENTS = ['opened', 'escalated'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What the registry knows about the alert's source, for readable text. */
export interface SourceLabel {
  sourceName?: string;
  enterpriseName?: string;
}

export const SEVERITY_ZH: Record<Alert['severity'], string> = { info: '提示', warning: '警告', major: '重要', critical: '严重' };
const EVENT_ZH: Record<NotifyEvent, string> = { opened: '新告警', escalated: '告警升级（超时未确认）' };

/**
 * Rule names as the duty room says them (the dashboard's zh-CN locale says the same): every rule id
 * must have one (a new rule does not compile without it); `limit` is the id of older alerts.
 */
const RULE_ZH: Record<RuleId | 'limit', string> = {
  limit: '超标',
  'limit-instant': '瞬时值超标预警',
  'limit-hour': '小时均值超标',
  'limit-day': '日均值超标',
  'instrument-fault': '仪器故障',
  'maintenance-flag': '维护 / 校准标记',
  offline: '数据传输中断',
  'flat-line': '数据恒值（疑似造假）',
  'removal-efficiency': '去除效率不达标',
  'al-ratio': '气液比超出范围',
  'tank-pressure': '油罐压力超限',
  bypass: '旁路排放',
  'flare-temperature': '火炬温度过低',
  'over-range': '超出量程',
  'zs-mismatch': '折算值与实测值、氧含量不符（疑似造假）',
  'o2-ambient': '运行中氧含量接近空气（疑似稀释或探头脱离）',
  'near-limit': '数据长期贴近限值（疑似造假）',
  'copied-data': '数据段重复（疑似复制历史数据）',
  'step-drop': '告警后数据骤降（疑似干预监测）',
  'no-raw-hj212': '未直传 HJ 212 原始数据包（涉嫌经软件转发）',
  relay: '数据经中转转发（涉嫌违规转发）',
  'aqi-off-scale': '空气质量指数爆表（IAQI > 500）',
  hotspot: '空气站高值热点（持续高于全市均值）',
  'ozone-8h': '臭氧8小时滑动均值超标',
  'treatment-off': '治理设施未运行（生产设施运行中）',
  'start-order': '未按先启后停运行治理设施',
  'reductant-stopped': '脱硝还原剂停喷（氮氧化物超标）',
  'combustion-temp-low': '燃烧温度低于最低运行温度',
  'flare-upset': '火炬燃烧异常（无助燃气或温度过低）',
  'fgr-closed': '烟气再循环阀门关闭（锅炉运行中）',
  'bypass-open': '旁路阀开启或铅封破损',
  'declared-stop-running': '停产申报期间生产设施运行',
  'adsorbent-overdue': '吸附剂超期未更换',
  'unplanned-start-stop': '臭氧季节计划外启停',
  'dust-mean': '扬尘颗粒物均值超标',
  'measure-noncompliance': '应急减排措施未落实',
};
export const ruleZh = (rule: string): string => (RULE_ZH as Record<string, string | undefined>)[rule] ?? rule;

/** The value line: against the limit, or, for a flag alert (no limit), the value and the data flag alone. */
function valueLine(alert: Alert): string {
  const limit = limitOf(alert);
  const flag = alert.evidence?.['flag'];
  const against = limit === null ? (typeof flag === 'string' ? `数据标记 ${flag}，` : '') : `限值 ${limit} ${alert.unit}，`;
  return `- 数值：${alert.value} ${alert.unit}（${against}峰值 ${alert.peak}，${alert.count} 次）`;
}

/** China time, as officers read it: 2026-07-01 10:00:00. */
const chinaTime = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export function titleOf(event: NotifyEvent, alert: Alert, label: SourceLabel): string {
  const factor = catalog.get(alert.factor)?.zh ?? alert.factor;
  return `[${SEVERITY_ZH[alert.severity]}] ${EVENT_ZH[event]}：${label.sourceName ?? alert.mn} ${factor}`;
}

export function markdownOf(event: NotifyEvent, alert: Alert, label: SourceLabel): string {
  const factor = catalog.get(alert.factor);
  const factorText = alert.factor === '*' ? '全部因子' : factor ? `${factor.zh}（${alert.factor}）` : alert.factor;
  return [
    `### ${titleOf(event, alert, label)}`,
    `- 企业：${label.enterpriseName ?? alert.enterpriseId}`,
    `- 排放口：${label.sourceName ?? ''}（MN ${alert.mn}）`,
    `- 因子：${factorText}，规则 ${ruleZh(alert.rule)}`,
    valueLine(alert),
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

/** A test message (POST /api/notify-targets/:id/test): says which target it is for and when it was sent. */
export function testNotification(format: NotifyFormat, targetName: string, at: number): unknown {
  const title = `[测试] O3 Sentinel 通知渠道测试：${targetName}`;
  const text = [`### ${title}`, `- 渠道：${targetName}`, `- 发送时间：${chinaTime(at)}（北京时间）`, '- 这是一条测试消息，无需处理。'].join(
    '\n',
  );
  switch (format) {
    case 'json':
      return { event: 'test', target: targetName, at, message: '这是一条测试消息，无需处理。' };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title, text } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: text } };
  }
}

/** An email: subject and plain-text body. */
export interface EmailMessage {
  subject: string;
  text: string;
}

const FOOTER = '请登录 O3 Sentinel 值班台确认和处理。本邮件由系统自动发送，请勿回复。';

/** The alert as an email: every fact on its own line (severity, enterprise, source, factor and unit, value vs limit, rule, time). */
export function emailOf(event: NotifyEvent, alert: Alert, label: SourceLabel): EmailMessage {
  const factor = catalog.get(alert.factor);
  const factorText = alert.factor === '*' ? '全部因子' : factor ? `${factor.zh}（${alert.factor}）` : alert.factor;
  const limit = limitOf(alert);
  const flag = alert.evidence?.['flag'];
  const against = limit === null ? (typeof flag === 'string' ? `，数据标记 ${flag}` : '') : `，限值 ${limit} ${alert.unit}`;
  const text = [
    `${SEVERITY_ZH[alert.severity]}告警 · ${EVENT_ZH[event]}`,
    '',
    `级别：${SEVERITY_ZH[alert.severity]}`,
    `企业：${label.enterpriseName ?? alert.enterpriseId}`,
    `排放口：${label.sourceName ?? ''}（MN ${alert.mn}）`,
    `因子：${factorText}，单位 ${alert.unit}`,
    `数值：${alert.value} ${alert.unit}${against}（峰值 ${alert.peak} ${alert.unit}，${alert.count} 次）`,
    `规则：${ruleZh(alert.rule)}`,
    `开始：${chinaTime(alert.openedAt)}（北京时间）`,
    `告警编号：${alert.id}`,
    '',
    FOOTER,
  ].join('\n');
  return { subject: titleOf(event, alert, label), text };
}

/** A test email (POST /api/notify-targets/:id/test). */
export function testEmail(targetName: string, at: number): EmailMessage {
  return {
    subject: `[测试] O3 Sentinel 通知渠道测试：${targetName}`,
    text: [`渠道：${targetName}`, `发送时间：${chinaTime(at)}（北京时间）`, '', '这是一条测试消息，无需处理。'].join('\n'),
  };
}

/** A variable's value as the provider takes it: at most SMS_PARAM_MAX characters (cut with …). */
const cut = (v: string): string => {
  const chars = [...v];
  return chars.length <= SMS_PARAM_MAX ? v : `${chars.slice(0, SMS_PARAM_MAX - 1).join('')}…`;
};
const cutAll = (p: SmsTemplateParams): SmsTemplateParams =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, cut(v)])) as SmsTemplateParams;

/** The variables of the alert SMS template (SMS_TEMPLATE_PARAMS); the time to the minute, China time. */
export function smsParamsOf(event: NotifyEvent, alert: Alert, label: SourceLabel): SmsTemplateParams {
  const limit = limitOf(alert);
  return cutAll({
    level: SEVERITY_ZH[alert.severity],
    event: EVENT_ZH[event],
    enterprise: label.enterpriseName ?? alert.enterpriseId,
    source: label.sourceName ?? alert.mn,
    factor: alert.factor === '*' ? '全部因子' : (catalog.get(alert.factor)?.zh ?? alert.factor),
    value: `${alert.value} ${alert.unit}`,
    limit: limit === null ? '无' : `${limit} ${alert.unit}`,
    rule: ruleZh(alert.rule),
    time: chinaTime(alert.openedAt).slice(5, 16),
  });
}

/** The test SMS: the same template, its variables saying it is a test. */
export function testSmsParams(targetName: string, at: number): SmsTemplateParams {
  return cutAll({
    level: '测试',
    event: '通知渠道测试',
    enterprise: 'O3 Sentinel',
    source: targetName,
    factor: '无',
    value: '无',
    limit: '无',
    rule: '测试消息，无需处理',
    time: chinaTime(at).slice(5, 16),
  });
}
