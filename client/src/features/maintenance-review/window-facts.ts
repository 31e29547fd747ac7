/** What the review page and the enterprise's list show of a maintenance window, and what may be done with it (pure). */
import { MAINTENANCE_STATUSES, type MaintenanceStatus, type MaintenanceWindow } from '@domain/alert';

export type WindowPhase = 'current' | 'upcoming' | 'past';
export type ReviewFilter = 'all' | MaintenanceStatus;
export const REVIEW_FILTERS: readonly ReviewFilter[] = [...MAINTENANCE_STATUSES, 'all'];

export const phaseOf = (w: MaintenanceWindow, now: number): WindowPhase => (w.to <= now ? 'past' : w.from > now ? 'upcoming' : 'current');

/** Its length in hours, to one decimal. */
export const hoursOf = (w: MaintenanceWindow): number => Math.round((w.to - w.from) / 360_000) / 10;

/** An officer may approve a window not yet approved that has not run out or been ended. */
export const mayApprove = (w: MaintenanceWindow, now: number): boolean => w.status !== 'approved' && w.endedAt === null && w.to > now;
/** ... reject one pending, or withdraw an approval while it still runs or is to come. */
export const mayReject = (w: MaintenanceWindow, now: number): boolean =>
  w.status === 'pending' || (w.status === 'approved' && w.endedAt === null && w.to > now);
/** ... end one not over (the enterprise may end its own too: withdraw a declaration, or end early). */
export const mayEnd = (w: MaintenanceWindow, now: number): boolean => w.status !== 'rejected' && w.endedAt === null && w.to > now;

/** Waiting for an officer: pending, neither withdrawn (ended) nor run out. */
export const awaitsReview = (w: MaintenanceWindow, now: number): boolean => w.status === 'pending' && w.endedAt === null && w.to > now;

/** 'pending' shows what still waits for an officer; a withdrawn or run-out declaration is under 'all' only. */
export const filterWindows = (list: readonly MaintenanceWindow[], f: ReviewFilter, now: number): MaintenanceWindow[] =>
  f === 'all' ? [...list] : list.filter((w) => (f === 'pending' ? awaitsReview(w, now) : w.status === f));
