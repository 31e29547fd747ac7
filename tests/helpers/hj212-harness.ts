/**
 * The HJ 212 integration suites' server: the real ingest (TCP listener on a free port, processor,
 * SQLite raw archive) feeding the real pipeline modules — BatchWriter into a SQLite telemetry store,
 * and with `pipeline: true` the ReadingPipeline with its rules and alert service — in a temp dir.
 * `readings` records what became durable, in order. Plus a raw TCP logger for hand-made bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertService } from '../../server/alerts/alert-service';
import { decodeScanned, type FrameDecoded } from '../../server/domain/hj212/decode';
import { FrameScanner } from '../../server/domain/hj212/stream-scanner';
import type { Reading } from '../../server/domain/reading';
import type { Registry } from '../../server/domain/registry';
import { Hj212Ingest } from '../../server/ingest/hj212/hj212-ingest';
import { createLogger } from '../../server/logger';
import { ReadingPipeline } from '../../server/pipeline';
import { RuleBook } from '../../server/rules/rule-book';
import { RulesService } from '../../server/rules/rules-service';
import { SourceDirectory } from '../../server/sources/source-directory';
import { RegistryHolder } from '../../server/registry/registry-holder';
import { EventBus } from '../../server/domain/internal-events';
import { openRuleStore } from '../../server/storage/sql/rule-store';
import { BatchWriter } from '../../server/storage/batch-writer';
import { openRawArchive, type SqlRawArchive } from '../../server/storage/sql/raw-frame-archive';
import { openAlertState } from '../../server/storage/sql/alert-store';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { loadConfig } from '../../server/config';
import { ROOT } from './test-app';

/** The shipped rule pack, read through the server's own config loader. */
const defaults = loadConfig({}, ROOT);
export const limitPack = defaults.limits;

export interface Hj212ServerOptions {
  registry: Registry;
  /** The whole ReadingPipeline (rules, alerts) instead of the writer alone. */
  pipeline?: boolean;
  idleTimeoutMs?: number;
  splitTimeoutMs?: number;
  maxConnections?: number;
  /** ingest.maxPastAgeH in ms; default 0 (no limit: the suites replay the standard's 2019 vectors). */
  maxPastAgeMs?: number;
  /** hj212.allowMissingPw (insecure); default false. */
  allowMissingPw?: boolean;
  /** hj212.passwordGuessesPerMin; default 0 (off: the suites' loggers all connect from 127.0.0.1). */
  passwordGuessesPerMin?: number;
}

export interface Hj212TestServer {
  ingest: Hj212Ingest;
  port: number;
  archive: SqlRawArchive;
  telemetry: SqliteTelemetryStore;
  writer: BatchWriter;
  alerts: AlertService | null;
  /** Readings in the order they became durable. */
  readings: Reading[];
  stop(): Promise<void>;
}

export async function startHj212Server(opts: Hj212ServerOptions): Promise<Hj212TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'o3-hj212-'));
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const telemetry = new SqliteTelemetryStore(join(dir, 'telemetry.db'));
  await telemetry.init();
  const writer = new BatchWriter(telemetry, { batchSize: 5000, flushIntervalMs: 20, maxBuffered: 20_000 }, log.child({ module: 'writer' }));
  const registry = new RegistryHolder(opts.registry, new EventBus());
  const directory = new SourceDirectory(registry);
  const state = opts.pipeline ? await openAlertState(join(dir, 'state.db')) : null;
  const alerts = state ? new AlertService(state, log.child({ module: 'alerts' })) : null;
  await alerts?.reloadAll();
  const ruleStore = alerts ? await openRuleStore(join(dir, 'state.db')) : null;
  const rules =
    alerts && ruleStore
      ? new RulesService({
          book: new RuleBook(registry, limitPack, defaults.rulePack),
          store: ruleStore,
          sink: alerts,
          log: log.child({ module: 'rules' }),
          now: Date.now,
          tickMs: 10_000,
          snapshotMs: 60_000,
        })
      : null;
  const inner = rules ? new ReadingPipeline(directory, writer, rules) : { accept: (r: Reading) => writer.write(r) };
  const readings: Reading[] = [];
  const sink = { accept: (r: Reading) => inner.accept(r).then(() => void readings.push(r)), ready: () => writer.ready() };
  const archive = await openRawArchive(join(dir, 'raw.db'), log.child({ module: 'raw-archive' }));
  const ingest = new Hj212Ingest(
    {
      tcp: { port: 0, host: '127.0.0.1', idleTimeoutMs: opts.idleTimeoutMs ?? 60_000, maxConnections: opts.maxConnections ?? 5000 },
      maxPayloadBytes: 65536,
      utcOffsetMinutes: 480,
      maxFutureSkewMs: 300_000,
      maxPastAgeMs: opts.maxPastAgeMs ?? 0,
      allowMissingPw: opts.allowMissingPw ?? false,
      passwordGuessesPerMin: opts.passwordGuessesPerMin ?? 0,
      splitTimeoutMs: opts.splitTimeoutMs ?? 10_000,
      replyRefusals: true,
    },
    { lookup: (mn) => directory.get(mn), sink, archive, log: log.child({ module: 'hj212' }) },
  );
  const port = (await ingest.start()) as number;
  return {
    ingest,
    port,
    archive,
    telemetry,
    writer,
    alerts,
    readings,
    async stop() {
      await ingest.stop();
      await writer.close();
      await archive.close();
      await telemetry.close();
      await rules?.stop();
      await ruleStore?.close();
      await alerts?.settled();
      await state?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A hand-driven logger connection: writes bytes, collects the server's replies. */
export interface RawLogger {
  socket: Socket;
  replies: FrameDecoded[];
  write(data: string | Uint8Array): Promise<void>;
  /** Resolves when `n` replies arrived in total. */
  waitReplies(n: number, ms?: number): Promise<FrameDecoded[]>;
  closed(): boolean;
  close(): Promise<void>;
}

/** `localAddress`: connect from another loopback address (127.0.0.2…), as another peer would. */
export async function rawLogger(port: number, localAddress?: string): Promise<RawLogger> {
  const socket = await new Promise<Socket>((res, rej) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true, ...(localAddress ? { localAddress } : {}) }, () => res(s));
    s.once('error', rej);
  });
  const scanner = new FrameScanner();
  const replies: FrameDecoded[] = [];
  let isClosed = false;
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk) => {
    for (const e of scanner.push(chunk)) replies.push(decodeScanned(e));
    for (const w of waiters.splice(0)) w();
  });
  socket.on('close', () => {
    isClosed = true;
    for (const w of waiters.splice(0)) w();
  });
  return {
    socket,
    replies,
    write: (data) =>
      new Promise<void>((res, rej) => socket.write(typeof data === 'string' ? Buffer.from(data) : data, (err) => (err ? rej(err) : res()))),
    async waitReplies(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (replies.length < n) {
        if (isClosed) throw new Error(`connection closed with ${replies.length} of ${n} replies`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${replies.length} of ${n} replies within ${ms} ms`);
        await new Promise<void>((res) => {
          const t = setTimeout(res, left);
          waiters.push(() => (clearTimeout(t), res()));
        });
      }
      return replies;
    },
    closed: () => isClosed,
    close: () => new Promise<void>((res) => (isClosed ? res() : (socket.once('close', () => res()), socket.end()))),
  };
}
