/**
 * The source registry as the dashboard shows it, with each source's latest values. A snapshot
 * replaces the list; `reading:batch` replaces the latest values of the sources that reported.
 *
 * Status: the server's status arrives only with snapshots, so between snapshots it is kept honest
 * from what the client does see (server/domain/source-status.ts, the one place status is computed):
 * a source that reports is no longer offline / without data, a source whose logger's last connection
 * closed (`logger:status` offline) is offline at once, and a source is exceeding exactly while it has
 * an active alert (once the alert list is in sync).
 *
 * After a reconnect that resumed (the server replayed the missed alert changes, no snapshot), the
 * list is fetched afresh over REST (`refresh`): a `sources:changed` may have been missed meanwhile.
 *
 * Latest values live apart from the list (`latestOf`, `view`): a reading batch (every 100 ms at a
 * province's 700 readings a second) touches only the sources that reported, so the cards showing
 * them re-render, while the list, the statuses and their counts are recomputed only when a status or
 * the registry changes. A view in `byMn` or `list` keeps the latest values of the list it came with.
 *
 * A province (`sourcesOnRest`: the socket's snapshot leaves the list out) never takes the whole list
 * on the start path (about 12 MB of JSON at 20,000 outlets): `lookup` / `view` fetch the sources
 * shown by MN (a row's name, a drawer, a source's page: source-lookup.ts, ≤ 200 a request) into
 * `byMn`, which then holds only those (`complete` false). A page that needs every source (a select of
 * all outlets, the enterprises' names) calls `wantAll` (use-source-list.ts): the whole list is fetched
 * then, once.
 */
import type { LatestValues, LoggerStatusEvent, SourceView } from '@domain/events';
import { statusAfterReading, statusWithAlerts } from '@domain/source-status';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import { fetchSources } from '../api/rest';
import { fetchSourcesByMn, MNS_PER_REQUEST } from '../api/sources';
import { useAlertsStore } from './alerts';
import { sourceLookup } from './source-lookup';

export interface BatchResult {
  applied: number;
  /** Values for an MN the registry does not list (registry changed since the snapshot). */
  unknown: string[];
  /** Values older than the ones already shown (out-of-order delivery). */
  older: number;
}

