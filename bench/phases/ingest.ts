/**
 * An ingest run: offer the load, follow the target (the server or the minimal pipe) until it has
 * drained, then count in InfluxDB what landed, per source, against what the broker acknowledged.
 */
import type { InfluxHttp } from '../../server/storage/influx/influx-http';
import { MEASUREMENT } from '../../server/storage/influx/line-protocol';
import { COUNTED_FIELD, FACTORS_PER_MESSAGE } from '../payloads';
import { watchBrokerDrops } from '../broker-drops';
import { startLoad, type LoadOptions } from '../load/load-generator';
import { cpuMeter } from '../stats';
import type { MemoryBreakdown } from '../processes';

export interface IngestTarget {
  name: string;
  /** Messages taken from the broker, readings waiting to be written, readings written. */
  progress(): Promise<{ taken: number; buffered: number; written: number }>;
  /** The database the target writes to. */
  influx: InfluxHttp;
  /** Where its real-time points are counted: the server's retention policy (default: the database's default policy). */
  from?: string;
  memory(): { rssMb: number; peakMb: number };
  /** Its memory by part (the server's /metrics); sampled with the progress, the highest-RSS sample kept. */
  breakdown?: () => Promise<MemoryBreakdown>;
  /** Processes whose CPU use is reported, besides the publishers. */
  cpuGroups: Record<string, number[]>;
}

export interface IngestResult {
  target: string;
  offeredRateTarget: number;
  /** Acknowledged messages/s the load generator achieved. */
  offeredRate: number;
  published: number;
  publishFailed: number;
  landed: number;
  /** Acknowledged per source but not in InfluxDB. */
  lost: number;
  sourcesWithLoss: number;
  /** In InfluxDB but not acknowledged (delivered, PUBACK not seen). */
  extra: number;
  /** Messages the broker dropped during the run (acknowledged to publishers, never delivered). */
  brokerDropped: number;
  /** Messages the target took (redeliveries included) when it was counted. */
  taken: number;
  loadSeconds: number;
  /** From the first publish to the last reading written. */
  landedSeconds: number;
  msgPerS: number;
  valuesPerS: number;
  /** Written during the load window only, per second. */
  msgPerSDuringLoad: number;
  drained: boolean;
  drainSeconds: number;
  peakRssMb: number;
  /** The server's memory by part at the sample with the highest RSS (null: the target has none). */
  memoryAtPeak: MemoryBreakdown | null;
  cpuPercent: Record<string, number>;
  timeline: { t: number; acked: number; taken: number; written: number; rssMb: number }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Points per MN of the counted field. */
export async function countByMn(influx: InfluxHttp, from = MEASUREMENT): Promise<Map<string, number>> {
  const [series = []] = await influx.query(`SELECT count("${COUNTED_FIELD}") FROM ${from} GROUP BY mn`);
  return new Map(series.map((s) => [s.tags?.mn ?? '', Number(s.values[0]?.[1] ?? 0)]));
}

async function stableCount(influx: InfluxHttp, from: string | undefined): Promise<Map<string, number>> {
  let prev = -1;
  for (let i = 0; i < 10; i++) {
    const counts = await countByMn(influx, from);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === prev) return counts;
    prev = total;
    await sleep(1_000);
  }
  return countByMn(influx, from);
}

type Progress = Awaited<ReturnType<IngestTarget['progress']>>;

/**
 * Drained: nothing buffered and nothing more taken for 2 s, with everything published taken
 * (redeliveries count too) or nothing taken for 5 s. False if that takes longer than `timeoutMs`.
 */
async function waitDrained(sample: () => Promise<Progress>, published: number, timeoutMs: number): Promise<boolean> {
  const start = performance.now();
  let stableSince = start;
  let prevTaken = -1;
  while (performance.now() - start < timeoutMs) {
    const p = await sample();
    if (p.taken !== prevTaken) {
      prevTaken = p.taken;
      stableSince = performance.now();
    }
    const still = performance.now() - stableSince;
    if (p.buffered === 0 && still >= 2_000 && (p.taken >= published || still >= 5_000)) return true;
    await sleep(500);
  }
  return false;
}

