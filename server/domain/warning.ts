/**
 * Heavy-pollution and ozone warnings (重污染天气 / 臭氧污染预警, PLANS E1, E2): the record the control
 * centre issues, changes and lifts, its lifecycle as a pure transition table and what an enterprise
 * may see of it (the REST bodies are in warning-schema.ts: no zod in the dashboard's bundle).
 * Shared by the server and the dashboard.
 *
 *   from \ action | start (its start time came) | change (level, note) | lift   | cancel
 *   issued        | in_force                    | issued               | -      | cancelled
 *   in_force      | -                           | in_force             | lifted | cancelled
 *   lifted        | -                           | -                    | -      | -
 *   cancelled     | -                           | -                    | -      | -
 *
 * "-" is refused (HTTP 409). Lifting (解除) ends the response; cancelling withdraws a warning issued
 * in error. A level change is an upgrade or a downgrade and is kept in the history.
 */
import { WARNING_LEVELS, type WarningLevel } from './ozone';

export { WARNING_LEVELS, type WarningLevel };

/** heavy_pollution: 重污染天气 (AQI, PM2.5 in autumn and winter); ozone: 臭氧污染. */
export const WARNING_KINDS = ['heavy_pollution', 'ozone'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/**
 * What the warning rests on (PLANS E2, 004): the MEE regional consultation, a provincial prompt,
 * a city notice, or the centre's own forecast.
 */
export const WARNING_BASES = ['regional_consultation', 'provincial_prompt', 'city_notice', 'own_forecast'] as const;
export type WarningBasis = (typeof WARNING_BASES)[number];

export const WARNING_STATUSES = ['issued', 'in_force', 'lifted', 'cancelled'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

export const WARNING_ACTIONS = ['start', 'change', 'lift', 'cancel'] as const;
export type WarningAction = (typeof WARNING_ACTIONS)[number];

/** The entries of a warning's history. */
export const WARNING_EVENTS = ['issued', 'started', 'upgraded', 'downgraded', 'noted', 'lifted', 'cancelled'] as const;
export type WarningEventKind = (typeof WARNING_EVENTS)[number];

export interface WarningHistoryEntry {
  at: number;
  /** Who (`system` for the start at its time). */
  by: string;
  event: WarningEventKind;
  /** Level before and after (upgraded, downgraded; issued: to only). */
  fromLevel: WarningLevel | null;
  toLevel: WarningLevel | null;
  note: string | null;
}

export interface Warning {
  id: number;
  kind: WarningKind;
  level: WarningLevel;
  basis: WarningBasis;
  /** The districts in scope (names on the city map). */
  districts: string[];
  issuedBy: string;
  issuedAt: number;
  /** When the response starts, epoch ms. */
  startAt: number;
  /** When it is planned to be lifted (null: until further notice). */
  plannedLiftAt: number | null;
  /** When it was lifted or cancelled, and by whom. */
  liftedAt: number | null;
  liftedBy: string | null;
  status: WarningStatus;
  /** Internal note of the centre (never shown to enterprises). */
  note: string | null;
  /** Oldest first. */
  history: WarningHistoryEntry[];
  /** +1 on every change (a PATCH names the version it was made from). */
  version: number;
}

const TABLE: Record<WarningStatus, Partial<Record<WarningAction, WarningStatus>>> = {
  issued: { start: 'in_force', change: 'issued', cancel: 'cancelled' },
  in_force: { change: 'in_force', lift: 'lifted', cancel: 'cancelled' },
  lifted: {},
  cancelled: {},
};

export type WarningTransition = { ok: true; status: WarningStatus } | { ok: false; reason: string };

const PAST: Record<WarningAction, string> = { start: 'started', change: 'changed', lift: 'lifted', cancel: 'cancelled' };

export function warningTransition(status: WarningStatus, action: WarningAction): WarningTransition {
  const next = TABLE[status][action];
  return next
    ? { ok: true, status: next }
    : { ok: false, reason: `a warning that is ${status.replace('_', ' ')} cannot be ${PAST[action]}` };
}

/** Open: issued or in force (it shows as a banner). */
export const isOpenWarning = (w: Pick<Warning, 'status'>): boolean => w.status === 'issued' || w.status === 'in_force';

/** upgraded / downgraded / null (same level). */
export function levelChange(from: WarningLevel, to: WarningLevel): 'upgraded' | 'downgraded' | null {
  const d = WARNING_LEVELS.indexOf(to) - WARNING_LEVELS.indexOf(from);
  return d > 0 ? 'upgraded' : d < 0 ? 'downgraded' : null;
}

const STATUS_ORDER: Record<WarningStatus, number> = { in_force: 0, issued: 1, lifted: 2, cancelled: 3 };

/** The list order: in force first, then issued (not yet started), then closed; higher level, then newest first. */
export function compareWarnings(a: Warning, b: Warning): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    WARNING_LEVELS.indexOf(b.level) - WARNING_LEVELS.indexOf(a.level) ||
    b.issuedAt - a.issuedAt ||
    b.id - a.id
  );
}

/** Does the warning cover this district? */
export const coversDistrict = (w: Pick<Warning, 'districts'>, district: string): boolean => w.districts.includes(district);

/** What an enterprise sees: the warning and its level, without the internal note, the history or who acted. */
export function warningForEnterprise(w: Warning): Warning {
  return { ...w, note: null, issuedBy: '', liftedBy: null, history: [] };
}

/** A warning the forecasts suggest (never issued by itself: the centre confirms it by issuing). */
export interface WarningProposal {
  kind: WarningKind;
  level: WarningLevel;
  basis: 'own_forecast';
  /** The consecutive forecast days that met the level's threshold. */
  run: { from: string; to: string; days: number };
  /** The highest forecast index in the run (AQI for heavy pollution, O3 IAQI for ozone). */
  peak: number;
  /** Suggested start (local 00:00 of the run's first day, or now if that has passed) and lift (00:00 after its last day). */
  startAt: number;
  plannedLiftAt: number;
  /** An open warning of the kind already at this level or higher covers it: shown for information only. */
  covered: boolean;
}

/** GET /api/warnings/proposals. */
export interface WarningProposals {
  /** Today's local date and the last date looked at. */
  horizon: { from: string; to: string };
  items: WarningProposal[];
}
