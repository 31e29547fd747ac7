/**
 * The issue-a-warning form (pure): its draft, the checks made as it is typed (message keys under
 * warnings.form.error), the request it sends, a draft prefilled from a forecast proposal, and a
 * refusal in the user's words (never the server's English text).
 */
import type { WarningBasis, WarningKind, WarningLevel, WarningProposal } from '@domain/warning';
import type { IssueRequest } from '../../api/warnings';
import { ApiError } from '../../api/rest';

export interface WarningDraft {
  kind: WarningKind;
  level: WarningLevel;
  basis: WarningBasis;
  districts: string[];
  start: Date | null;
  plannedLift: Date | null;
  note: string;
}

export type WarningField = 'districts' | 'start' | 'plannedLift';

export const emptyDraft = (now: number): WarningDraft => ({
  kind: 'heavy_pollution',
  level: 'yellow',
  basis: 'city_notice',
  districts: [],
  start: new Date(now),
  plannedLift: null,
  note: '',
});

/** A proposal confirmed by the centre: the form prefilled (every district; the centre narrows it). */
export const draftOfProposal = (p: WarningProposal, districts: readonly string[]): WarningDraft => ({
  kind: p.kind,
  level: p.level,
  basis: 'own_forecast',
  districts: [...districts],
  start: new Date(p.startAt),
  plannedLift: new Date(p.plannedLiftAt),
  note: '',
});

export function validateDraft(d: WarningDraft): Partial<Record<WarningField, string>> {
  const errors: Partial<Record<WarningField, string>> = {};
  if (d.districts.length === 0) errors.districts = 'districts';
  if (!d.start) errors.start = 'start';
  if (d.start && d.plannedLift && d.plannedLift.getTime() <= d.start.getTime()) errors.plannedLift = 'plannedLift';
  return errors;
}

export function issueRequest(d: WarningDraft): IssueRequest {
  return {
    kind: d.kind,
    level: d.level,
    basis: d.basis,
    districts: [...d.districts],
    startAt: (d.start as Date).getTime(),
    plannedLiftAt: d.plannedLift ? d.plannedLift.getTime() : null,
    ...(d.note.trim() ? { note: d.note.trim() } : {}),
  };
}

/** The message key (under warnings.refusal) of a failed request. */
export function refusalKey(err: unknown): 'conflict' | 'invalid' | 'forbidden' | 'failed' {
  if (!(err instanceof ApiError)) return 'failed';
  if (err.status === 409) return 'conflict';
  if (err.status === 400) return 'invalid';
  if (err.status === 403) return 'forbidden';
  return 'failed';
}
