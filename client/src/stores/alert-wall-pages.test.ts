import { type Alert, byAttention } from '@domain/alert';
import { SNAPSHOT_ALERTS_MAX } from '@domain/events';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert } from '../testing/fixtures';
import { emptyFilters } from './alert-filters';
import { useAlertWallPagesStore } from './alert-wall-pages';
import { useAlertsStore } from './alerts';
import { useSourcesStore } from './sources';

const OPEN = SNAPSHOT_ALERTS_MAX + 100;
const ACTIVE = 321;
const FIRST = '/api/alerts?sort=attention&limit=200&offset=0&open=true';
const ACTIVE_URL = '/api/alerts?open=true&state=active&limit=1';
const OPEN_URL = '/api/alerts?open=true&limit=1';
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const rows = (from: number, n: number): Alert[] => Array.from({ length: n }, (_, i) => makeAlert({ id: from + i }));

/**
 * A server of GET /api/alerts: each URL asked, in order; the answer of one query (by default: open
 * alerts, `ACTIVE` of them active, 7 of a severity); `hold` keeps the answers back until `release`.
 */
function server() {
  const urls: string[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    const q = new URL(url, 'http://x').searchParams;
    const severity = q.get('severity');
    const total = q.get('state') === 'active' ? ACTIVE : severity ? 7 : OPEN;
    const from = severity === 'critical' ? 9000 : severity ? 8000 : 1;
    const body = { items: rows(from, Math.min(total, Number(q.get('limit')))), total };
    if (holding) await new Promise<void>((r) => held.push(r));
    return json(body);
  }) as typeof fetch;
  return {
    urls,
    fetchFn,
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      held.splice(0).forEach((r) => r());
    },
  };
}

