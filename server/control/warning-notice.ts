/**
 * The text a warning sends through the notification targets (issued, level changed, lifted,
 * cancelled): pure, in Chinese (the duty room's and the enterprises' language), times in China time.
 * Formats as the alert notifications: plain JSON, DingTalk and WeCom markdown.
 */
import { localDateTime } from '../domain/local-time';
import type { MessageChannel } from '../domain/notify-target';
import type { Warning, WarningBasis, WarningKind, WarningLevel } from '../domain/warning';

export const WARNING_NOTICE_EVENTS = ['issued', 'changed', 'lifted', 'cancelled'] as const;
export type WarningNoticeEvent = (typeof WARNING_NOTICE_EVENTS)[number];

const KIND_ZH: Record<WarningKind, string> = { heavy_pollution: '重污染天气', ozone: '臭氧污染' };
const LEVEL_ZH: Record<WarningLevel, string> = { yellow: '黄色', orange: '橙色', red: '红色' };
const BASIS_ZH: Record<WarningBasis, string> = {
  regional_consultation: '生态环境部区域会商结果',
  provincial_prompt: '省级预警发布提示信息',
  city_notice: '市级预警发布通知',
  own_forecast: '本市预报',
};
const EVENT_ZH: Record<WarningNoticeEvent, string> = { issued: '发布', changed: '调整', lifted: '解除', cancelled: '撤销' };

/** China time, minutes: 2026-12-05 00:00. */
const CHINA_UTC_OFFSET_MIN = 480;
const chinaTime = (ms: number): string => localDateTime(ms, CHINA_UTC_OFFSET_MIN);

export function warningTitle(event: WarningNoticeEvent, w: Warning): string {
  return `【${EVENT_ZH[event]}】${KIND_ZH[w.kind]}${LEVEL_ZH[w.level]}预警`;
}

export function warningMarkdown(event: WarningNoticeEvent, w: Warning): string {
  const lines = [
    `### ${warningTitle(event, w)}`,
    `- 范围：${w.districts.join('、')}`,
    `- 依据：${BASIS_ZH[w.basis]}`,
    `- 开始：${chinaTime(w.startAt)}（北京时间）`,
    `- 预计解除：${w.plannedLiftAt === null ? '另行通知' : `${chinaTime(w.plannedLiftAt)}（北京时间）`}`,
  ];
  const last = w.history[w.history.length - 1];
  if (event === 'changed' && last?.fromLevel && last.toLevel) lines.push(`- 级别：${LEVEL_ZH[last.fromLevel]} → ${LEVEL_ZH[last.toLevel]}`);
  if ((event === 'lifted' || event === 'cancelled') && w.liftedAt !== null)
    lines.push(`- ${EVENT_ZH[event]}时间：${chinaTime(w.liftedAt)}（北京时间）`);
  return lines.join('\n');
}

/** The request body for a webhook of this format, or the email. */
export function formatWarningNotice(channel: MessageChannel, event: WarningNoticeEvent, w: Warning): unknown {
  switch (channel) {
    case 'email':
      // Subject and plain text, as the alert emails (server/alerts/notify-format.ts EmailMessage).
      return { subject: warningTitle(event, w), text: warningMarkdown(event, w).replace(/^(### |- )/gm, '') };
    case 'json':
      return { event: `warning_${event}`, warning: { ...w, note: null, history: [] }, title: warningTitle(event, w) };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: warningTitle(event, w), text: warningMarkdown(event, w) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: warningMarkdown(event, w) } };
  }
}
