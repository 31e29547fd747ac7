/**
 * `npx tsx bench/hj212-loggers.ts [flags]`: the HJ 212 TCP ingest under a thousand loggers.
 *   Phase 1 — N simulated loggers (the fleet, kind generators, HJ 212 connector with faults)
 *     connected at once for D seconds, one real-time upload each per interval: every reading must
 *     land and every requested 9014 must be sent; prints uploads, replies, latency, CPU, memory.
 *   Phase 2 — burst: K connections send F frames back to back: frames/s and frames per CPU-second,
 *     end to end (scanner, codec, verdict, raw archive, rules, SQLite telemetry store, replies).
 *   Phase 3 — the codec alone on one core (scan, decode, judge, encode the 9014), in this process.
 * The server (real ingest, pipeline, SQLite telemetry/state stores, SQLite raw archive) runs in a
 * child process (this file with --role server), so its CPU and memory are its own.
 */
import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { wrapSegment } from '../server/domain/hj212/encode';
import { formatHjTime } from '../server/domain/hj212/hj-time';
import { FrameScanner } from '../server/domain/hj212/stream-scanner';
import { decodeScanned } from '../server/domain/hj212/decode';
import { judge } from '../server/ingest/hj212/frame-verdict';
import { dataReply } from '../server/ingest/hj212/reply-builder';
import { startFleet } from '../simulators/fleet';
import { bulkMn, bulkRegistry } from '../simulators/hj212/bulk-registry';
import { hj212TcpConnector } from '../simulators/hj212/connectors';
import type { Connector } from '../simulators/transport';
import { startHj212Server } from '../tests/helpers/hj212-harness';

const argsSchema = z.object({
  role: z.enum(['main', 'server']).default('main'),
  loggers: z.coerce.number().int().min(1).default(1000),
  duration: z.coerce.number().int().min(1).default(60),
  interval: z.coerce.number().int().min(100).default(1000),
  'fault-rate': z.coerce.number().min(0).max(1).default(0.05),
  'burst-connections': z.coerce.number().int().min(1).default(50),
  'burst-frames': z.coerce.number().int().min(0).default(200_000),
});
type Args = z.infer<typeof argsSchema>;
const PW = 'bench212';

type ToServer = { type: 'stats' } | { type: 'stop' };
interface ServerFigures {
  port: number;
  received: number;
  readings: number;
  distinct: number;
  durable: number;
  rejected: Record<string, number>;
  replies: { requested: number; sent: number; dropped: number; refusals: number };
  connections: { open: number; total: number };
  cpuMs: number;
  rssMb: number;
  peakRssMb: number;
}

/** The child: the real server parts, reporting over IPC. */
async function serverRole(args: Args): Promise<void> {
  const s = await startHj212Server({
    registry: bulkRegistry(args.loggers, { pw: PW }),
    pipeline: true,
    maxConnections: args.loggers * 2 + args['burst-connections'] * 2,
    idleTimeoutMs: 600_000,
  });
  const distinct = new Set<string>();
  let peak = 0;
  const figures = (): ServerFigures => {
    for (const r of s.readings.splice(0)) distinct.add(`${r.mn}|${r.cn}|${r.ts}`);
    const st = s.ingest.stats.snapshot();
    const cpu = process.cpuUsage();
    const rss = process.memoryUsage().rss / 2 ** 20;
    peak = Math.max(peak, rss);
    return {
      port: s.port,
      received: st.received,
      readings: st.readings,
      distinct: distinct.size,
      durable: s.writer.stats.written,
      rejected: Object.fromEntries(Object.entries(st.rejected).filter(([, n]) => n > 0)),
      replies: st.replies,
      connections: st.connections,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: rss,
      peakRssMb: peak,
    };
  };
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20)), 200).unref();
  process.on('message', async (m: ToServer) => {
    if (m.type === 'stats') process.send?.(figures());
    else {
      await s.stop();
      process.exit(0);
    }
  });
  process.send?.(figures());
}

const out = (s: string) => void process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;