describe('the wall paged from the server', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    // Every source held: the rows' sources are not fetched.
    useSourcesStore().applySnapshot([]);
  });

  /** A province's snapshot: the first open alerts in the wall's order, and how many are open. */
  const pagedSnapshot = (seq = 1) =>
    useAlertsStore().applySnapshot({ seq, alerts: rows(1, SNAPSHOT_ALERTS_MAX), alertsPaged: true, openAlerts: OPEN });
  const critical = { ...emptyFilters(), severities: ['critical' as const] };
  const CRITICAL_FIRST = '/api/alerts?sort=attention&limit=200&offset=0&open=true&severity=critical';

  it('a snapshot that pages and the watch it wakes load the first page once; with a filter the page tells only the matching count', async () => {
    const { urls, fetchFn } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    // The snapshot tells the listener (→ reload) and flips `paged` (the wall's watch → reload), in one task.
    pagedSnapshot();
    pages.reload(critical);
    pages.reload(critical);
    await vi.waitFor(() => expect(pages.counts).toEqual({ open: OPEN, active: ACTIVE }));
    expect(urls).toEqual([CRITICAL_FIRST, OPEN_URL, ACTIVE_URL]);
    expect([pages.rows.length, pages.total, pages.loading]).toEqual([7, 7, false]);
  });

  it('unfiltered, the snapshot’s alerts are the first page and its open count the total: only the active count is asked', async () => {
    const { urls, fetchFn } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    pagedSnapshot();
    pages.reload(emptyFilters());
    await vi.waitFor(() => expect(pages.counts).toEqual({ open: OPEN, active: ACTIVE }));
    expect(urls).toEqual([ACTIVE_URL]);
    expect([pages.rows.length, pages.total, pages.loading]).toEqual([200, OPEN, false]);
    expect(pages.rows.map((a) => a.id)).toEqual(
      rows(1, SNAPSHOT_ALERTS_MAX)
        .sort(byAttention)
        .slice(0, 200)
        .map((a) => a.id),
    );
    // A change since: the filters set and cleared again ask the first page of the server.
    useAlertsStore().upsert(makeAlert({ id: 1, lastSeenAt: Date.now() }));
    pages.reload(critical);
    await vi.waitFor(() => expect(urls).toContain(CRITICAL_FIRST));
    pages.reload(emptyFilters());
    await vi.waitFor(() => expect(urls).toContain(FIRST));
    expect(urls.filter((u) => u === FIRST)).toHaveLength(1);
  });

  it('the answer of a load superseded by new filters is dropped', async () => {
    const { urls, fetchFn, hold, release } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    pagedSnapshot();
    hold();
    pages.reload({ ...emptyFilters(), severities: ['warning'] });
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    pages.reload(critical);
    await vi.waitFor(() => expect(urls).toHaveLength(2));
    release();
    await vi.waitFor(() => expect(pages.counts).not.toBeNull());
    expect(pages.rows.map((a) => a.id)).toEqual(rows(9000, 7).map((a) => a.id));
    expect(pages.total).toBe(7);
  });

  it('after a change the counts are asked again once: the unfiltered matching count is the open count', async () => {
    const { urls, fetchFn } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    pagedSnapshot();
    await vi.waitFor(() => expect(pages.counts).not.toBeNull());
    urls.length = 0;
    const alerts = useAlertsStore();
    alerts.upsert(makeAlert({ id: 1, lastSeenAt: Date.now() }));
    alerts.upsert(makeAlert({ id: 2, lastSeenAt: Date.now() }));
    await vi.waitFor(() => expect(urls).toHaveLength(2), { timeout: 3000 });
    expect(urls.sort()).toEqual(['/api/alerts?sort=attention&limit=1&offset=0&open=true', ACTIVE_URL].sort());
  });

  it('before any snapshot the first REST load is the first page: shown without asking it again', async () => {
    const { urls, fetchFn } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    const alerts = useAlertsStore();
    alerts.hydrate(rows(1, 200), OPEN);
    expect(alerts.paged).toBe(true);
    pages.reload(emptyFilters());
    await vi.waitFor(() => expect(pages.counts).toEqual({ open: OPEN, active: ACTIVE }));
    expect(urls).toEqual([ACTIVE_URL]);
    expect([pages.rows.length, pages.total]).toEqual([200, OPEN]);
    // The snapshot still replaces everything: its alerts become the rows (with a filter: asked afresh,
    // the rows shown meanwhile).
    useAlertsStore().applySnapshot({ seq: 1, alerts: rows(1001, SNAPSHOT_ALERTS_MAX), alertsPaged: true, openAlerts: OPEN });
    await vi.waitFor(() => expect(pages.rows[0]?.id).toBe(1001 + SNAPSHOT_ALERTS_MAX - 1));
    expect(urls).toEqual([ACTIVE_URL, ACTIVE_URL]);
    pages.reload(critical);
    expect(pages.rows).toHaveLength(0);
    await vi.waitFor(() => expect(pages.rows).toHaveLength(7));
  });

  it('not paged (a city): a snapshot and alert changes ask nothing', async () => {
    const { urls, fetchFn } = server();
    const pages = useAlertWallPagesStore();
    pages.watchAlerts(fetchFn);
    const alerts = useAlertsStore();
    alerts.applySnapshot({ seq: 1, alerts: rows(1, 3) });
    alerts.upsert(makeAlert({ id: 1, lastSeenAt: Date.now() }));
    // A paged snapshot afterwards does load: nothing was pending before it.
    pagedSnapshot();
    await vi.waitFor(() => expect(pages.counts).not.toBeNull());
    expect(urls).toEqual([ACTIVE_URL]);
  });

  it('the wall left: its rows are dropped, and a load under way then is not taken', async () => {
    const { urls, fetchFn, hold, release } = server();
    const pages = useAlertWallPagesStore();
    const stop = pages.watchAlerts(fetchFn);
    hold();
    pagedSnapshot();
    pages.reload({ ...emptyFilters(), severities: ['warning'] });
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    stop();
    expect([pages.rows.length, pages.counts, pages.loading]).toEqual([0, null, false]);
    // Shown again with a filter: the earlier answer, released now too, never becomes its rows.
    pages.watchAlerts(fetchFn);
    pages.reload(critical);
    release();
    await vi.waitFor(() => expect(pages.counts).not.toBeNull());
    expect(pages.rows.map((a) => a.id)).toEqual(rows(9000, 7).map((a) => a.id));
  });
});
