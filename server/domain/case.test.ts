import { describe, expect, it } from 'vitest';
import {
  caseTransitionSchema,
  createCaseSchema,
  isOverdue,
  transitionCase,
  type CaseParty,
  type CaseStatus,
  type RectificationCase,
} from './case';
import { caseForBureau, caseForEnterprise } from './case-views';
import { DAY_MS } from './local-time';

const T0 = Date.parse('2026-07-01T02:00:00Z'); // 10:00 China time
const OFFSET = 480;

const base: RectificationCase = {
  id: 1,
  type: 'exceedance',
  enterpriseId: 'qilu-power',
  district: '淄川区',
  alertIds: [7],
  sources: ['370300NH3000000000000101'],
  rules: ['limit-instant'],
  officer: 'officer',
  deadline: { kind: 'date', date: '2026-07-10' },
  requirements: ['更换催化剂'],
  internalNote: '该企业去年曾超标',
  status: 'open',
  cleanDays: null,
  verifyingSince: null,
  report: null,
  returnReason: null,
  overdueAt: null,
  createdBy: 'officer',
  createdAt: T0,
  updatedAt: T0,
  closedAt: null,
  closedBy: null,
  version: 1,
  attachments: [],
  history: [],
};

const NAMES = (u: string): string => ({ 'zhang.wei': '张伟', officer: '值班员', 'qilu-power': '齐鲁热电' })[u] ?? u;
const at = (status: CaseStatus, more: Partial<RectificationCase> = {}): RectificationCase => ({ ...base, status, ...more });
const ctx = (party: CaseParty, more: { now?: number; lastRecurrenceAt?: number | null } = {}) => ({
  now: more.now ?? T0 + DAY_MS,
  actor: party === 'bureau' ? 'officer' : 'qilu-power',
  party,
  lastRecurrenceAt: more.lastRecurrenceAt ?? null,
});
const input = (raw: unknown) => caseTransitionSchema.parse(raw);

