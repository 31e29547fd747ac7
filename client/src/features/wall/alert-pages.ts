/**
 * The wall of a province (more open alerts than a snapshot carries, `alertsPaged`): the alerts are
 * paged from the server in the wall's order (GET /api/alerts?sort=attention&…) and the rows loaded
 * so far are always the first ones of that order, so a live change can be placed exactly: a changed
 * alert among them is replaced (and moved if its rank changed), one that no longer matches the
 * filters leaves, a new one that matches comes in where it ranks — unless it ranks after the last
 * row loaded while more are still on the server (it will come with its page). Pure.
 */
import { type Alert, byAttention } from '@domain/alert';
import { emptyFilters, type AlertFilters } from '../../stores/alert-filters';

export const ALERT_PAGE = 200;

/** The query of the wall's filters (the server's filters of the same names). */
export function pageQuery(f: AlertFilters, me: string | null, offset: number, limit = ALERT_PAGE): URLSearchParams {
  const q = new URLSearchParams({ sort: 'attention', limit: String(limit), offset: String(offset) });
  if (!f.showClosed) q.set('open', 'true');
  if (f.state !== 'all') q.set('state', f.state);
  if (f.onlyUnacknowledged) q.set('acknowledged', 'false');
  // Nobody signed in: nothing is "mine" (an assignee no user has).
  if (f.assignedToMe) q.set('assignee', me ?? '-');
  if (f.severities.length > 0) q.set('severity', f.severities.join(','));
  if (f.enterpriseId !== null) q.set('enterpriseId', f.enterpriseId);
  if (f.district !== null) q.set('district', f.district);
  if (f.kind !== null) q.set('kind', f.kind);
  if (f.department !== null) q.set('department', f.department);
  const text = f.q.trim();
  if (text !== '') q.set('q', text);
  return q;
}

/**
 * The first page of the open alerts in the wall's order: the unfiltered wall's first page, and the
 * dashboard's first REST load (its total, the open count, tells whether the alerts are paged).
 */
export const openFirstPage = (): URLSearchParams => pageQuery(emptyFilters(), null, 0);

/** The counts of the wall's header: open, and open and active. */
export const OPEN_COUNT = new URLSearchParams({ open: 'true', limit: '1' });
export const ACTIVE_COUNT = new URLSearchParams({ open: 'true', state: 'active', limit: '1' });

/** What a query counts (its filters, not its order or page): two queries of one key have one total. */
export function countKey(query: URLSearchParams): string {
  const q = new URLSearchParams(query);
  for (const k of ['sort', 'limit', 'offset']) q.delete(k);
  q.sort();
  return q.toString();
}

export interface LoadedRows {
  /** The first rows of the order, as loaded and kept up to date. */
  rows: readonly Alert[];
  /** How many match on the server (the rows loaded and those still to load). */
  total: number;
}

/** `alert` changed (`matches`: it passes the filters now). The rows and the total after it. */
export function patchRows(loaded: LoadedRows, alert: Alert, matches: boolean): LoadedRows {
  const at = loaded.rows.findIndex((a) => a.id === alert.id);
  const rows = at >= 0 ? [...loaded.rows.slice(0, at), ...loaded.rows.slice(at + 1)] : [...loaded.rows];
  let total = loaded.total;
  if (at >= 0 && !matches) return { rows, total: Math.max(rows.length, total - 1) };
  if (!matches) return loaded;
  const complete = loaded.rows.length >= loaded.total;
  const place = rows.findIndex((a) => byAttention(alert, a) < 0);
  if (at < 0) total += 1;
  // After the last row loaded while more wait on the server: it comes with its page.
  if (place < 0 && !complete) return { rows, total: Math.max(rows.length, total) };
  rows.splice(place < 0 ? rows.length : place, 0, alert);
  return { rows, total: Math.max(rows.length, total) };
}

/** The next page to load for a list showing up to row `end` (exclusive); null when none is needed. */
export function nextOffset(loaded: LoadedRows, end: number): number | null {
  if (loaded.rows.length >= loaded.total || end <= loaded.rows.length) return null;
  return loaded.rows.length;
}
