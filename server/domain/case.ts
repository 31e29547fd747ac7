/**
 * Rectification cases (整改案件, issue 19 item 3): 发现一例、整改一例, 清单式交办、销号式管理. A case is
 * handed to one enterprise with required actions and a deadline; the enterprise submits its
 * rectification report (text and attachments); the officer in charge accepts it — optionally
 * requiring N clean days, no new alert on the case's sources (and rules) — and closes it (销号), or
 * returns it with a reason. Overdue is derived: the deadline's day has passed and it is not closed.
 *
 *   open ──submit──▶ submitted ──accept──▶ verifying ──close──▶ closed
 *   returned ◀──return── (submitted | verifying);  returned ──submit──▶ submitted
 *   reassign (officer, deadline): any status but closed, the status unchanged
 *
 * The transitions are one pure function (`transitionCase`) with its truth table in case.test.ts.
 * The internal note (and internal history entries) is the bureau's only: `caseForEnterprise`
 * (case-views.ts) removes it from every answer an enterprise user gets.
 */
import { z } from 'zod';
import {
  CASE_STATUSES,
  CASE_TYPES,
  dueDateOf,
  MAX_CLEAN_DAYS,
  type CaseAction,
  type CaseDeadline,
  type CaseEvent,
  type CaseHistoryEntry,
  type CaseReport,
  type RectificationCase,
} from './case-kinds';
import { DAY_MS } from './local-time';

export * from './case-kinds';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const localDay = z.string().regex(DATE_RE, 'a date is YYYY-MM-DD');

/** A date (整改期限), or "at the next shutdown overhaul" (停产检修时) with the latest date it may be. */
export const deadlineSchema: z.ZodType<CaseDeadline> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: localDay }).strict(),
  z.object({ kind: z.literal('overhaul'), latest: localDay }).strict(),
]);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** POST /api/cases: by hand (enterpriseId, sources) or from alerts (alertIds: enterprise and sources inferred). */
export const createCaseSchema = z
  .object({
    type: z.enum(CASE_TYPES),
    enterpriseId: z.string().trim().min(1).max(100).optional(),
    alertIds: z.array(z.number().int().positive()).max(100).default([]),
    sources: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
    officer: z.string().trim().min(1).max(64),
    deadline: deadlineSchema,
    requirements: z.array(text(1000)).min(1, 'list at least one required action').max(50),
    internalNote: text(4000).optional(),
  })
  .strict()
  .refine((b) => b.alertIds.length > 0 || b.enterpriseId !== undefined, {
    message: 'name the enterprise, or the alerts the case is created from',
    path: ['enterpriseId'],
  });
export type CreateCaseInput = z.infer<typeof createCaseSchema>;

/** POST /api/cases/:id/transition. */
export const caseTransitionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit'), text: text(8000) }).strict(),
  z
    .object({ action: z.literal('accept'), cleanDays: z.number().int().min(0).max(MAX_CLEAN_DAYS).default(0), note: text(2000).optional() })
    .strict(),
  z.object({ action: z.literal('close'), note: text(2000).optional() }).strict(),
  z.object({ action: z.literal('return'), reason: text(2000) }).strict(),
  z
    .object({
      action: z.literal('reassign'),
      officer: z.string().trim().min(1).max(64).optional(),
      deadline: deadlineSchema.optional(),
      note: text(2000).optional(),
    })
    .strict()
    .refine((b) => b.officer !== undefined || b.deadline !== undefined, { message: 'give officer or deadline', path: ['officer'] }),
]);
export type CaseTransitionInput = z.infer<typeof caseTransitionSchema>;