describe('case transitions: the truth table', () => {
  const submit = { action: 'submit', text: '已更换催化剂' };
  const accept = { action: 'accept', cleanDays: 0 };
  const close = { action: 'close' };
  const ret = { action: 'return', reason: '照片不清晰' };
  const reassign = { action: 'reassign', officer: 'admin' };
  it.each([
    // status, action, party, → new status or refusal
    ['open', submit, 'enterprise', 'submitted'],
    ['returned', submit, 'enterprise', 'submitted'],
    ['submitted', submit, 'enterprise', 'wrong_status'],
    ['verifying', submit, 'enterprise', 'wrong_status'],
    ['open', submit, 'bureau', 'wrong_party'],
    ['submitted', accept, 'bureau', 'verifying'],
    ['open', accept, 'bureau', 'wrong_status'],
    ['submitted', accept, 'enterprise', 'wrong_party'],
    ['verifying', close, 'bureau', 'closed'],
    ['submitted', close, 'bureau', 'wrong_status'],
    ['verifying', close, 'enterprise', 'wrong_party'],
    ['submitted', ret, 'bureau', 'returned'],
    ['verifying', ret, 'bureau', 'returned'],
    ['open', ret, 'bureau', 'wrong_status'],
    ['submitted', ret, 'enterprise', 'wrong_party'],
    ['open', reassign, 'bureau', 'open'],
    ['verifying', reassign, 'bureau', 'verifying'],
    ['open', reassign, 'enterprise', 'wrong_party'],
    ['closed', submit, 'enterprise', 'closed'],
    ['closed', reassign, 'bureau', 'closed'],
    ['closed', ret, 'bureau', 'closed'],
  ] as const)('%s + %o by %s → %s', (status, raw, party, expected) => {
    const c = at(status, status === 'verifying' ? { cleanDays: 0, verifyingSince: T0 } : {});
    const r = transitionCase(c, input(raw), ctx(party));
    expect(r.ok ? r.case.status : r.reason).toBe(expected);
    if (r.ok) expect(r.case.version).toBe(c.version + 1);
  });

  it('a report takes the enterprise’s attachments not yet sent with an earlier one', () => {
    const att = (id: string, party: 'enterprise' | 'bureau') => ({
      id,
      name: `${id}.pdf`,
      kind: 'pdf' as const,
      size: 10,
      sha256: 'x',
      uploadedBy: 'u',
      uploadedAt: T0,
      party,
    });
    const c = at('returned', {
      attachments: [att('a', 'enterprise'), att('b', 'bureau'), att('c', 'enterprise')],
      report: { text: 'old', attachmentIds: ['a'], submittedAt: T0, submittedBy: 'qilu-power' },
    });
    const r = transitionCase(c, input({ action: 'submit', text: '补充材料' }), ctx('enterprise'));
    expect(r.ok && r.case.report).toMatchObject({ text: '补充材料', attachmentIds: ['c'], submittedBy: 'qilu-power' });
  });

  it('close waits for the clean days after acceptance, counted again from a recurrence', () => {
    const c = at('verifying', { cleanDays: 3, verifyingSince: T0 });
    const closeAt = (now: number, lastRecurrenceAt: number | null) =>
      transitionCase(c, input({ action: 'close' }), ctx('bureau', { now, lastRecurrenceAt }));
    expect(closeAt(T0 + 2 * DAY_MS, null)).toMatchObject({ ok: false, reason: 'not_clean' });
    expect(closeAt(T0 + 3 * DAY_MS, null)).toMatchObject({ ok: true });
    const recurred = closeAt(T0 + 3 * DAY_MS, T0 + DAY_MS);
    expect(recurred).toMatchObject({ ok: false, reason: 'not_clean' });
    expect(!recurred.ok && recurred.message).toMatch(/recurred/);
    expect(closeAt(T0 + 4 * DAY_MS, T0 + DAY_MS)).toMatchObject({ ok: true });
    // An alert before verification began is no recurrence.
    expect(closeAt(T0 + 3 * DAY_MS, T0 - DAY_MS)).toMatchObject({ ok: true });
  });

  it('a return clears verification; a new due date may be notified overdue again', () => {
    const r = transitionCase(
      at('verifying', { cleanDays: 3, verifyingSince: T0 }),
      input({ action: 'return', reason: '复发' }),
      ctx('bureau'),
    );
    expect(r.ok && r.case).toMatchObject({ status: 'returned', returnReason: '复发', cleanDays: null, verifyingSince: null });
    const overdue = at('open', { overdueAt: T0 });
    const same = transitionCase(overdue, input({ action: 'reassign', officer: 'admin' }), ctx('bureau'));
    expect(same.ok && same.case).toMatchObject({ officer: 'admin', overdueAt: T0 });
    const moved = transitionCase(overdue, input({ action: 'reassign', deadline: { kind: 'date', date: '2026-08-01' } }), ctx('bureau'));
    expect(moved.ok && moved.case).toMatchObject({ overdueAt: null, deadline: { kind: 'date', date: '2026-08-01' } });
    expect(moved.ok && moved.entry).toMatchObject({
      event: 'reassigned',
      internal: true,
      detail: { fromDue: '2026-07-10', toDue: '2026-08-01' },
    });
  });
});

