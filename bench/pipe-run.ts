/** The practical limit: the ingest load through the minimal pipe, into its own database. */
import { InfluxHttp } from '../server/storage/influx/influx-http';
import type { BenchContext } from './context';
import { runIngest, type IngestResult } from './phases/ingest';
import { memoryOf, ROOT, startPipe } from './processes';
import { serverWriteSettings } from './server-defaults';

const PIPE_DB = 'o3bench_pipe';

export async function pipeRun(ctx: BenchContext): Promise<{ result: IngestResult; writers: number }> {
  const { args, mqtt, influx, log } = ctx;
  // Batched, written and held back as the server does by default, unless --pipe-writes says otherwise.
  const w = serverWriteSettings(ROOT);
  const writers = args.pipeWrites ?? w.concurrency;
  log(
    `minimal pipe: ${args.rate} msg/s for ${args.duration} s; batches of ${w.batchSize} or ${w.flushMs} ms, ${writers} /write at a time, ` +
      `intake paused above ${w.maxBuffered ?? '∞'} buffered`,
  );
  const pipe = await startPipe(
    {
      mqttUrl: mqtt.url,
      influxUrl: influx.url,
      db: PIPE_DB,
      clientId: `o3-bench-pipe-${process.pid}`,
      sources: ctx.fleet.load,
      batchSize: w.batchSize,
      flushMs: w.flushMs,
      writers,
      maxBuffered: w.maxBuffered ?? null,
    },
    (m) => log(`  pipe: ${m}`),
  );
  const db = new InfluxHttp({ url: influx.url, db: PIPE_DB, timeoutMs: 120_000 });
  try {
    const result = await runIngest(
      {
        name: 'pipe',
        progress: async () => {
          const c = pipe.counts();
          return { taken: c.received, buffered: c.buffered, written: c.written };
        },
        influx: db,
        memory: () => memoryOf(pipe.pid),
        cpuGroups: { pipe: [pipe.pid], mosquitto: [mqtt.process.pid!], influxd: [influx.process.pid!] },
      },
      ctx.load,
      args.drainTimeout * 1000,
      log,
    );
    return { result, writers };
  } finally {
    await pipe.stop();
    // Its files would otherwise be compacted while the server runs.
    await db.query(`DROP DATABASE "${PIPE_DB}"`, 'POST');
  }
}