function startServer(argv: string[]): Promise<{ stats(): Promise<ServerFigures>; stop(): Promise<void> }> {
  const child = fork(import.meta.filename, [...argv, '--role', 'server'], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.HJ212_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HJ212_BENCH_PROF}`] : []),
    ],
    stdio: 'inherit',
  });
  let waiting: ((f: ServerFigures) => void)[] = [];
  child.on('message', (f: ServerFigures) => {
    for (const w of waiting.splice(0)) w(f);
  });
  const next = () => new Promise<ServerFigures>((r) => waiting.push(r));
  const stats = () => {
    const p = next();
    child.send({ type: 'stats' } satisfies ToServer);
    return p;
  };
  return next().then(() => ({
    stats,
    stop: async () => void (child.send({ type: 'stop' }), await new Promise((r) => child.once('exit', r)), (waiting = [])),
  }));
}

/** Times every publish (upload sent → its 9014 received). */
function timed(connect: Connector, latencies: number[]): Connector {
  return async (clientId) => {
    const p = await connect(clientId);
    return {
      publish: async (topic, payload) => {
        const t0 = performance.now();
        await p.publish(topic, payload);
        latencies.push(performance.now() - t0);
      },
      close: () => p.close(),
    };
  };
}

async function loggersPhase(args: Args, server: Awaited<ReturnType<typeof startServer>>, port: number): Promise<boolean> {
  const registry = bulkRegistry(args.loggers, { pw: PW });
  const latencies: number[] = [];
  const sim = hj212TcpConnector({ host: '127.0.0.1', port, registry, faultRate: args['fault-rate'], seed: 212, replyTimeoutMs: 60_000 });
  const before = await server.stats();
  const t0 = Date.now();
  const fleet = await startFleet({
    url: `hj212://127.0.0.1:${port}`,
    registry,
    intervalMs: args.interval,
    scenario: 'normal',
    seed: 212,
    connect: timed(sim.connect, latencies),
  });
  const connected = (await server.stats()).connections.open;
  out(
    `phase 1: ${args.loggers} loggers, ${connected} connected in ${Date.now() - t0} ms; one upload each every ${args.interval} ms for ${args.duration} s, ${args['fault-rate'] * 100}% with faults`,
  );
  for (let s = 10; s <= args.duration; s += 10) {
    await sleep(Math.min(10, args.duration - s + 10) * 1000);
    const f = await server.stats();
    out(
      `  ${String(s).padStart(3)} s  uploads ${sim.counters.uploads}  readings ${f.readings - before.readings}  9014 sent ${f.replies.sent - before.replies.sent}  open ${f.connections.open}  rss ${f.rssMb.toFixed(0)} MiB`,
    );
  }
  await fleet.stop();
  await sleep(500);
  const after = await server.stats();
  const readings = after.readings - before.readings;
  const lost = sim.counters.uploads - readings;
  const wall = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  out(`  uploads ${sim.counters.uploads} (faults ${JSON.stringify(sim.counters.faults)})`);
  out(`  acknowledged by 9014 ${fleet.counters.published}, failed ${fleet.counters.failed}, reply timeouts ${sim.counters.timeouts}`);
  out(
    `  readings landed ${readings} (distinct ${after.distinct - before.distinct}, durable ${after.durable - before.durable}); not landed ${lost}`,
  );
  out(
    `  9014 requested ${after.replies.requested - before.replies.requested}, sent ${after.replies.sent - before.replies.sent}, dropped ${after.replies.dropped - before.replies.dropped}; 9011 refusals ${after.replies.refusals - before.replies.refusals}`,
  );
  out(`  refused ${JSON.stringify(after.rejected)}`);
  out(
    `  upload → 9014 latency ms: p50 ${pct(latencies, 50).toFixed(1)}  p95 ${pct(latencies, 95).toFixed(1)}  p99 ${pct(latencies, 99).toFixed(1)}  max ${(latencies.at(-1) ?? NaN).toFixed(1)}`,
  );
  out(
    `  server CPU ${((after.cpuMs - before.cpuMs) / 1000).toFixed(1)} s over ${wall.toFixed(0)} s (${((after.cpuMs - before.cpuMs) / 10 / wall).toFixed(0)}% of one core), RSS peak ${after.peakRssMb.toFixed(0)} MiB`,
  );
  return (
    lost === 0 &&
    fleet.counters.failed === 0 &&
    after.replies.sent - before.replies.sent === after.replies.requested - before.replies.requested
  );
}

