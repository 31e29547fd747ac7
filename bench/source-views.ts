/**
 * `npx tsx bench/source-views.ts [N]`: the cost of the source list's answers at a province's size,
 * in process (no HTTP, no load): N outlets (default 20,000) with 10-factor latest values and 5,000
 * open alerts, then the whole list's JSON, a page, the filters the province phase asks and the
 * summary, cold (after every source reported again) and warm. What the server pays per request
 * in server/sources/source-view-cache.ts and server/domain/source-summary.ts.
 */
import { benchFleet } from './bench-registry';
import { EventBus } from '../server/domain/internal-events';
import { summarizeSources } from '../server/domain/source-summary';
import { RegistryHolder } from '../server/registry/registry-holder';
import { SourceDirectory } from '../server/sources/source-directory';
import { SourceViewCache } from '../server/sources/source-view-cache';

const n = Number(process.argv[2] ?? 20_000);
const fleet = benchFleet(n, 0);
const holder = new RegistryHolder(fleet.registry, new EventBus());
const directory = new SourceDirectory(holder);
const now = Date.now();
const report = (ts: number) => {
  for (const s of fleet.load) {
    const factors = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a2100${i}`, { rtd: 12.3 + i, flag: 'N' as const }]));
    directory.noteLatest({ mn: s.mn, cn: '2011', ts, factors });
  }
};
report(now - 5_000);
const cache = new SourceViewCache(
  directory,
  () => holder.version(),
  3,
  () => now,
);
const alerts = fleet.load
  .filter((s) => s.kind === 'ammonia')
  .map((s, i) => ({ id: i + 1, mn: s.mn, state: 'active' as const, closedAt: null, acknowledgedAt: null, severity: 'major' as const }));
cache.seed(alerts);
const all = { all: true } as const;

function time(name: string, fn: () => unknown, repeats = 5): void {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const out = fn();
    times.push(performance.now() - t0);
    size = typeof out === 'string' ? out.length : 0;
  }
  times.sort((a, b) => a - b);
  const kb = size ? ` · ${Math.round(size / 1024).toLocaleString('en-US')} KB` : '';
  console.log(`${name.padEnd(46)} first ${times[0]!.toFixed(1)} ms · median ${times[Math.floor(repeats / 2)]!.toFixed(1)} ms${kb}`);
}

console.log(`${n.toLocaleString('en-US')} outlets, ${alerts.length.toLocaleString('en-US')} open alerts`);
time('whole list JSON, cold (views built)', () => cache.query(all, { offset: 0 }).json(), 1);
time('whole list JSON, warm', () => cache.query(all, { offset: 0 }).json());
report(now - 1_000);
time('whole list JSON after every source reported', () => cache.query(all, { offset: 0 }).json(), 1);
time('page of 100', () => cache.query(all, { offset: 9_000, limit: 100 }).json());
time('status=exceeding&limit=100', () => cache.query(all, { offset: 0, status: ['exceeding'], limit: 100 }).json());
time('kind=vocs&limit=100', () => cache.query(all, { offset: 0, kind: ['vocs'], limit: 100 }).json());
time('q=outlet 1999&limit=100', () => cache.query(all, { offset: 0, q: 'outlet 1999', limit: 100 }).json());
time('an enterprise (scope)', () => cache.query({ all: false, enterpriseId: fleet.load[0]!.enterpriseId }, { offset: 0 }).json());
time('summary', () => JSON.stringify(summarizeSources(cache.statuses(all), () => undefined, alerts)));
