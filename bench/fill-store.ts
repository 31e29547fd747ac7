/**
 * Tops the server's store up to a number of values by writing readings straight to InfluxDB (the
 * server's own line protocol, into the real-time retention policy), when the ingest run left fewer: the query timings need a store of
 * realistic size even when the ingest is slow. Reported as such. The readings are stamped between
 * the load's (never on a load instant), so no point of the ingest is overwritten.
 */
import type { Reading } from '../server/domain/reading';
import type { InfluxHttp } from '../server/storage/influx/influx-http';
import { RETENTION_POLICIES } from '../server/storage/influx/influx-retention';
import { readingsToBody } from '../server/storage/influx/line-protocol';
import type { BenchSource } from './bench-registry';
import { FACTORS_PER_MESSAGE, loadTemplates, render } from './payloads';

const BATCH = 10_000;

export async function fillStore(
  influx: InfluxHttp,
  sources: readonly BenchSource[],
  readingsNeeded: number,
  window: { tsBase: number; tsStep: number },
): Promise<{ values: number; seconds: number }> {
  const t0 = performance.now();
  const perSource = Math.ceil(readingsNeeded / sources.length);
  const step = Math.max(1, Math.floor((24 * 3_600_000) / perSource));
  const offset = Math.max(1, Math.floor(window.tsStep / 4));
  const templates = new Map(sources.map((s) => [s.kind, loadTemplates(s.kind)]));
  let batch: Reading[] = [];
  let written = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = async () => {
    const body = readingsToBody(batch);
    written += batch.length;
    batch = [];
    const p = influx.write(body, RETENTION_POLICIES['2011']).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  for (let k = 0; k < perSource; k++) {
    for (const s of sources) {
      const ts = window.tsBase + offset + k * step;
      const phase = (ts - window.tsBase) % window.tsStep;
      if (phase === 0 || phase === Math.floor(window.tsStep / 2)) continue; // never on an ingest or background instant
      const payload = JSON.parse(render(templates.get(s.kind)![k % 16]!, ts)) as Pick<Reading, 'cn' | 'ts' | 'factors'>;
      batch.push({ mn: s.mn, enterpriseId: s.enterpriseId, kind: s.kind, ...payload });
      if (batch.length >= BATCH) await flush();
    }
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  return { values: written * FACTORS_PER_MESSAGE, seconds: (performance.now() - t0) / 1000 };
}