function uploads(c: number, count: number, mn: string): Buffer {
  const base = Date.parse('2026-01-01T00:00:00Z');
  return Buffer.concat(
    Array.from({ length: count }, (_, i) =>
      wrapSegment(
        `QN=2026010108${String(c).padStart(3, '0')}${String(i).padStart(6, '0')};ST=31;CN=2011;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=${formatHjTime(base + i * 1000)};a21026-Rtd=12.5,a21026-Flag=N;a21002-Rtd=30.1,a21002-ZsRtd=41,a21002-Flag=N;a19001-Rtd=9.5,a19001-Flag=N&&`,
      ),
    ),
  );
}

function codecPhase(args: Args): void {
  const registry = bulkRegistry(args.loggers, { pw: PW });
  const byMn = new Map(registry.sources.map((s) => [s.mn, s]));
  const stream = uploads(0, 100_000, bulkMn(0));
  const ctx = { lookup: (mn: string) => byMn.get(mn), utcOffsetMinutes: 480, now: Date.now(), maxFutureSkewMs: 300_000 };
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const scanner = new FrameScanner();
    let taken = 0;
    for (let at = 0; at < stream.length; at += 65_536) {
      for (const event of scanner.push(stream.subarray(at, at + 65_536))) {
        const v = judge(decodeScanned(event), ctx);
        if (v.kind === 'reading' && dataReply(v.frame).length > 0) taken++;
      }
    }
    best = Math.max(best, taken / ((performance.now() - t0) / 1000));
  }
  out(
    `phase 3: the codec alone on one core (scan, decode, verdict and reading, 9014 encoded): ${Math.round(best)} frames/s (best of 5 × 100,000)`,
  );
}

async function burstPhase(args: Args, server: Awaited<ReturnType<typeof startServer>>, port: number): Promise<void> {
  const k = args['burst-connections'];
  const per = Math.ceil(args['burst-frames'] / k);
  const streams = Array.from({ length: k }, (_, c) => uploads(c, per, bulkMn(c % args.loggers)));
  const before = await server.stats();
  const t0 = performance.now();
  await Promise.all(
    streams.map(
      (stream) =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port }, () => socket.write(stream));
          const scanner = new FrameScanner();
          let replies = 0;
          socket.on('data', (chunk) => {
            replies += scanner.push(chunk).length;
            if (replies >= per) {
              socket.end();
              resolve();
            }
          });
          socket.on('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const after = await server.stats();
  const frames = after.received - before.received;
  const cpu = (after.cpuMs - before.cpuMs) / 1000;
  out(
    `phase 2: burst of ${frames} frames on ${k} connections, each answered: ${seconds.toFixed(1)} s, ${Math.round(frames / seconds)} frames/s end to end (into the SQLite store); server CPU ${cpu.toFixed(1)} s = ${Math.round(frames / cpu)} frames per CPU-second`,
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(argsSchema.shape).map((k) => [k, { type: 'string' as const }])),
    strict: true,
  });
  const args = argsSchema.parse(values);
  if (args.role === 'server') {
    await serverRole(args);
    return -1;
  }
  const argv = process.argv.slice(2);
  const server = await startServer(argv);
  const { port } = await server.stats();
  try {
    const ok = await loggersPhase(args, server, port);
    out(ok ? '  ✓ every reading landed, every requested reply was sent' : '  ✗ readings or replies missing');
    if (args['burst-frames'] > 0) await burstPhase(args, server, port);
    codecPhase(args);
    return ok ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => void (code >= 0 && (process.exitCode = code)),
  (err: unknown) => {
    process.stderr.write(`hj212-loggers: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
