/**
 * The shapes of a rectification case (case.ts): its kinds, statuses, events, deadline, history and
 * the REST answers, without the request schemas (zod), so that the dashboard's start path can name
 * them without loading zod. case.ts re-exports everything here.
 */
import { localDate } from './local-time';

export const CASE_TYPES = ['exceedance', 'falsification', 'transmission', 'outage', 'facility', 'other'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'submitted', 'verifying', 'closed', 'returned'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['submit', 'accept', 'close', 'return', 'reassign'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** What happened to a case, in its history. */
export const CASE_EVENTS = [
  'created',
  'submitted',
  'accepted',
  'closed',
  'returned',
  'reassigned',
  'attached',
  'detached',
  'overdue',
] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/** The most clean days an officer may require. */
export const MAX_CLEAN_DAYS = 90;
/** The most attachments one case holds. */
export const MAX_CASE_ATTACHMENTS = 20;

/** A date (整改期限), or "at the next shutdown overhaul" (停产检修时) with the latest date it may be (local dates YYYY-MM-DD). */
export type CaseDeadline = { kind: 'date'; date: string } | { kind: 'overhaul'; latest: string };

/** The local date after which a case is overdue. */
export const dueDateOf = (d: CaseDeadline): string => (d.kind === 'date' ? d.date : d.latest);

export interface CaseReport {
  text: string;
  /** The attachments uploaded with it (ids). */
  attachmentIds: string[];
  submittedAt: number;
  submittedBy: string;
}

/** A stored file of a case: its name as uploaded (shown, never a path), the type sniffed from its bytes. */
export interface CaseAttachment {
  id: string;
  name: string;
  /** The sniffed type (ATTACHMENT_KINDS). */
  kind: AttachmentKind;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: number;
  /** Uploaded by the enterprise (its report) or by the bureau. */
  party: 'enterprise' | 'bureau';
}

export const ATTACHMENT_KINDS = ['pdf', 'jpeg', 'png', 'docx', 'xlsx'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface CaseHistoryEntry {
  seq: number;
  at: number;
  by: string;
  event: CaseEvent;
  /** What a person wrote (the report, the reason for a return), or null. */
  note: string | null;
  /** Facts as data, worded by the dashboard (officer changes, clean days, the attachment's name). */
  detail: Record<string, string | number | null> | null;
  /** The bureau's only (never in an enterprise user's answer). */
  internal: boolean;
}

export interface RectificationCase {
  id: number;
  type: CaseType;
  enterpriseId: string;
  /** The enterprise's district when the case was created. */
  district: string;
  alertIds: number[];
  /** The outlets (MNs) the case is about; the clean days watch them. */
  sources: string[];
  /** The rules of the alerts it was created from (empty: any alert on its sources counts). */
  rules: string[];
  /** The officer in charge (a staff username). */
  officer: string;
  deadline: CaseDeadline;
  /** Required actions (整改要求), in order. */
  requirements: string[];
  /** The bureau's internal note: never shown to the enterprise (null in its view). */
  internalNote: string | null;
  status: CaseStatus;
  /** Clean days the officer required on accepting (null before). */
  cleanDays: number | null;
  /** When verification started (accept). */
  verifyingSince: number | null;
  /** The latest rectification report. */
  report: CaseReport | null;
  /** Why it was last returned (shown to the enterprise). */
  returnReason: string | null;
  /** When the ticker found it overdue and notified (once per overdue; cleared by a new deadline). */
  overdueAt: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  version: number;
  attachments: CaseAttachment[];
  history: CaseHistoryEntry[];
  /** The bureau's view only: each username the case names → its display name (an enterprise's view names people by display name). */
  names?: Record<string, string>;
}

/** Is the case overdue at `now`: its due date's local day has ended and it is not closed. */
export function isOverdue(c: Pick<RectificationCase, 'status' | 'deadline'>, now: number, utcOffsetMinutes: number): boolean {
  return c.status !== 'closed' && localDate(now, utcOffsetMinutes) > dueDateOf(c.deadline);
}

/** A case as the REST API answers it: with whether it is overdue now (derived). */
export type CaseView = RectificationCase & { overdue: boolean };

/** GET /api/cases. */
export interface CasePage {
  items: CaseView[];
  total: number;
  limit: number;
  offset: number;
}

/** The codes a refused attachment answers with (the dashboard words each). */
export const ATTACHMENT_ERROR_CODES = [
  'attachment_too_large',
  'attachment_type_not_allowed',
  'attachment_extension_mismatch',
  'attachment_bad_name',
  'attachment_empty',
  'attachment_limit',
] as const;
