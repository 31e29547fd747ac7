/**
 * The notice an enterprise gets when a downgrade of its performance grade is confirmed (issue 18
 * item 4): in Chinese, China time, with the grades and the reason the history keeps. Pure.
 */
import type { GradeProposal } from '../domain/grade-downgrade';
import { localDateTime } from '../domain/local-time';
import { markdownMessage } from '../domain/markdown-notice';
import type { MessageChannel } from '../domain/notify-target';
import { GRADE_NAMES } from '../domain/registry';

const CHINA_UTC_OFFSET_MIN = 480;

export function downgradeMarkdown(p: GradeProposal): string {
  return [
    `### 【绩效分级调整】${p.enterpriseName}`,
    `- 企业：${p.enterpriseName}`,
    `- 绩效分级：${GRADE_NAMES[p.fromGrade].zh} → ${GRADE_NAMES[p.toGrade].zh}`,
    `- 原因：${p.decisionReason ?? ''}`,
    `- 生效：${localDateTime(p.decidedAt ?? p.proposedAt, CHINA_UTC_OFFSET_MIN)}（北京时间），此后预警响应按新的分级执行减排措施`,
  ].join('\n');
}

export function formatDowngradeNotice(channel: MessageChannel, p: GradeProposal): unknown {
  return markdownMessage(channel, {
    event: 'grade_downgraded',
    title: `【绩效分级调整】${p.enterpriseName}`,
    markdown: downgradeMarkdown(p),
    facts: { enterpriseId: p.enterpriseId, fromGrade: p.fromGrade, toGrade: p.toGrade, reason: p.decisionReason, at: p.decidedAt },
  });
}
