/**
 * The dashboard's queries, timed end to end over HTTP against the server, on the store the ingest
 * filled: the source list with latest values, a 24-h trend of one source, and the daily report of
 * all sources (served from the hourly rollup). Its first call is reported on its own: the load is
 * stamped into the 24 h before the server started, so the hours of that day that no reading reached
 * during the run closed before the server ran and are computed from the raw data on that call (the
 * cold report of a running server is phases/rollup-report.ts).
 */
import type { BenchSource } from '../bench-registry';
import { distribution, type Distribution } from '../stats';

export interface QueryOptions {
  baseUrl: string;
  /** A signed-in session's cookie. */
  cookie: string;
  sources: readonly BenchSource[];
  /** The 24-h window the load was stamped into. */
  from: number;
  to: number;
  repeats: { list: number; series: number; report: number };
}

export interface QueryTiming {
  name: string;
  how: string;
  times: Distribution;
  /** Size of one answer: items, points or series. */
  answer: string;
  /** A figure for information, with no target. */
  info?: boolean;
}

async function timeHttp(url: string, cookie: string): Promise<{ ms: number; body: { items: unknown[] } }> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000), headers: { cookie } });
  const body = (await res.json()) as { items: unknown[] };
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

async function repeat(
  n: number,
  run: (i: number) => Promise<{ ms: number; size: number }>,
): Promise<{ times: Distribution; size: number }> {
  await run(n); // warm-up, not counted
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    const r = await run(i);
    times.push(r.ms);
    size = r.size;
  }
  return { times: distribution(times), size };
}

export async function runQueries(o: QueryOptions): Promise<QueryTiming[]> {
  const list = await repeat(o.repeats.list, async () => {
    const { ms, body } = await timeHttp(`${o.baseUrl}/api/sources`, o.cookie);
    return { ms, size: body.items.length };
  });
  // NOx (a21002) is measured by CEMS and ammonia-slip outlets.
  const withNox = o.sources.filter((s) => s.kind !== 'vocs');
  const series = await repeat(o.repeats.series, async (i) => {
    const mn = withNox[(i * 7919) % withNox.length]!.mn;
    const { ms, body } = await timeHttp(`${o.baseUrl}/api/sources/${mn}/series?factor=a21002&cn=2011&from=${o.from}&to=${o.to}`, o.cookie);
    return { ms, size: body.items.length };
  });
  // The reports' daily report of all sources (hourly rollup; the warm-up call computes it from the raw data).
  const day = new Date(o.to - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const dailyCall = async () => {
    const { ms, body } = await timeHttp(`${o.baseUrl}/api/reports/daily?date=${day}`, o.cookie);
    return { ms, size: body.items.length };
  };
  const cold = await dailyCall();
  const daily = await repeat(o.repeats.report, dailyCall);
  return [
    {
      name: 'GET /api/reports/daily (all sources)',
      how: 'HTTP, server, hourly rollup',
      times: daily.times,
      answer: `${daily.size} sources`,
    },
    { name: 'GET /api/sources', how: 'HTTP, server', times: list.times, answer: `${list.size} sources` },
    { name: 'GET /api/sources/:mn/series (24 h, a21002)', how: 'HTTP, server', times: series.times, answer: `${series.size} points` },
    {
      name: 'GET /api/reports/daily, first call (info: hours that closed before the server started are computed from raw data)',
      how: 'HTTP, server, first call',
      times: distribution([cold.ms]),
      answer: `${cold.size} sources`,
      info: true,
    },
  ];
}
