/**
 * Who may delete a case's attachment, and when (issue 19 item 3; pure, its truth table beside it).
 * A file is deleted by its party: the enterprise's material by a user of the case's enterprise, the
 * bureau's by staff (case.manage). The enterprise deletes only material it has not yet submitted:
 * while the case is open or returned, and only a file uploaded after its latest report (a file in a
 * submitted report is what the bureau judged, so it stays as evidence). The bureau deletes its own
 * files while the case is not closed. A closed case's files are its record: nothing is deleted.
 */
import type { CaseAttachment, CaseParty, RectificationCase } from './case';

export type DetachRefusal = { status: 403 | 409; code: string; message: string };

export function mayDetach(
  c: Pick<RectificationCase, 'status' | 'report'>,
  a: Pick<CaseAttachment, 'party' | 'uploadedAt'>,
  party: CaseParty,
): DetachRefusal | null {
  if (c.status === 'closed') return { status: 409, code: 'case_closed', message: 'the case is closed: its files are its record' };
  if (a.party !== party)
    return {
      status: 403,
      code: 'forbidden',
      message: party === 'enterprise' ? 'only the bureau deletes its own files' : 'only the enterprise deletes the material it uploaded',
    };
  if (party === 'bureau') return null;
  if (c.status !== 'open' && c.status !== 'returned')
    return { status: 409, code: 'attachment_submitted', message: `the case is ${c.status}: its material is no longer changed` };
  if (c.report !== null && a.uploadedAt <= c.report.submittedAt)
    return { status: 409, code: 'attachment_submitted', message: 'the file was part of a submitted report and stays as evidence' };
  return null;
}
