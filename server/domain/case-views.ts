/**
 * A rectification case as each party receives it (pure). The enterprise: without the internal note
 * and the bureau's internal history entries, every person by display name (`nameOf`), never a bureau
 * account's username. The bureau: the case as stored, with `names` (username → display name) so
 * its pages can show both.
 */
import type { RectificationCase } from './case';
import { namedFor, type NameOf } from './enterprise-view';

/** The usernames a case names: its officer, creator, closer, reporter, history's actors, uploaders, reassignments. */
export function peopleOf(c: RectificationCase): string[] {
  const detailPeople = c.history.flatMap((h) => [h.detail?.['fromOfficer'], h.detail?.['toOfficer']]);
  const all = [
    c.officer,
    c.createdBy,
    c.closedBy,
    c.report?.submittedBy,
    ...c.history.map((h) => h.by),
    ...c.attachments.map((a) => a.uploadedBy),
  ];
  return [...new Set([...all, ...detailPeople].filter((u): u is string => typeof u === 'string' && u !== 'system'))];
}

/**
 * The enterprise's view: without the internal note and the bureau's internal history entries, and
 * every person by display name (`nameOf`), never a username: the officer, who created, closed,
 * reported, acted and uploaded. `names` is the bureau's only.
 */
export function caseForEnterprise(c: RectificationCase, nameOf: NameOf): RectificationCase {
  const named = namedFor(nameOf);
  const { names: _names, ...rest } = c;
  return {
    ...rest,
    internalNote: null,
    officer: named(c.officer),
    createdBy: named(c.createdBy),
    closedBy: named(c.closedBy),
    report: c.report && { ...c.report, submittedBy: named(c.report.submittedBy) },
    attachments: c.attachments.map((a) => ({ ...a, uploadedBy: named(a.uploadedBy) })),
    history: c.history.filter((h) => !h.internal).map((h) => ({ ...h, by: named(h.by) })),
  };
}

/** The bureau's view: the case with `names`, each person it names and their display name (both shown where useful). */
export function caseForBureau(c: RectificationCase, nameOf: NameOf): RectificationCase {
  return { ...c, names: Object.fromEntries(peopleOf(c).map((u) => [u, nameOf(u)])) };
}
