/**
 * What an enterprise receives of an alert and its history (pure): the bureau's internal notes stay
 * with the bureau — its silences (that one exists, and why), who handles the alert and the notes
 * officers write on acknowledge, assign and resolve, and comments marked internal. The enterprise
 * still sees every change of state (acknowledged, resolved, escalated — not the escalation chain's
 * steps, which name bureau staff) and its own comments. People are named to it by their display
 * name, never their username (a bureau account's login name is not the enterprise's to know).
 */
import { SYSTEM_ACTOR, type Alert, type AlertHistoryEntry, type HistoryKind, type MaintenanceWindow } from './alert';

/** How a person is named to an enterprise: by display name (the duty stage's people; the username when unknown). */
export type NameOf = (username: string) => string;

/** A username as an enterprise reads it: 'system' and null as they are, anyone else by `nameOf`. */
export const namedFor =
  (nameOf: NameOf) =>
  <T extends string | null>(u: T): T =>
    u === null || u === SYSTEM_ACTOR ? u : (nameOf(u) as T);

/** The alert as an enterprise sees it: no silence, no assignee, who acknowledged and closed it by name. */
export const alertForEnterprise = (a: Alert, nameOf: NameOf): Alert => {
  const named = namedFor(nameOf);
  return {
    ...a,
    suppressed: a.suppressed === 'silence' ? null : a.suppressed,
    assignee: null,
    acknowledgedBy: named(a.acknowledgedBy),
    closedBy: named(a.closedBy),
  };
};

/** Entries an enterprise never sees: the bureau's silences and its internal assignments. */
const HIDDEN_KINDS: readonly HistoryKind[] = ['silenced', 'assigned'];
/** Entries an enterprise sees without the officer's note. */
const NOTE_HIDDEN_KINDS: readonly HistoryKind[] = ['acknowledged', 'resolved'];
const QUIET_BY_SILENCE = /; recorded quietly: silence$/;

function entryForEnterprise(e: AlertHistoryEntry): AlertHistoryEntry | null {
  if (HIDDEN_KINDS.includes(e.kind)) return null;
  // Which of the bureau's staff the escalation chain called (issue 21) is the bureau's business.
  if (e.detail?.code === 'escalationStep') return null;
  if (e.kind === 'commented') return e.internal ? null : e;
  if (NOTE_HIDDEN_KINDS.includes(e.kind) && e.actor !== SYSTEM_ACTOR && e.note !== null) return { ...e, note: null };
  if (e.kind === 'opened' && e.note !== null && QUIET_BY_SILENCE.test(e.note)) return { ...e, note: e.note.replace(QUIET_BY_SILENCE, '') };
  return e;
}

/** An alert's (or a source's) history as an enterprise sees it, each actor by name. */
export const historyForEnterprise = (entries: readonly AlertHistoryEntry[], nameOf: NameOf): AlertHistoryEntry[] => {
  const named = namedFor(nameOf);
  return entries.flatMap((e) => {
    const seen = entryForEnterprise(e);
    return seen ? [{ ...seen, actor: named(seen.actor) }] : [];
  });
};

/** A maintenance window as an enterprise sees it: who declared, reviewed and ended it by name. */
export const windowForEnterprise = (w: MaintenanceWindow, nameOf: NameOf): MaintenanceWindow => {
  const named = namedFor(nameOf);
  return { ...w, declaredBy: named(w.declaredBy), reviewedBy: named(w.reviewedBy), endedBy: named(w.endedBy) };
};
