/**
 * How a declared maintenance window is reviewed, and what an approved one may quiet (pure).
 *
 * Plans A7, B12, B14: monitoring runs and transmits during stoppages, and plans are declared to the
 * bureau — a declaration never silences the bureau. So:
 *   - an enterprise's window for a named outlet, at most `autoApproveMaxMs` long, takes effect as
 *     declared; a longer one, or one for the whole enterprise, waits for an officer (pending);
 *   - an enterprise may not start a window in the past (beyond clock skew); an officer may record one
 *     already under way, at most `officerBackdateMaxMs` back; no window lasts more than 31 days;
 *   - an approved window quiets only what a stoppage explains: never bypass, offline, instrument
 *     faults (flags D/B) or falsification findings (flat-line and the signatures of issue 19).
 */
import { FACILITY_RULES, RULE_IDS } from './rule-pack';
import type { MaintenanceWindow } from './alert';

/** Rules whose alerts a maintenance window never quiets: the bureau must hear of these during a stoppage too. */
export const NEVER_QUIETED_BY_MAINTENANCE: readonly string[] = [
  RULE_IDS.bypass, // flue gas around the treatment: what a stoppage is most often used to hide (B12)
  RULE_IDS.offline, // the CEMS must keep transmitting during a stoppage (A7)
  RULE_IDS.instrumentFault, // flags D/B: the instrument itself is broken, not the plant stopped
  RULE_IDS.flatLine, // a frozen value: suspected falsification
  RULE_IDS.overRange, // flag T: above the analyser's range, a gross exceedance a stoppage cannot explain
  // Suspected falsification (issue 19): judged on N-flagged data only, which a stoppage does not explain.
  RULE_IDS.zsMismatch,
  RULE_IDS.o2Ambient,
  RULE_IDS.nearLimit,
  RULE_IDS.copiedData,
  RULE_IDS.stepDrop,
  // Working condition (issue 16): a treatment facility off, bypassed or out of order while
  // production runs is what a declared stoppage is used to hide (B12, B14).
  ...FACILITY_RULES,
  RULE_IDS.noRawHj212, // how the data travel: a stoppage explains neither a converter nor a relay
  RULE_IDS.relay,
  RULE_IDS.measureNoncompliance, // a declared stop cannot excuse running through an emergency measure
];

export const maintenanceQuiets = (rule: string): boolean => !NEVER_QUIETED_BY_MAINTENANCE.includes(rule);

export const MAX_WINDOW_MS = 31 * 86_400_000;
/** An enterprise's "from" may lie this far behind the server clock (clock skew, time to submit the form). */
export const ENTERPRISE_SKEW_MS = 5 * 60_000;

export interface ReviewPolicy {
  /** An enterprise's window for a named outlet at most this long takes effect as declared, ms. */
  autoApproveMaxMs: number;
  /** How far in the past an officer may start a window (recording one already under way), ms. */
  officerBackdateMaxMs: number;
}

/** Who declares: the enterprise itself, or the bureau (an officer or administrator). */
export type Declarer = 'enterprise' | 'bureau';

export type ReviewOutcome = { ok: true; status: 'approved' | 'pending' } | { ok: false; field: 'from' | 'to'; message: string };

export interface Declaration {
  mn: string | null;
  from: number;
  to: number;
  /** A change that keeps the start of a window already declared: its start is not judged again. */
  keepsStart?: boolean;
}

const refuse = (field: 'from' | 'to', message: string): ReviewOutcome => ({ ok: false, field, message });

/** Whether a declaration (new, or changed) is refused, takes effect at once, or waits for an officer. */
export function reviewDeclaration(d: Declaration, by: Declarer, now: number, policy: ReviewPolicy): ReviewOutcome {
  if (d.from >= d.to) return refuse('from', 'must be before to');
  if (d.to <= now) return refuse('to', 'must be in the future');
  if (d.to - d.from > MAX_WINDOW_MS) return refuse('to', 'a window lasts at most 31 days');
  if (!d.keepsStart) {
    if (by === 'enterprise' && d.from < now - ENTERPRISE_SKEW_MS) return refuse('from', 'must not be in the past');
    if (by === 'bureau' && d.from < now - policy.officerBackdateMaxMs) {
      return refuse('from', `may start at most ${policy.officerBackdateMaxMs / 3_600_000} h in the past`);
    }
  }
  if (by === 'bureau') return { ok: true, status: 'approved' };
  return { ok: true, status: d.mn !== null && d.to - d.from <= policy.autoApproveMaxMs ? 'approved' : 'pending' };
}

/** Does this window quiet alerts of this rule at this reading time? (Approved, in time, of a quietable rule.) */
export const windowQuiets = (w: Pick<MaintenanceWindow, 'status' | 'from' | 'to'>, rule: string, ts: number): boolean =>
  w.status === 'approved' && ts >= w.from && ts < w.to && maintenanceQuiets(rule);
