/**
 * Proposing a performance-grade downgrade for not carrying out emergency measures (issue 18 item 4;
 * PLANS E6: 「重污染应急减排措施落实不到位的…按规定下调绩效分级」, 003). Pure: the trigger, the grade
 * one level lower, and the reason the grade history keeps. The product only proposes; an officer
 * confirms or dismisses (server/grades).
 *
 * The trigger counts **failed responses**, not alerts: a response in which the enterprise had at
 * least one `measure-noncompliance` alert. One episode of a line kept running raises one alert per
 * entry and failing check (and again after a compliant hour), so counting alerts would call a
 * single failure "repeated"; counting responses means the enterprise failed again after the first
 * failure's alert and notice told it so. Default: 2 failed responses within 365 days (a heavy-
 * pollution season and the grading's annual cycle). Alerts already weighed by a decision (a proposal
 * confirmed or dismissed) never count again: a dismissal is not re-proposed from the same evidence.
 */
import type { Grade } from './registry';

export interface DowngradePolicy {
  /** Failed responses (distinct) within the window that propose a downgrade. */
  failedResponses: number;
  /** The window, days back from now. */
  windowDays: number;
}

export const DEFAULT_DOWNGRADE_POLICY: DowngradePolicy = { failedResponses: 2, windowDays: 365 };

/**
 * One level lower: 引领性 → A → B → C. C, 非分级 (its lines stop anyway) and 未分级 (the full list
 * already applies) have no lower grade: no proposal.
 */
export function gradeBelow(grade: Grade | undefined | null): Grade | null {
  switch (grade) {
    case 'leading':
      return 'A';
    case 'A':
      return 'B';
    case 'B':
      return 'C';
    default:
      return null;
  }
}

/** A measure-noncompliance alert as the trigger weighs it. */
export interface NoncomplianceFact {
  alertId: number;
  /** The response it was raised in (the evidence's `responseId`); null for an alert without one: it counts alone. */
  responseId: number | null;
  openedAt: number;
}

export interface DowngradeDue {
  fromGrade: Grade;
  toGrade: Grade;
  /** The failed responses counted, oldest first (by their first alert). */
  responseIds: number[];
  /** The alerts counted, oldest first: the proposal's evidence. */
  alertIds: number[];
}

const DAY_MS = 86_400_000;

/**
 * Is a downgrade due? The alerts opened within `windowDays` before `now` and after `decidedAt` (the
 * enterprise's last decided proposal), grouped by response; due when at least `failedResponses`
 * responses failed and the grade has one below.
 */
export function downgradeDue(input: {
  grade: Grade | undefined | null;
  alerts: readonly NoncomplianceFact[];
  now: number;
  decidedAt: number | null;
  policy: DowngradePolicy;
}): DowngradeDue | null {
  const toGrade = gradeBelow(input.grade);
  if (toGrade === null || input.grade === null || input.grade === undefined) return null;
  const since = Math.max(input.now - input.policy.windowDays * DAY_MS, input.decidedAt ?? -Infinity);
  const counted = input.alerts
    .filter((a) => a.openedAt > since && a.openedAt <= input.now)
    .sort((a, b) => a.openedAt - b.openedAt || a.alertId - b.alertId);
  const groups = new Map<string, number | null>();
  for (const a of counted) {
    const key = a.responseId === null ? `alert:${a.alertId}` : `response:${a.responseId}`;
    if (!groups.has(key)) groups.set(key, a.responseId);
  }
  if (groups.size < input.policy.failedResponses) return null;
  return {
    fromGrade: input.grade,
    toGrade,
    responseIds: [...groups.values()].filter((id): id is number => id !== null),
    alertIds: counted.map((a) => a.alertId),
  };
}

/** The reason the grade history keeps for a confirmed downgrade (Chinese, as the bureau files it). */
export function downgradeReason(p: { failedResponses: number; alertIds: readonly number[]; note?: string | null }): string {
  const base = `未落实减排措施：${p.failedResponses} 次应急响应中未按清单落实（减排措施未落实告警 ${p.alertIds.length} 条），按规定下调绩效分级`;
  return p.note ? `${base}；${p.note}` : base;
}

/** Where a proposal stands: waiting for an officer, confirmed (the grade changed), dismissed (with a reason). */
export const GRADE_PROPOSAL_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type GradeProposalStatus = (typeof GRADE_PROPOSAL_STATUSES)[number];

/** One alert of a proposal's evidence, as it was when proposed. */
export interface ProposalEvidence {
  alertId: number;
  responseId: number | null;
  mn: string;
  openedAt: number;
  /** The entry (production line, process, facility), the measure and the level, in Chinese as the alert's evidence has them. */
  entry: string | null;
  measure: string | null;
  level: string | null;
  failedHours: number | null;
}

/** A proposed downgrade (GET /api/grade-proposals). The bureau's only: an enterprise never reads one. */
export interface GradeProposal {
  id: number;
  enterpriseId: string;
  enterpriseName: string;
  fromGrade: Grade;
  toGrade: Grade;
  status: GradeProposalStatus;
  proposedAt: number;
  responseIds: number[];
  evidence: ProposalEvidence[];
  decidedAt: number | null;
  decidedBy: string | null;
  /** Confirmed: the reason kept in the grade history; dismissed: the officer's reason. */
  decisionReason: string | null;
}