describe('overdue and the enterprise’s view', () => {
  it.each([
    ['date', { kind: 'date', date: '2026-07-01' }, 'open', T0, false],
    ['date, the day after', { kind: 'date', date: '2026-06-30' }, 'open', T0, true],
    ['date, China time already the next day', { kind: 'date', date: '2026-06-30' }, 'open', Date.parse('2026-06-30T16:30:00Z'), true],
    ['date, China time still that day', { kind: 'date', date: '2026-06-30' }, 'open', Date.parse('2026-06-30T15:30:00Z'), false],
    ['overhaul, the latest date passed', { kind: 'overhaul', latest: '2026-06-01' }, 'submitted', T0, true],
    ['closed is never overdue', { kind: 'date', date: '2026-06-01' }, 'closed', T0, false],
  ] as const)('%s', (_name, deadline, status, now, expected) => {
    expect(isOverdue({ deadline, status }, now, OFFSET)).toBe(expected);
  });

  it('an enterprise never sees the internal note nor internal history', () => {
    const c = at('open', {
      history: [
        { seq: 1, at: T0, by: 'officer', event: 'created', note: null, detail: null, internal: false },
        { seq: 2, at: T0, by: 'officer', event: 'reassigned', note: '换人', detail: null, internal: true },
      ],
    });
    const seen = caseForEnterprise(c, NAMES);
    expect(seen.internalNote).toBeNull();
    expect(seen.history.map((h) => h.seq)).toEqual([1]);
    expect(JSON.stringify(seen)).not.toContain('去年');
  });

  it('an enterprise reads every person by display name, never a bureau username; the bureau gets both', () => {
    const c = at('closed', {
      officer: 'zhang.wei',
      createdBy: 'officer',
      closedBy: 'zhang.wei',
      report: { text: '已整改', attachmentIds: ['f1'], submittedAt: T0, submittedBy: 'qilu-power' },
      attachments: [
        { id: 'f1', name: '报告.pdf', kind: 'pdf', size: 1, sha256: 'x', uploadedBy: 'qilu-power', uploadedAt: T0, party: 'enterprise' },
        { id: 'f2', name: '通知.pdf', kind: 'pdf', size: 1, sha256: 'y', uploadedBy: 'zhang.wei', uploadedAt: T0, party: 'bureau' },
      ],
      history: [
        { seq: 1, at: T0, by: 'officer', event: 'created', note: null, detail: null, internal: false },
        {
          seq: 2,
          at: T0,
          by: 'officer',
          event: 'reassigned',
          note: null,
          detail: { fromOfficer: 'officer', toOfficer: 'zhang.wei' },
          internal: true,
        },
        { seq: 3, at: T0, by: 'system', event: 'overdue', note: null, detail: { due: '2026-07-10' }, internal: false },
        { seq: 4, at: T0, by: 'zhang.wei', event: 'closed', note: null, detail: null, internal: false },
      ],
    });
    const seen = caseForEnterprise(caseForBureau(c, NAMES), NAMES);
    expect(seen).toMatchObject({ officer: '张伟', createdBy: '值班员', closedBy: '张伟', report: { submittedBy: '齐鲁热电' } });
    expect(seen.attachments.map((a) => a.uploadedBy)).toEqual(['齐鲁热电', '张伟']);
    expect(seen.history.map((h) => h.by)).toEqual(['值班员', 'system', '张伟']);
    expect(seen.names).toBeUndefined();
    expect(JSON.stringify(seen)).not.toMatch(/zhang\.wei|:"officer"/);
    expect(caseForBureau(c, NAMES).names).toEqual({ 'zhang.wei': '张伟', officer: '值班员', 'qilu-power': '齐鲁热电' });
  });

  it('a case needs an enterprise or alerts, and at least one required action', () => {
    const ok = { type: 'other', officer: 'officer', deadline: { kind: 'date', date: '2026-07-10' }, requirements: ['整改'] };
    expect(createCaseSchema.safeParse(ok).success).toBe(false);
    expect(createCaseSchema.safeParse({ ...ok, enterpriseId: 'qilu-power' }).success).toBe(true);
    expect(createCaseSchema.safeParse({ ...ok, alertIds: [3] }).success).toBe(true);
    expect(createCaseSchema.safeParse({ ...ok, alertIds: [3], requirements: [] }).success).toBe(false);
    expect(createCaseSchema.safeParse({ ...ok, alertIds: [3], deadline: { kind: 'date', date: '7/10' } }).success).toBe(false);
  });
});
