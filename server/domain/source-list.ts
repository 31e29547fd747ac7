/**
 * The registry's source list as the REST API pages it (issue 14; issue 20 needs 20,000 sources in
 * one browser): `GET /api/registry/sources` with a search, filters, one sort and a page. Shared by
 * the server (the query's zod schema) and the dashboard (the answer's shape). An enterprise user's
 * list is always its own sources, whatever filter it sends.
 */
import { z } from 'zod';
import { ONBOARDING_STATES, type OnboardingState, type Source } from './registry';
import type { SourceFile } from './registry-api';
import { DEPARTMENTS } from './site-register';
import { SOURCE_KINDS } from './source-kinds';

export const SOURCE_SORTS = ['registry', 'name', 'mn', 'enterprise', 'kind', 'district', 'onboarding', 'limits'] as const;
export type SourceSort = (typeof SOURCE_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const SOURCE_PAGE_MAX = 500;
export const SOURCE_PAGE_DEFAULT = 50;

/** An empty parameter (`?kind=`) is the same as none: a cleared filter in a URL. */
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(blankIsAbsent, z.coerce.number().int('must be a whole number').min(min).max(max).default(fallback));

export const sourceListQuerySchema = z
  .object({
    /** Part of the source's name, its MN or its enterprise's name (case-insensitive). */
    q: opt(z.string().trim().max(100)),
    kind: opt(z.enum(SOURCE_KINDS)),
    /** The source's district: its own, else its enterprise's. */
    district: opt(z.string().max(100)),
    enterpriseId: opt(z.string().max(100)),
    /** Onboarding state; a source without one is `networked`. */
    onboarding: opt(z.enum(ONBOARDING_STATES)),
    /** The department that oversees the source (catering kitchens, construction sites). */
    ownerDepartment: opt(z.enum(DEPARTMENTS)),
    /** `registry`: the order sources were added in. */
    sort: z.preprocess(blankIsAbsent, z.enum(SOURCE_SORTS).default('registry')),
    order: z.preprocess(blankIsAbsent, z.enum(SORT_ORDERS).default('asc')),
    /** 1-based. */
    page: int(1, 1_000_000, 1),
    pageSize: int(1, SOURCE_PAGE_MAX, SOURCE_PAGE_DEFAULT),
  })
  .strict();
export type SourceListQuery = z.infer<typeof sourceListQuerySchema>;
/** The query as a caller writes it (every field optional). */
export type SourceListParams = Partial<SourceListQuery>;

/** A source as the list shows it: its file (no credentials) and what is joined to it. */
export type SourceListItem = SourceFile & {
  enterpriseName: string;
  /** The district it lies in: its own, else its enterprise's. */
  districtName: string;
  /** Limits of its own: per-factor overrides plus dated ones. */
  limitsCount: number;
  onboardingState: OnboardingState;
};

export interface SourceListPage {
  items: SourceListItem[];
  /** How many match the filters (all pages). */
  total: number;
  page: number;
  pageSize: number;
}

export const onboardingStateOf = (s: Pick<Source, 'onboarding'>): OnboardingState => s.onboarding?.status ?? 'networked';

export const limitsCountOf = (s: Pick<Source, 'limits' | 'limitSchedule'>): number =>
  Object.keys(s.limits).length + (s.limitSchedule?.length ?? 0);

/** The source's file from a list item (what the edit form and the registry's PATCH take). */
export function sourceFileOfItem(item: SourceListItem): SourceFile {
  const { enterpriseName: _n, districtName: _d, limitsCount: _l, onboardingState: _o, ...file } = item;
  return file;
}