export const useSourcesStore = defineStore('sources', () => {
  const alerts = useAlertsStore();
  const byMn = shallowReactive(new Map<string, SourceView>());
  /** Latest values newer than the list's, by MN (each read tracks its own MN only). */
  const latestByMn = shallowReactive(new Map<string, LatestValues>());
  /** The registry's version of the last change announced (`sources:changed`); 0 before any. */
  const registryVersion = ref(0);
  /** Bumped whenever the whole list is replaced: a list fetched before that is older than the one shown. */
  const replaced = ref(0);
  let inflight: Promise<boolean> | null = null;
  /** `byMn` holds every source the user may see (a snapshot or the whole list fetched). */
  const complete = ref(false);
  /** The registry is a province's: sources come by MN unless a page wants them all. */
  const onDemand = ref(false);
  /** A page asked for every source (`wantAll`): a province's list is fetched, and again after a registry change. */
  let wanted = false;
  /** How the whole list is fetched (a test passes its own). */
  let fetchAll: () => Promise<SourceView[]> = () => fetchSources();
  const lookups = sourceLookup({
    fetchByMn: (mns) => fetchSourcesByMn(mns),
    per: MNS_PER_REQUEST,
    onViews: (views, asked) => {
      if (complete.value) return;
      for (const v of views) if (!byMn.has(v.mn)) byMn.set(v.mn, v);
      for (const mn of asked) if (!byMn.has(mn)) absent.add(mn);
    },
  });
  /** MNs asked for by MN that the server did not return (unknown, or not the user's). */
  const absent = shallowReactive(new Set<string>());

  /** Sources in registry order, each with its current status. */
  const list = computed(() =>
    [...byMn.values()].map((s) => ({ ...s, status: statusWithAlerts(s.status, alerts.synced ? alerts.activeMns.has(s.mn) : null) })),
  );
  const enterpriseNames = computed(() => new Map([...byMn.values()].map((s) => [s.enterpriseId, s.enterpriseName])));

  /** A source's newest values (from the list or a reading batch since). */
  const latestOf = (mn: string): LatestValues | null => latestByMn.get(mn) ?? byMn.get(mn)?.latest ?? null;

  /** One source (registry facts and status), fetched by MN if the dashboard does not hold it yet. */
  function lookup(mn: string): SourceView | undefined {
    const s = byMn.get(mn);
    if (s === undefined && !complete.value) lookups.ask(mn);
    return s;
  }

  /** The source is known not to exist for this user (the whole list lacks it, or the server said so by MN). */
  const isAbsent = (mn: string): boolean => !byMn.has(mn) && (complete.value ? byMn.size > 0 : absent.has(mn));

  /** Sources about to be shown (a page of alerts): asked for together now, not row by row as they render. */
  function prefetch(mns: Iterable<string>): void {
    if (!complete.value) for (const mn of mns) if (!byMn.has(mn)) lookups.ask(mn);
  }

  /** One source as shown now: its view with its newest values (fetched by MN if not held yet). */
  function view(mn: string): SourceView | undefined {
    const s = lookup(mn);
    return s && { ...s, latest: latestOf(mn) };
  }

  function applySnapshot(sources: readonly SourceView[]): void {
    byMn.clear();
    latestByMn.clear();
    for (const s of sources) byMn.set(s.mn, s);
    replaced.value += 1;
    complete.value = true;
    onDemand.value = false;
  }

  /**
   * The list is too large for the socket (`sourcesOnRest`): from now on sources come by MN, and the
   * whole list only for a page that wants it. A registry change drops what was held (fetched anew);
   * another snapshot (a resync) keeps it: the sources fetched by MN are not asked for again.
   */
  function goOnDemand(registryChanged = false): void {
    onDemand.value = true;
    if (registryChanged) {
      byMn.clear();
      latestByMn.clear();
      lookups.reset();
      absent.clear();
      complete.value = false;
      replaced.value += 1;
    }
    if (wanted && !complete.value) void refresh(fetchAll).catch((err: unknown) => console.warn('[sources] list not fetched', err));
  }

  /**
   * A page needs every source: fetched now if the dashboard does not hold them (a province), else
   * nothing (a snapshot brought them). Before the socket's first snapshot it waits for it.
   */
  function wantAll(fetchList?: () => Promise<SourceView[]>): void {
    if (fetchList) fetchAll = fetchList;
    wanted = true;
    if (onDemand.value && !complete.value) void refresh(fetchAll).catch((err: unknown) => console.warn('[sources] list not fetched', err));
  }

  /**
   * The list afresh from `fetchList` (REST). Dropped (false) if a snapshot or a registry change came
   * while it was fetched (they are newer); a source keeps latest values newer than the fetched ones
   * (a reading batch that came meanwhile). A refresh asked for while one is under way shares it.
   */
  function refresh(fetchList: () => Promise<SourceView[]>): Promise<boolean> {
    inflight ??= fetchAndApply(fetchList).finally(() => (inflight = null));
    return inflight;
  }

  async function fetchAndApply(fetchList: () => Promise<SourceView[]>): Promise<boolean> {
    const at = replaced.value;
    const fetched = await fetchList();
    if (replaced.value !== at) return false;
    const shown = new Map([...byMn.keys()].map((mn) => [mn, latestOf(mn)]));
    applySnapshot(
      fetched.map((s) => {
        const latest = shown.get(s.mn);
        if (!latest || (s.latest && s.latest.ts >= latest.ts)) return s;
        return { ...s, latest, status: statusAfterReading(s.status) };
      }),
    );
    return true;
  }

  function applyBatch(batch: readonly LatestValues[]): BatchResult {
    const result: BatchResult = { applied: 0, unknown: [], older: 0 };
    for (const latest of batch) {
      const s = byMn.get(latest.mn);
      if (!s) {
        result.unknown.push(latest.mn);
        continue;
      }
      const shown = latestOf(latest.mn);
      if (shown && latest.ts < shown.ts) {
        result.older += 1;
        continue;
      }
      latestByMn.set(latest.mn, latest);
      const status = statusAfterReading(s.status);
      if (status !== s.status) byMn.set(latest.mn, { ...s, status });
      result.applied += 1;
    }
    return result;
  }

  /**
   * A logger went offline: its source is offline until it reports again (a reading batch) or the
   * next snapshot. A logger coming online changes nothing yet: it is online once its data arrives.
   */
  function applyLoggerStatus(e: LoggerStatusEvent): boolean {
    const s = byMn.get(e.mn);
    if (!s) return false;
    if (e.status === 'offline') byMn.set(e.mn, { ...s, status: 'offline' });
    return true;
  }

  /** The registry changed: the audience's new source list, at the registry's new version. */
  function applyRegistryChange(e: { version: number; sources: readonly SourceView[] }): void {
    applySnapshot(e.sources);
    registryVersion.value = e.version;
  }

  return {
    byMn,
    list,
    complete,
    onDemand,
    latestOf,
    lookup,
    prefetch,
    isAbsent,
    view,
    wantAll,
    goOnDemand,
    settled: () => lookups.settled(),
    enterpriseNames,
    registryVersion,
    applySnapshot,
    applyRegistryChange,
    applyBatch,
    applyLoggerStatus,
    refresh,
  };
});
