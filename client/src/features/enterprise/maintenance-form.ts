/** The maintenance declaration form's rules, checked as the user types (the server checks again). */

export const MAX_WINDOW_MS = 31 * 86_400_000;
/** How far behind now an enterprise's start may lie (clock skew; the server allows 5 min). */
export const START_SKEW_MS = 4 * 60_000;
export const MAX_REASON = 500;

export interface MaintenanceForm {
  /** A source's MN, or '*' for the whole enterprise. */
  scope: string;
  from: Date | null;
  to: Date | null;
  reason: string;
}

export type MaintenanceField = 'scope' | 'from' | 'to' | 'reason';
export type FormErrorKey = 'required' | 'fromPast' | 'toBeforeFrom' | 'toPast' | 'tooLong' | 'reasonTooLong';
export type MaintenanceErrors = Partial<Record<MaintenanceField, FormErrorKey>>;

export function validateMaintenance(f: MaintenanceForm, now: number): MaintenanceErrors {
  const e: MaintenanceErrors = {};
  if (!f.from) e.from = 'required';
  else if (f.from.getTime() < now - START_SKEW_MS) e.from = 'fromPast';
  if (!f.to) e.to = 'required';
  else if (f.to.getTime() <= now) e.to = 'toPast';
  if (f.from && f.to && !e.to) {
    if (f.to.getTime() <= f.from.getTime()) e.to = 'toBeforeFrom';
    else if (f.to.getTime() - f.from.getTime() > MAX_WINDOW_MS) e.to = 'tooLong';
  }
  if (f.reason.trim() === '') e.reason = 'required';
  else if (f.reason.trim().length > MAX_REASON) e.reason = 'reasonTooLong';
  return e;
}

/** Which form field a server refusal is about (its `field`), so it shows next to that field. */
export function formFieldOf(serverField: string | null): MaintenanceField | null {
  switch (serverField) {
    case 'mn':
    case 'enterpriseId':
      return 'scope';
    case 'from':
    case 'to':
    case 'reason':
      return serverField;
    default:
      return null;
  }
}
