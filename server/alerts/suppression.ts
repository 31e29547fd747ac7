/**
 * Whether a new alert is recorded quietly, and why (pure). Precedence: an approved maintenance
 * window first (the plant said so and the bureau agreed), then an officer's silence, then
 * inhibition by the source's active offline alert. A window never quiets the rules in
 * NEVER_QUIETED_BY_MAINTENANCE (bypass, offline, instrument faults, flat-line); an officer's silence
 * may quiet any rule: it is the bureau's own decision, given with a reason, audited and bounded in
 * time (a known bypass under investigation need not page the duty room every quarter of an hour).
 */
import type { MaintenanceWindow, Silence, Suppression } from '../domain/alert';
import { windowQuiets } from '../domain/maintenance-review';

export interface AlertKeyFacts {
  mn: string;
  enterpriseId: string;
  factor: string;
  rule: string;
}

/** A silence matches on every field it sets, from its creation until `endsAt` (exclusive). */
export const silenceMatches = (s: Silence, a: AlertKeyFacts, now: number): boolean =>
  now >= s.createdAt &&
  now < s.endsAt &&
  (s.mn === null || s.mn === a.mn) &&
  (s.factor === null || s.factor === a.factor) &&
  (s.rule === null || s.rule === a.rule);

/**
 * An approved window quiets its enterprise's sources (or its one source) from `from` to `to`
 * (exclusive), except the rules a stoppage never explains.
 */
export const windowCovers = (w: MaintenanceWindow, a: AlertKeyFacts, ts: number): boolean =>
  w.enterpriseId === a.enterpriseId && (w.mn === null || w.mn === a.mn) && windowQuiets(w, a.rule, ts);

export interface SuppressionFacts {
  silences: readonly Silence[];
  windows: readonly MaintenanceWindow[];
  /** The source has an active offline alert (and this alert is not that one). */
  offline: boolean;
}

/** `ts`: the reading's time (maintenance is about the plant); `now`: server time (silences are about us). */
export function suppressionFor(a: AlertKeyFacts, ts: number, now: number, facts: SuppressionFacts): Suppression | null {
  if (facts.windows.some((w) => windowCovers(w, a, ts))) return 'maintenance';
  if (facts.silences.some((s) => silenceMatches(s, a, now))) return 'silence';
  if (facts.offline) return 'inhibited';
  return null;
}
