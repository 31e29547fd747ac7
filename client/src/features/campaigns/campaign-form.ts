/** The campaign form's rules, checked as the user types (the server checks again and may refuse by field). */
import type { CampaignLevel } from '@domain/campaign';
import type { SourceKind } from '@domain/source-kinds';
import type { CampaignRequest } from '../../api/campaigns';
import { ApiError } from '../../api/rest';

export interface CampaignForm {
  name: string;
  level: CampaignLevel;
  from: Date | null;
  to: Date | null;
  enterpriseIds: string[];
  kinds: SourceKind[];
  districts: string[];
  measures: string[];
  /** As typed; '' = the server's default. */
  reductionPct: string;
  note: string;
}

export type CampaignField = 'name' | 'level' | 'from' | 'to' | 'target' | 'measures' | 'reductionPct' | 'note';
export type CampaignErrorKey = 'required' | 'tooLong' | 'toBeforeFrom' | 'toPast' | 'targetRequired' | 'measuresRequired' | 'pctRange';
export type CampaignErrors = Partial<Record<CampaignField, CampaignErrorKey>>;

export const MAX_NAME = 200;
export const MAX_NOTE = 2000;

export function validateCampaign(f: CampaignForm, now: number): CampaignErrors {
  const e: CampaignErrors = {};
  if (f.name.trim() === '') e.name = 'required';
  else if (f.name.trim().length > MAX_NAME) e.name = 'tooLong';
  if (!f.from) e.from = 'required';
  if (!f.to) e.to = 'required';
  else if (f.from && f.to.getTime() <= f.from.getTime()) e.to = 'toBeforeFrom';
  else if (f.to.getTime() <= now) e.to = 'toPast';
  if (f.enterpriseIds.length + f.kinds.length + f.districts.length === 0) e.target = 'targetRequired';
  if (f.measures.length === 0) e.measures = 'measuresRequired';
  if (f.reductionPct.trim() !== '') {
    const p = Number(f.reductionPct.trim());
    if (!Number.isFinite(p) || p <= 0 || p > 100) e.reductionPct = 'pctRange';
  }
  if (f.note.trim().length > MAX_NOTE) e.note = 'tooLong';
  return e;
}

/** The request body of a valid form (only the parts of the target that were chosen). */
export function campaignRequest(f: CampaignForm): CampaignRequest {
  const note = f.note.trim();
  return {
    name: f.name.trim(),
    level: f.level,
    from: f.from?.getTime() ?? 0,
    to: f.to?.getTime() ?? 0,
    target: {
      ...(f.enterpriseIds.length ? { enterpriseIds: f.enterpriseIds } : {}),
      ...(f.kinds.length ? { kinds: f.kinds } : {}),
      ...(f.districts.length ? { districts: f.districts } : {}),
    },
    measures: f.measures,
    ...(f.reductionPct.trim() ? { reductionPct: Number(f.reductionPct.trim()) } : {}),
    ...(note ? { note } : {}),
  };
}

const FIELDS = new Set<string>(['name', 'level', 'from', 'to', 'target', 'measures', 'reductionPct', 'note']);

/**
 * Where a refusal goes and what it says: the first zod issue's field and its own message
 * ("unknown enterprise …"), else the `field: message` of the server's own checks; null = the form.
 */
export function campaignRefusal(err: unknown): { field: CampaignField | null; message: string } {
  if (!(err instanceof ApiError)) return { field: null, message: String(err) };
  const issues = (err.body as { issues?: { path?: unknown[]; message?: string }[] } | null)?.issues;
  const first = Array.isArray(issues) ? issues[0] : undefined;
  const field = err.field !== null && FIELDS.has(err.field) ? (err.field as CampaignField) : null;
  return { field, message: first?.message ?? err.message };
}
