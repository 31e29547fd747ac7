/**
 * What an enterprise receives of an alert and its history (pure): the bureau's internal notes stay
 * with the bureau — its silences (that one exists, and why), who handles the alert and the notes
 * officers write on acknowledge, assign and resolve, and comments marked internal. The enterprise
 * still sees every change of state (acknowledged, resolved, escalated — not the escalation chain's
 * steps, which name bureau staff) and its own comments.
 */
import { SYSTEM_ACTOR, type Alert, type AlertHistoryEntry, type HistoryKind } from './alert';

/** The alert as an enterprise sees it: no silence, no assignee. */
export const alertForEnterprise = (a: Alert): Alert =>
  a.suppressed === 'silence' || a.assignee !== null
    ? { ...a, suppressed: a.suppressed === 'silence' ? null : a.suppressed, assignee: null }
    : a;

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

/** An alert's (or a source's) history as an enterprise sees it. */
export const historyForEnterprise = (entries: readonly AlertHistoryEntry[]): AlertHistoryEntry[] =>
  entries.flatMap((e) => entryForEnterprise(e) ?? []);
