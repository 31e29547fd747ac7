/** The province phase's rows in the bench table, with their targets (issue 20, target 4). */
import type { ProvinceResult } from './province';

export const PROVINCE_TARGETS = { sourcesP95Ms: 150, interactiveMs: 2_000 };

const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : Math.round(x).toString()) : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export function provinceRows(r: ProvinceResult): string[][] {
  const { sourcesApi: api, pages, steady, burst, alerts } = r;
  const t = PROVINCE_TARGETS;
  const dist = (d: { p50: number; p95: number; max: number; n: number }) =>
    `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · max ${ms(d.max)} ms (n=${d.n})`;
  return [
    [
      'Province: registry and load',
      `${n(r.sources)} outlets at their 30 s interval: ${n(steady.ackedRate)} msg/s acked of ${n(steady.targetRate)}; burst ${n(burst.ackedRate)} msg/s acked of ${n(burst.targetRate)} (server took ${n(burst.serverTakenRate)} msg/s; spool ${burst.drainedSeconds === null ? 'NOT drained in 60 s' : `drained ${burst.drainedSeconds.toFixed(1)} s after`})`,
      '',
      '',
    ],
    [
      'Province: open alerts (real pipeline)',
      `${n(alerts.open)} of ${n(alerts.wanted)} wanted, ${alerts.seconds} s from the first exceeding reading`,
      `${n(alerts.wanted)}`,
      verdict(alerts.open >= alerts.wanted),
    ],
    [
      'Province: GET /api/sources?limit=100&offset=…',
      dist(api.page),
      `p95 ≤ ${t.sourcesP95Ms} ms`,
      verdict(api.page.p95 <= t.sourcesP95Ms),
    ],
    [
      'Province: GET /api/sources?status|kind|q|enterpriseId',
      dist(api.filtered),
      `p95 ≤ ${t.sourcesP95Ms} ms`,
      verdict(api.filtered.p95 <= t.sourcesP95Ms),
    ],
    ['Province: GET /api/sources (whole list, info)', `${dist(api.whole)}; ${n(api.wholeKb)} KB`, '', ''],
    [
      'Province: overview interactive (first card + filter click)',
      `${dist(pages.overview.interactiveMs)}; main thread busy p50 ${ms(pages.overview.busyMs.p50)} ms; ${n(pages.overview.domItems)} cards in the DOM; JS heap ${n(pages.overview.heapMb)} MB`,
      `≤ ${n(t.interactiveMs)} ms`,
      verdict(pages.overview.interactiveMs.max <= t.interactiveMs),
    ],
    [
      'Province: wall interactive (first row + drawer opened)',
      `${dist(pages.wall.interactiveMs)}; main thread busy p50 ${ms(pages.wall.busyMs.p50)} ms; ${n(pages.wall.domItems)} rows in the DOM; JS heap ${n(pages.wall.heapMb)} MB`,
      `≤ ${n(t.interactiveMs)} ms`,
      verdict(pages.wall.interactiveMs.max <= t.interactiveMs),
    ],
    ['Province: map drawn after the switch (info)', `${ms(pages.mapMs.max)} ms; ${n(pages.mapMarks)} marks (clustered)`, '', ''],
    ['Province: server peak RSS (info)', `${n(r.serverRssMb)} MB`, '', ''],
  ];
}

/** The rows as a table of their own, for a run of the province phase alone (`-- --province`). */
export function printProvince(r: ProvinceResult, print: (s: string) => void): void {
  const table = [['measure', 'figure', 'target', ''], ...provinceRows(r)];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table)
    print(
      row
        .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
        .join(' │ ')
        .trimEnd(),
    );
}
