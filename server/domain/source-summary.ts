/**
 * The overview's figures without the list (GET /api/sources/summary): how many sources there are
 * by status, kind, district and industry, and how many alerts are open, active, waiting for an
 * officer and of each severity — so a page at a province's 20,000 outlets shows its counts from a
 * few hundred bytes. Pure: the caller's views and open alerts in, the counts out.
 */
import { SEVERITIES, needsAttention, type Alert, type Severity } from './alert';
import { SOURCE_STATUSES, type SourceStatusKind, type SourceView } from './events';
import { SOURCE_KINDS, type SourceKind } from './source-kinds';

export interface StatusCounts {
  total: number;
  byStatus: Record<SourceStatusKind, number>;
}

export interface SourceSummary extends StatusCounts {
  byKind: Record<SourceKind, number>;
  /** Districts by name, most sources first. */
  byDistrict: ({ district: string } & StatusCounts)[];
  /** Industries (GB/T 4754) of the sources' enterprises, most sources first; `code` null: not recorded. */
  byIndustry: { code: string | null; name: string | null; total: number }[];
  alerts: { open: number; active: number; unacknowledged: number; bySeverity: Record<Severity, number> };
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const counts = (): StatusCounts => ({ total: 0, byStatus: zeros(SOURCE_STATUSES) });
const tally = (c: StatusCounts, s: SourceStatusKind) => {
  c.total += 1;
  c.byStatus[s] += 1;
};

export function summarizeSources(
  views: Iterable<Pick<SourceView, 'status' | 'kind' | 'district' | 'enterpriseId'>>,
  industryOf: (enterpriseId: string) => { code: string; name: string } | undefined,
  openAlerts: Iterable<Pick<Alert, 'state' | 'severity' | 'closedAt' | 'acknowledgedAt'>>,
): SourceSummary {
  const all = counts();
  const byKind = zeros(SOURCE_KINDS);
  const districts = new Map<string, StatusCounts>();
  const industries = new Map<string | null, { code: string | null; name: string | null; total: number }>();
  for (const v of views) {
    tally(all, v.status);
    byKind[v.kind] += 1;
    let d = districts.get(v.district);
    if (!d) districts.set(v.district, (d = counts()));
    tally(d, v.status);
    const ind = industryOf(v.enterpriseId);
    const key = ind?.code ?? null;
    const i = industries.get(key) ?? { code: key, name: ind?.name ?? null, total: 0 };
    i.total += 1;
    industries.set(key, i);
  }
  const alerts = { open: 0, active: 0, unacknowledged: 0, bySeverity: zeros(SEVERITIES) };
  for (const a of openAlerts) {
    if (a.closedAt !== null) continue;
    alerts.open += 1;
    if (a.state === 'active') alerts.active += 1;
    if (needsAttention(a)) alerts.unacknowledged += 1;
    alerts.bySeverity[a.severity] += 1;
  }
  const byTotal = <T extends { total: number }>(a: T, b: T) => b.total - a.total;
  return {
    ...all,
    byKind,
    byDistrict: [...districts]
      .map(([district, c]) => ({ district, ...c }))
      .sort((a, b) => byTotal(a, b) || a.district.localeCompare(b.district)),
    byIndustry: [...industries.values()].sort(byTotal),
    alerts,
  };
}
