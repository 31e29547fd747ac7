/**
 * The source list filtered and paged on the server (GET /api/sources?…): at a province's 20,000
 * outlets a screen asks for one page, or the sources of one status, kind, enterprise or district,
 * rather than the whole list. Pure: the views in, the page and how many matched out.
 */
import type { SourceStatusKind, SourceView } from './events';
import type { SourceKind } from './source-kinds';

export interface SourceQuery {
  /** Part of the MN, the name or the enterprise's name (case-insensitive). */
  q?: string | undefined;
  status?: readonly SourceStatusKind[] | undefined;
  kind?: readonly SourceKind[] | undefined;
  enterpriseId?: string | undefined;
  district?: string | undefined;
  /** These sources only (the cards in view on the overview). */
  mn?: readonly string[] | undefined;
  /** Undefined: every match from `offset` on. */
  limit?: number | undefined;
  offset: number;
}

export interface SourcePage {
  items: SourceView[];
  /** Sources that matched, before paging. */
  total: number;
}

/**
 * A source as the overview's map and its list of cards hold it (GET /api/sources/points): compact,
 * so a province's 20,000 outlets come in about a megabyte. The cards in view then ask for their
 * sources by MN (`SourceQuery.mn`).
 */
export type SourcePoint = [mn: string, lon: number, lat: number, status: SourceStatusKind, enterpriseId: string];

/** Does a source match the query's conditions on its registry facts (all but its status)? */
export function factsMatcher(query: SourceQuery): (s: Omit<SourceView, 'status' | 'latest'>) => boolean {
  const text = query.q?.toLowerCase();
  const kind = query.kind ? new Set(query.kind) : null;
  const mns = query.mn ? new Set(query.mn) : null;
  return (s) =>
    (kind === null || kind.has(s.kind)) &&
    (mns === null || mns.has(s.mn)) &&
    (query.enterpriseId === undefined || s.enterpriseId === query.enterpriseId) &&
    (query.district === undefined || s.district === query.district) &&
    (text === undefined ||
      s.mn.toLowerCase().includes(text) ||
      s.name.toLowerCase().includes(text) ||
      s.enterpriseName.toLowerCase().includes(text));
}

function matcher(query: SourceQuery): (s: SourceView) => boolean {
  const facts = factsMatcher(query);
  const status = query.status ? new Set(query.status) : null;
  return (s) => (status === null || status.has(s.status)) && facts(s);
}

/** The page of the views (in their order) that match the query. */
export function querySources(views: readonly SourceView[], query: SourceQuery): SourcePage {
  const matches = views.filter(matcher(query));
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  return { items: matches.slice(query.offset, end), total: matches.length };
}