/** GET /api/cases. */
export const caseQuerySchema = z
  .object({
    status: z.enum(CASE_STATUSES).optional(),
    type: z.enum(CASE_TYPES).optional(),
    district: z.string().trim().min(1).max(100).optional(),
    enterprise: z.string().trim().min(1).max(100).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type CaseQueryInput = z.infer<typeof caseQuerySchema>;

/** GET /api/cases/ledger: the list's filters, every matching case (at most LEDGER_MAX_ROWS), as XLSX or JSON. */
export const LEDGER_MAX_ROWS = 5000;
export const caseLedgerQuerySchema = caseQuerySchema
  .omit({ limit: true, offset: true })
  .extend({ format: z.enum(['xlsx', 'json']).default('xlsx') })
  .strict();

/** Who acts on a case: the bureau (case.manage) or the case's enterprise (case.respond). */
export type CaseParty = 'bureau' | 'enterprise';

/** Why a transition was refused (the router words each as a 403/409). */
export type CaseRefusal =
  | 'wrong_party'
  | 'wrong_status'
  | 'closed'
  /** Close: a recurrence since verification started, or the clean days not yet over. */
  | 'not_clean';

export interface TransitionContext {
  now: number;
  actor: string;
  party: CaseParty;
  /** For close: the latest alert on the case's sources (and rules) seen since verification started, or null. */
  lastRecurrenceAt: number | null;
}

export type TransitionResult =
  { ok: true; case: RectificationCase; entry: Omit<CaseHistoryEntry, 'seq'> } | { ok: false; reason: CaseRefusal; message: string };

/** When a case in verification may be closed: N clean days after verification began, or after its latest recurrence. */
export function cleanFrom(c: Pick<RectificationCase, 'verifyingSince'>, lastRecurrenceAt: number | null): number | null {
  if (c.verifyingSince === null) return null;
  return Math.max(c.verifyingSince, lastRecurrenceAt ?? 0);
}

const refuse = (reason: CaseRefusal, message: string): TransitionResult => ({ ok: false, reason, message });

const BUREAU_ONLY: readonly CaseAction[] = ['accept', 'close', 'return', 'reassign'];

/** What `input` does to `c` (pure: the caller stores the result and its history entry). */
export function transitionCase(c: RectificationCase, input: CaseTransitionInput, ctx: TransitionContext): TransitionResult {
  if (c.status === 'closed') return refuse('closed', 'the case is closed');
  const bureau = BUREAU_ONLY.includes(input.action);
  if (bureau !== (ctx.party === 'bureau'))
    return refuse('wrong_party', `${ctx.party === 'bureau' ? 'only the enterprise' : 'only the bureau'} may ${input.action}`);
  const base = { ...c, updatedAt: ctx.now, version: c.version + 1 };
  const entry = (event: CaseEvent, note: string | null, detail: CaseHistoryEntry['detail'] = null, internal = false) => ({
    at: ctx.now,
    by: ctx.actor,
    event,
    note,
    detail,
    internal,
  });
  switch (input.action) {
    case 'submit': {
      if (c.status !== 'open' && c.status !== 'returned') return refuse('wrong_status', `a ${c.status} case takes no report`);
      const sent = new Set(c.report?.attachmentIds ?? []);
      const attachmentIds = c.attachments.filter((a) => a.party === 'enterprise' && !sent.has(a.id)).map((a) => a.id);
      const report: CaseReport = { text: input.text, attachmentIds, submittedAt: ctx.now, submittedBy: ctx.actor };
      return {
        ok: true,
        case: { ...base, status: 'submitted', report },
        entry: entry('submitted', input.text, { attachments: attachmentIds.length }),
      };
    }
    case 'accept': {
      if (c.status !== 'submitted') return refuse('wrong_status', `only a submitted report is accepted (the case is ${c.status})`);
      const next = { ...base, status: 'verifying' as const, cleanDays: input.cleanDays, verifyingSince: ctx.now };
      return { ok: true, case: next, entry: entry('accepted', input.note ?? null, { cleanDays: input.cleanDays }) };
    }
    case 'close': {
      if (c.status !== 'verifying') return refuse('wrong_status', `only a case in verification is closed (the case is ${c.status})`);
      const from = cleanFrom(c, ctx.lastRecurrenceAt) ?? ctx.now;
      const days = c.cleanDays ?? 0;
      if (ctx.now - from < days * DAY_MS) {
        const recurred = ctx.lastRecurrenceAt !== null && c.verifyingSince !== null && ctx.lastRecurrenceAt >= c.verifyingSince;
        return refuse(
          'not_clean',
          recurred
            ? `an alert or an outage recurred on the case's sources: ${days} clean days are required after it`
            : `${days} clean days are required`,
        );
      }
      const next = { ...base, status: 'closed' as const, closedAt: ctx.now, closedBy: ctx.actor };
      return { ok: true, case: next, entry: entry('closed', input.note ?? null) };
    }
    case 'return': {
      if (c.status !== 'submitted' && c.status !== 'verifying') return refuse('wrong_status', `a ${c.status} case is not returned`);
      const next = { ...base, status: 'returned' as const, returnReason: input.reason, cleanDays: null, verifyingSince: null };
      return { ok: true, case: next, entry: entry('returned', input.reason) };
    }
    case 'reassign': {
      const moved = input.deadline !== undefined && dueDateOf(input.deadline) !== dueDateOf(c.deadline);
      const next = {
        ...base,
        officer: input.officer ?? c.officer,
        deadline: input.deadline ?? c.deadline,
        // A new due date may be missed again: it is notified once more.
        overdueAt: moved ? null : c.overdueAt,
      };
      const detail = {
        fromOfficer: c.officer,
        toOfficer: next.officer,
        fromDue: dueDateOf(c.deadline),
        toDue: dueDateOf(next.deadline),
      };
      return { ok: true, case: next, entry: entry('reassigned', input.note ?? null, detail, true) };
    }
  }
}
