/** Filters of the enterprise and source lists (pure; the views bind them to their controls). */
import { DEPARTMENTS } from '@domain/site-register';
import { ONBOARDING_STATES, type Grade, type OnboardingState } from '@domain/registry';
import {
  onboardingStateOf,
  SORT_ORDERS,
  SOURCE_PAGE_DEFAULT,
  SOURCE_PAGE_MAX,
  SOURCE_SORTS,
  type SourceListParams,
} from '@domain/source-list';
import { SOURCE_KINDS } from '@domain/source-kinds';
import type { EnterpriseSummary, SourceFile } from '../../api/registry';
import { positiveInt } from '../../composables/url-query';

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

/**
 * The source list's state as the URL holds it (strings; see composables/url-query): the filters
 * the server applies (GET /api/registry/sources), the sort and the page.
 */
export interface SourceListState {
  [key: string]: string;
  /** Part of the name, the MN or the enterprise's name. */
  q: string;
  kind: string;
  district: string;
  enterpriseId: string;
  onboarding: string;
  ownerDepartment: string;
  sort: string;
  order: string;
  page: string;
  pageSize: string;
}

export const emptySourceFilter = (): SourceListState => ({
  q: '',
  kind: '',
  district: '',
  enterpriseId: '',
  onboarding: '',
  ownerDepartment: '',
  sort: 'registry',
  order: 'asc',
  page: '1',
  pageSize: String(SOURCE_PAGE_DEFAULT),
});

const oneOf = <T extends string>(values: readonly T[], v: string): T | undefined =>
  (values as readonly string[]).includes(v) ? (v as T) : undefined;

/** The request for a state; a value the server would refuse (a hand-edited URL) is left out, not sent. */
export function sourceListParams(s: SourceListState): SourceListParams {
  const text = (v: string, max = 100) => (v.trim() === '' ? undefined : v.trim().slice(0, max));
  return {
    q: text(s.q),
    kind: oneOf(SOURCE_KINDS, s.kind),
    district: text(s.district),
    enterpriseId: text(s.enterpriseId),
    onboarding: oneOf(ONBOARDING_STATES, s.onboarding),
    ownerDepartment: oneOf(DEPARTMENTS, s.ownerDepartment),
    sort: oneOf(SOURCE_SORTS, s.sort),
    order: oneOf(SORT_ORDERS, s.order),
    page: positiveInt(s.page, 1),
    pageSize: positiveInt(s.pageSize, SOURCE_PAGE_DEFAULT, SOURCE_PAGE_MAX),
  };
}

export const onboardingOf = (s: Pick<SourceFile, 'onboarding'>): OnboardingState => onboardingStateOf(s);

/** The distinct districts, in the bureau's order of first appearance. */
export const districtsOf = (enterprises: readonly { district: string }[]): string[] => [...new Set(enterprises.map((e) => e.district))];
