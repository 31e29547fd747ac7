import { describe, expect, it } from 'vitest';
import type { CaseParty, CaseStatus } from './case';
import { mayDetach } from './case-attachment';

const REPORT_AT = 1_000;
const report = { text: '已整改', attachmentIds: [], submittedAt: REPORT_AT, submittedBy: 'qilu-power' };

describe('mayDetach: who deletes which attachment, when', () => {
  it.each<[string, CaseStatus, boolean, 'enterprise' | 'bureau', number, CaseParty, string | null]>([
    // what, status, has report, file's party, uploaded at, acting party, refusal code (null: allowed)
    ['the enterprise, its file, open case', 'open', false, 'enterprise', 500, 'enterprise', null],
    ['the enterprise, a file added after the return', 'returned', true, 'enterprise', REPORT_AT + 1, 'enterprise', null],
    ['the enterprise, a file of the submitted report', 'returned', true, 'enterprise', REPORT_AT, 'enterprise', 'attachment_submitted'],
    ['the enterprise, once submitted', 'submitted', true, 'enterprise', 500, 'enterprise', 'attachment_submitted'],
    ['the enterprise, in verification', 'verifying', true, 'enterprise', REPORT_AT + 1, 'enterprise', 'attachment_submitted'],
    ['the enterprise, closed', 'closed', true, 'enterprise', REPORT_AT + 1, 'enterprise', 'case_closed'],
    ['the enterprise, the bureau’s file', 'open', false, 'bureau', 500, 'enterprise', 'forbidden'],
    ['the bureau, its file, open', 'open', false, 'bureau', 500, 'bureau', null],
    ['the bureau, its file, in verification', 'verifying', true, 'bureau', 500, 'bureau', null],
    ['the bureau, its file, closed', 'closed', true, 'bureau', 500, 'bureau', 'case_closed'],
    ['the bureau, the enterprise’s file', 'open', false, 'enterprise', 500, 'bureau', 'forbidden'],
  ])('%s', (_what, status, hasReport, fileParty, uploadedAt, party, code) => {
    const refusal = mayDetach({ status, report: hasReport ? report : null }, { party: fileParty, uploadedAt }, party);
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) expect(refusal.message.length).toBeGreaterThan(0);
  });
});