/** Published (acknowledged) against counted, source by source. */
function compare(published: ReadonlyMap<string, number>, counted: ReadonlyMap<string, number>) {
  const r = { landed: 0, lost: 0, extra: 0, sourcesWithLoss: 0 };
  for (const [mn, acked] of published) {
    const n = counted.get(mn) ?? 0;
    r.landed += n;
    if (n < acked) {
      r.lost += acked - n;
      r.sourcesWithLoss++;
    } else r.extra += n - acked;
  }
  return r;
}

export async function runIngest(
  target: IngestTarget,
  load: Omit<LoadOptions, 'name'>,
  drainTimeoutMs: number,
  log: (s: string) => void,
): Promise<IngestResult> {
  const drops = await watchBrokerDrops(load.url);
  const droppedBefore = drops.latest();
  const running = await startLoad({ ...load, name: target.name });
  const t0 = performance.now(); // the publishers have connected and been told to go
  const meter = cpuMeter({ ...target.cpuGroups, publishers: running.pids });
  const timeline: IngestResult['timeline'] = [];
  let lastWritten = 0;
  let lastWriteAt = t0;
  let memoryAtPeak: MemoryBreakdown | null = null;
  const sample = async (): Promise<Progress> => {
    const p = await target.progress();
    const parts = await target.breakdown?.();
    if (parts && parts.rssMb > (memoryAtPeak?.rssMb ?? 0)) memoryAtPeak = parts;
    if (p.written !== lastWritten) {
      lastWritten = p.written;
      lastWriteAt = performance.now();
    }
    timeline.push({
      t: Math.round((performance.now() - t0) / 100) / 10,
      acked: running.totals().acked,
      ...p,
      rssMb: Math.round(target.memory().rssMb),
    });
    return p;
  };
  let loadDone = false;
  const result = running.done.finally(() => (loadDone = true));
  while (!loadDone) {
    const p = await sample();
    const last = timeline[timeline.length - 1]!;
    log(
      `  ${target.name} t=${last.t.toFixed(0)}s published ${last.acked} taken ${p.taken} written ${p.written} buffered ${p.buffered} rss ${last.rssMb} MB`,
    );
    await Promise.race([result, sleep(1_000)]);
  }
  const loaded = await result;
  const writtenAtLoadEnd = (await sample()).written;
  const loadEnd = performance.now();
  const drained = await waitDrained(sample, loaded.acked, drainTimeoutMs);
  const cpuPercent = meter.stop();
  const drainSeconds = (performance.now() - loadEnd) / 1000;
  log(`  ${target.name}: load ended, ${drained ? 'drained' : 'NOT drained'} after ${drainSeconds.toFixed(1)} s; counting in InfluxDB`);
  const counts = compare(loaded.ackedBySource, await stableCount(target.influx, target.from));
  const brokerDropped = (await drops.fresh()) - droppedBefore;
  await drops.stop();
  const { taken } = await target.progress();
  if (counts.lost > 0)
    log(`  ${target.name}: ${counts.lost} lost; the broker dropped ${brokerDropped}; taken ${taken} of ${loaded.acked} published`);
  const loadSeconds = loaded.elapsedMs / 1000;
  const landedSeconds = Math.max(loadSeconds, (lastWriteAt - t0) / 1000);
  return {
    target: target.name,
    offeredRateTarget: load.rate,
    offeredRate: Math.round(loaded.offeredRate),
    published: loaded.acked,
    publishFailed: loaded.failed,
    ...counts,
    brokerDropped,
    taken,
    loadSeconds,
    landedSeconds,
    msgPerS: Math.round(counts.landed / landedSeconds),
    valuesPerS: Math.round((counts.landed * FACTORS_PER_MESSAGE) / landedSeconds),
    msgPerSDuringLoad: Math.round(writtenAtLoadEnd / loadSeconds),
    drained,
    drainSeconds,
    peakRssMb: Math.round(target.memory().peakMb),
    memoryAtPeak,
    cpuPercent,
    timeline,
  };
}
