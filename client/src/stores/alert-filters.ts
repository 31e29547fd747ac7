/**
 * The wall's filters as pure functions (kept in the page's query string; applied to the alerts in
 * the browser, or turned into the server's query when the alerts are paged): 10,000 alerts can be
 * tested without a DOM.
 */
import { type Alert, type Severity, SEVERITIES } from '@domain/alert';
import { catalog } from '@domain/catalog';
import type { SourceView } from '@domain/events';
import { DEPARTMENTS, type Department } from '@domain/site-register';
import { SOURCE_KINDS, type SourceKind } from '@domain/source-kinds';

export const STATE_FILTERS = ['all', 'active', 'cleared'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface AlertFilters {
  district: string | null;
  kind: SourceKind | null;
  /** The department overseeing the source (catering kitchens, construction sites). */
  department: Department | null;
  enterpriseId: string | null;
  severities: Severity[];
  state: StateFilter;
  /** Closed alerts (resolved, or cleared and acknowledged) are hidden unless asked for. */
  showClosed: boolean;
  onlyUnacknowledged: boolean;
  /** Only the alerts assigned to the signed-in user. */
  assignedToMe: boolean;
  /** Free text: source, enterprise, MN, factor (code or name), rule, assignee. */
  q: string;
}

export const emptyFilters = (): AlertFilters => ({
  district: null,
  kind: null,
  department: null,
  enterpriseId: null,
  severities: [],
  state: 'all',
  showClosed: false,
  onlyUnacknowledged: false,
  assignedToMe: false,
  q: '',
});

/** The query string of the filters: only what differs from the defaults, so the plain wall has a plain URL. */
export function filtersToQuery(f: AlertFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.q.trim() !== '') q.q = f.q; // untrimmed: the round trip must not eat the space being typed
  if (f.district !== null) q.district = f.district;
  if (f.kind !== null) q.kind = f.kind;
  if (f.department !== null) q.department = f.department;
  if (f.enterpriseId !== null) q.enterprise = f.enterpriseId;
  if (f.severities.length > 0) q.severity = f.severities.join(',');
  if (f.state !== 'all') q.state = f.state;
  if (f.showClosed) q.closed = '1';
  if (f.onlyUnacknowledged) q.unacked = '1';
  if (f.assignedToMe) q.mine = '1';
  return q;
}

type QueryValue = string | null | (string | null)[] | undefined;
const one = (v: QueryValue): string | null => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.length > 0 && s.length <= 200 ? s : null;
};

/** Filters from a query string someone may have typed or edited: what does not parse is left at its default. */
export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>): AlertFilters {
  const f = emptyFilters();
  f.q = one(query.q)?.slice(0, 100) ?? '';
  f.district = one(query.district);
  const kind = one(query.kind);
  f.kind = SOURCE_KINDS.includes(kind as SourceKind) ? (kind as SourceKind) : null;
  const department = one(query.department);
  f.department = DEPARTMENTS.includes(department as Department) ? (department as Department) : null;
  f.enterpriseId = one(query.enterprise);
  const severities = (one(query.severity) ?? '').split(',').filter((s): s is Severity => SEVERITIES.includes(s as Severity));
  f.severities = [...new Set(severities)];
  const state = one(query.state);
  f.state = STATE_FILTERS.includes(state as StateFilter) ? (state as StateFilter) : 'all';
  f.showClosed = one(query.closed) === '1';
  f.onlyUnacknowledged = one(query.unacked) === '1';
  f.assignedToMe = one(query.mine) === '1';
  return f;
}

type SourceFacts = Pick<SourceView, 'name' | 'district' | 'kind' | 'enterpriseName' | 'site'>;

/** Everything the text search looks at, lower-cased once per alert. */
function haystack(a: Alert, s: SourceFacts | undefined): string {
  const f = catalog.get(a.factor);
  return [a.mn, a.factor, a.rule, a.assignee ?? '', f?.zh ?? '', f?.en ?? '', s?.name ?? '', s?.enterpriseName ?? '', a.enterpriseId]
    .join('\u0001')
    .toLowerCase();
}

/** `me`: the signed-in username, for "assigned to me". */
export function filterAlerts(
  alerts: readonly Alert[],
  f: AlertFilters,
  sources: ReadonlyMap<string, SourceFacts>,
  me: string | null = null,
): Alert[] {
  const q = f.q.trim().toLowerCase();
  const severities = f.severities.length > 0 ? new Set(f.severities) : null;
  return alerts.filter((a) => {
    if (!f.showClosed && a.closedAt !== null) return false;
    if (f.state !== 'all' && a.state !== f.state) return false;
    if (f.onlyUnacknowledged && a.acknowledgedAt !== null) return false;
    if (f.assignedToMe && (me === null || a.assignee !== me)) return false;
    if (severities && !severities.has(a.severity)) return false;
    if (f.enterpriseId !== null && a.enterpriseId !== f.enterpriseId) return false;
    const s = sources.get(a.mn);
    if (f.district !== null && s?.district !== f.district) return false;
    if (f.kind !== null && s?.kind !== f.kind) return false;
    if (f.department !== null && s?.site?.ownerDepartment !== f.department) return false;
    return q === '' || haystack(a, s).includes(q);
  });
}
