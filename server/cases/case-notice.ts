/**
 * The message an overdue rectification case sends (to its officer in charge, the officer on duty and
 * the administered targets): pure, in Chinese, without the internal note. Formats as the warnings'
 * notices: email subject and text, plain JSON, DingTalk and WeCom markdown.
 */
import { dueDateOf, type CaseType, type RectificationCase } from '../domain/case';
import type { MessageChannel } from '../domain/notify-target';

export const CASE_TYPE_ZH: Record<CaseType, string> = {
  exceedance: '超标排放',
  falsification: '疑似数据造假',
  transmission: '数据传输',
  outage: '停运断线',
  facility: '治理设施',
  other: '其他',
};

export interface CaseNoticeFacts {
  enterpriseName: string;
  officerName: string;
}

export const overdueTitle = (c: RectificationCase, f: CaseNoticeFacts): string =>
  `【整改逾期】${f.enterpriseName}${CASE_TYPE_ZH[c.type]}整改案件`;

export function overdueMarkdown(c: RectificationCase, f: CaseNoticeFacts): string {
  return [
    `### ${overdueTitle(c, f)}`,
    `- 案件编号：${c.id}`,
    `- 整改期限：${dueDateOf(c.deadline)}${c.deadline.kind === 'overhaul' ? '（停产检修时，最迟）' : ''}`,
    `- 负责人：${f.officerName}`,
    `- 整改要求：${c.requirements.join('；')}`,
  ].join('\n');
}

export function formatOverdueNotice(channel: MessageChannel, c: RectificationCase, f: CaseNoticeFacts): unknown {
  switch (channel) {
    case 'email':
      return { subject: overdueTitle(c, f), text: overdueMarkdown(c, f).replace(/^(### |- )/gm, '') };
    case 'json':
      return {
        event: 'case_overdue',
        case: {
          id: c.id,
          type: c.type,
          enterpriseId: c.enterpriseId,
          district: c.district,
          officer: c.officer,
          due: dueDateOf(c.deadline),
          status: c.status,
        },
        title: overdueTitle(c, f),
      };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: overdueTitle(c, f), text: overdueMarkdown(c, f) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: overdueMarkdown(c, f) } };
  }
}
