/**
 * The text a pre-notice (预通知) sends through the notification targets: pure, in Chinese, like the
 * warnings' notices (warning-notice.ts): plain JSON, DingTalk and WeCom markdown, email.
 */
import type { MessageChannel } from '../domain/notify-target';
import type { PreNotice } from '../domain/prenotice';

const LEVEL_ZH = { orange: '橙色', red: '红色' } as const;

export function preNoticeTitle(p: PreNotice): string {
  return `【预通知】预计将频繁出现${LEVEL_ZH[p.level]}及以上重污染天气`;
}

export function preNoticeMarkdown(p: PreNotice): string {
  const names = p.recipients.map((r) => r.name);
  return [
    `### ${preNoticeTitle(p)}`,
    `- 范围：${p.districts.join('、')}`,
    `- 时段：${p.from} 至 ${p.to}`,
    `- 对象：生产工序不可中断或短时间内难以完全停产的行业企业 ${names.length} 家`,
    `- 要求：${p.message}`,
  ].join('\n');
}

/** The request body for a webhook of this format, or the email. */
export function formatPreNoticeNotice(channel: MessageChannel, p: PreNotice): unknown {
  switch (channel) {
    case 'email':
      return { subject: preNoticeTitle(p), text: preNoticeMarkdown(p).replace(/^(### |- )/gm, '') };
    case 'json':
      return { event: 'prenotice_issued', preNotice: { ...p, outlook: null }, title: preNoticeTitle(p) };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: preNoticeTitle(p), text: preNoticeMarkdown(p) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: preNoticeMarkdown(p) } };
  }
}
