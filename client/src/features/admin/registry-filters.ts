/** Filters of the enterprise and source lists (pure; the views bind them to their controls). */
import type { Grade, OnboardingState } from '@domain/registry';
import { sourceDistrict } from '@domain/registry';
import type { SourceKind } from '@domain/source-kinds';
import type { EnterpriseSummary, SourceFile } from '../../api/registry';

export interface EnterpriseFilter {
  district: string;
  /** GB/T 4754 code prefix (C30 matches C3011). */
  industry: string;
  grade: Grade | '';
  keyUnit: 'yes' | 'no' | '';
  /** Part of the name or of the credit code. */
  search: string;
}

export const emptyEnterpriseFilter = (): EnterpriseFilter => ({ district: '', industry: '', grade: '', keyUnit: '', search: '' });

export function filterEnterprises(list: readonly EnterpriseSummary[], f: EnterpriseFilter): EnterpriseSummary[] {
  const q = f.search.trim().toLowerCase();
  const industry = f.industry.trim().toUpperCase();
  return list.filter(
    (e) =>
      (!f.district || e.district === f.district) &&
      (!industry || (e.industry?.code ?? '').toUpperCase().startsWith(industry)) &&
      (!f.grade || (e.grade ?? 'ungraded') === f.grade) &&
      (!f.keyUnit || (e.keyUnit ?? false) === (f.keyUnit === 'yes')) &&
      (!q || e.name.toLowerCase().includes(q) || (e.creditCode ?? '').toLowerCase().includes(q)),
  );
}

/** A source as the admin list shows it: with its enterprise's name and its district. */
export type SourceRow = SourceFile & { enterpriseName: string; districtName: string };

export interface SourceFilter {
  kind: SourceKind | '';
  district: string;
  enterpriseId: string;
  onboarding: OnboardingState | '';
  /** Part of the name or the MN. */
  search: string;
}

export const emptySourceFilter = (): SourceFilter => ({ kind: '', district: '', enterpriseId: '', onboarding: '', search: '' });

export function sourceRows(sources: readonly SourceFile[], enterprises: readonly EnterpriseSummary[]): SourceRow[] {
  const names = new Map(enterprises.map((e) => [e.id, e.name]));
  return sources.map((s) => ({ ...s, enterpriseName: names.get(s.enterpriseId) ?? '', districtName: sourceDistrict(s, enterprises) }));
}

export const onboardingOf = (s: Pick<SourceFile, 'onboarding'>): OnboardingState => s.onboarding?.status ?? 'networked';

export function filterSources(rows: readonly SourceRow[], f: SourceFilter): SourceRow[] {
  const q = f.search.trim().toLowerCase();
  return rows.filter(
    (s) =>
      (!f.kind || s.kind === f.kind) &&
      (!f.district || s.districtName === f.district) &&
      (!f.enterpriseId || s.enterpriseId === f.enterpriseId) &&
      (!f.onboarding || onboardingOf(s) === f.onboarding) &&
      (!q || s.name.toLowerCase().includes(q) || s.mn.toLowerCase().includes(q)),
  );
}

/** The distinct districts, in the bureau's order of first appearance. */
export const districtsOf = (enterprises: readonly { district: string }[]): string[] => [...new Set(enterprises.map((e) => e.district))];
