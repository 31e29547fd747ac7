/** The province phase's rows in the bench table, with their targets (issue 20, target 4). */
import { printProfile } from '../profile-summary';
import type { ProvinceResult } from './province';
import { loopText, memoryText } from './province-memory';
import type { PageFigures, PagesResult } from './province-browser';

export const PROVINCE_TARGETS = { sourcesP95Ms: 150, interactiveMs: 2_000 };

const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : Math.round(x).toString()) : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const dist = (d: { p50: number; p95: number; max: number; n: number }) =>
  `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · max ${ms(d.max)} ms (n=${d.n})`;

export function provinceRows(r: ProvinceResult): string[][] {
  const { sourcesApi: api, steady, burst, alerts } = r;
  const pages = 'failed' in r.pages ? null : r.pages;
  const failed = 'failed' in r.pages ? r.pages.failed : '';
  const t = PROVINCE_TARGETS;
  return [
    [
      'Province: registry and load',
      `${n(r.sources)} outlets at their 30 s interval: ${n(steady.ackedRate)} msg/s acked of ${n(steady.targetRate)}; ${burstText(burst)}`,
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
    [
      'Province: GET /api/sources/summary (the overview’s counts)',
      dist(api.summary),
      `p95 ≤ ${t.sourcesP95Ms} ms`,
      verdict(api.summary.p95 <= t.sourcesP95Ms),
    ],
    [
      'Province: GET /api/sources/points (the overview’s map and grid)',
      `${dist(api.points)}; ${n(api.pointsKb)} KB`,
      `p95 ≤ ${t.sourcesP95Ms} ms`,
      verdict(api.points.p95 <= t.sourcesP95Ms),
    ],
    ['Province: GET /api/sources (whole list, info)', `${dist(api.whole)}; ${n(api.wholeKb)} KB`, '', ''],
    ...(pages
      ? pageRows(pages)
      : [['Province: overview and wall in Chromium', `no figures: ${failed}`, `≤ ${n(t.interactiveMs)} ms`, 'FAIL']]),
    ['Province: server peak RSS (info)', `${n(r.serverRssMb)} MB`, '', ''],
    ['Province: server peak RSS by step, MB (info)', memoryText(r.memory), '', ''],
    ['Province: server event-loop delay by step, ms (info)', loopText(r.memory), '', ''],
    ['Province: phase timings (info)', timingsText(r.timings), '', ''],
  ];
}

function burstText(b: ProvinceResult['burst']): string {
  if ('failed' in b) return `burst: no figures (${b.failed})`;
  const backlog = b.drainedSeconds === null ? 'NOT drained in 60 s' : `drained ${b.drainedSeconds.toFixed(1)} s after`;
  return `burst ${n(b.ackedRate)} msg/s acked of ${n(b.targetRate)} (server took ${n(b.serverTakenRate)} msg/s; backlog ${backlog})`;
}

const sec = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : '—');

function timingsText(t: ProvinceResult['timings']): string {
  return `registry ${sec(t.registryS)} · server start ${sec(t.serverStartS)} · alerts ${sec(t.alertsS)} · API ${sec(t.apiS)} · browser ${sec(t.browserS)} · burst ${sec(t.burstS)} · whole phase ${sec(t.totalS)}`;
}

const NOT_OPENED = 'not opened (--province-pages)';

function pageRow(label: string, f: PageFigures | null, items: string): string[] {
  const t = PROVINCE_TARGETS;
  if (f === null) return [label, NOT_OPENED, `≤ ${n(t.interactiveMs)} ms`, ''];
  return [
    label,
    `${dist(f.interactiveMs)}; main thread busy p50 ${ms(f.busyMs.p50)} ms; ${n(f.domItems)} ${items} in the DOM; JS heap ${n(f.heapMb)} MB`,
    `≤ ${n(t.interactiveMs)} ms`,
    verdict(f.interactiveMs.max <= t.interactiveMs),
  ];
}

function pageRows(p: PagesResult): string[][] {
  return [
    pageRow('Province: overview interactive (first card + filter click)', p.overview, 'cards'),
    pageRow('Province: wall interactive (first row + drawer opened)', p.wall, 'rows'),
    [
      'Province: map drawn after the switch (info)',
      p.map ? `${ms(p.map.ms.max)} ms; ${n(p.map.marks)} marks (clustered)` : NOT_OPENED,
      '',
      '',
    ],
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
  if (r.profile) printProfile('province server', r.profile, print);
}
