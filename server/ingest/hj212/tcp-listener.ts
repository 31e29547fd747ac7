/**
 * The HJ 212 TCP listener: data loggers connect and upload frames; each connection has its own
 * stream scanner (frames split across or glued within TCP chunks), and every frame goes through the
 * processor, whose replies are written back on the connection they answer. A bad frame never drops
 * the connection. A connection silent for `idleTimeoutMs` is closed. A connection with too many
 * frames awaiting storage is paused until they are durable (back-pressure, nothing dropped).
 * Slow senders cannot hold the slots real loggers need: at most `maxConnectionsPerAddress` at once
 * from one IP address (more are closed at once), and bytes that do not make a complete frame within
 * `frameDeadlineMs` (a byte every few seconds never counts as silence) close the connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FrameScanner } from '../../domain/hj212/stream-scanner';
import type { Logger } from '../../logger';
import type { Hj212Processor } from './hj212-processor';
import type { Hj212Stats } from './hj212-stats';
import type { LoggerStatusBoard } from './status-board';

export interface Hj212TcpOptions {
  port: number;
  host: string;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
  maxConnections: number;
  /** Frames of one connection in flight before it is paused. Default 512. */
  maxPendingPerConnection?: number;
  /** How long stop() lets connections finish their replies. Default 5000. */
  closeGraceMs?: number;
  /** Connections at once from one IP address; more are closed at once. Default: no limit. */
  maxConnectionsPerAddress?: number;
  /** Bytes received must complete a frame within this long, else the connection is closed. Default: none. */
  frameDeadlineMs?: number;
}

const CUT_LOG_EVERY_MS = 10_000;

interface Connection {
  socket: Socket;
  peer: string;
  scanner: FrameScanner;
  pending: number;
  /** Reasons to stop reading: too many frames in flight, the sink asking to wait. */
  holds: number;
  overloaded: boolean;
  done: Promise<void>;
  /** When bytes that have not (yet) made a good frame started to arrive; null: none pending. */
  incompleteSince: number | null;
  deadline: NodeJS.Timeout | null;
}

export class Hj212TcpListener {
  private server: Server | null = null;
  private readonly conns = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  private readonly lastCutLog = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly opts: Hj212TcpOptions,
    private readonly processor: Hj212Processor,
    private readonly stats: Hj212Stats,
    private readonly status: LoggerStatusBoard,
    private readonly log: Logger,
  ) {}

  /** Listens; resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = this.opts.maxConnections;
    server.on('error', (err) => this.log.error({ err: err.message }, 'hj212 listener error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as { port: number };
    this.log.info({ port, host: this.opts.host }, 'HJ 212 listener ready');
    return port;
  }

  get port(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  get connections(): number {
    return this.conns.size;
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '?';
    const peer = `${address}:${socket.remotePort ?? 0}`;
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (fromAddress >= (this.opts.maxConnectionsPerAddress ?? Infinity)) {
      this.stats.connections.refusedPerAddress++;
      this.logCut('per_address', { address, open: fromAddress }, 'too many logger connections from one address: closed');
      socket.on('error', () => undefined); // a reset while closing is no news
      socket.destroy();
      return;
    }
    this.perAddress.set(address, fromAddress + 1);
    let closed!: () => void;
    const conn: Connection = {
      socket,
      peer,
      scanner: new FrameScanner(),
      pending: 0,
      holds: 0,
      overloaded: false,
      done: new Promise<void>((r) => (closed = r)),
      incompleteSince: null,
      deadline: null,
    };
    this.conns.add(conn);
    this.stats.connections.open++;
    this.stats.connections.total++;
    this.log.debug({ peer }, 'logger connected');
    // Replies that become due in the same turn of the event loop leave in one write.
    let outbox: Uint8Array[] = [];
    const flush = (): void => {
      const replies = outbox;
      outbox = [];
      if (!socket.destroyed && socket.writable) socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
    };
    const channel = {
      send: (bytes: Uint8Array): boolean => {
        if (socket.destroyed || !socket.writable) return false;
        if (outbox.push(bytes) === 1) setImmediate(flush);
        return true;
      },
      // Reads no more; ends after the replies already queued this turn (their flush was scheduled first).
      close: (): void => {
        socket.pause();
        setImmediate(() => {
          socket.end();
          setTimeout(() => socket.destroy(), 1_000).unref();
        });
      },
    };
    const handleEvents = (events: ReturnType<FrameScanner['push']>): void => {
      for (const event of events) {
        conn.pending++;
        const done = this.processor.handle(event, { transport: 'tcp', peer, address }, channel);
        const settle = (): void => this.settled(conn);
        void done.then(settle, settle);
      }
      if (conn.pending >= this.maxPending && !conn.overloaded) {
        conn.overloaded = true;
        this.hold(conn);
      }
      const wait = events.length > 0 ? this.processor.ready() : null;
      if (wait) {
        this.hold(conn);
        void wait.then(() => this.release(conn));
      }
    };
    socket.setTimeout(this.opts.idleTimeoutMs);
    socket.on('timeout', () => {
      this.stats.connections.idleTimeouts++;
      this.log.info({ peer, idleMs: this.opts.idleTimeoutMs }, 'closing idle logger connection');
      socket.end();
      setTimeout(() => socket.destroy(), 5_000).unref();
    });
    socket.on('data', (chunk: Buffer) => {
      const events = conn.scanner.push(chunk);
      this.watchDeadline(
        conn,
        events.some((e) => e.ok),
      );
      handleEvents(events);
    });
    socket.on('error', (err) => this.log.debug({ peer, err: err.message }, 'logger connection error'));
    socket.on('close', () => {
      if (conn.deadline) clearTimeout(conn.deadline);
      handleEvents(conn.scanner.finish());
      this.conns.delete(conn);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
      this.stats.connections.open--;
      this.status.disconnected(peer);
      this.log.debug({ peer }, 'logger disconnected');
      closed();
    });
  }

  /**
   * The frame deadline: bytes that did not complete a good frame (a partial frame, garbage, broken
   * frames) start the clock; a good frame with nothing after it stops it. Past the deadline the
   * connection is cut: a slow or garbage sender cannot hold a slot.
   */
  private watchDeadline(conn: Connection, sawFrame: boolean): void {
    const limit = this.opts.frameDeadlineMs;
    if (limit === undefined) return;
    if (sawFrame) {
      if (conn.deadline) clearTimeout(conn.deadline);
      conn.deadline = null;
      conn.incompleteSince = null;
      if (conn.scanner.buffered === 0) return;
    }
    if (conn.incompleteSince !== null) return;
    conn.incompleteSince = Date.now();
    conn.deadline = setTimeout(() => {
      this.stats.connections.frameDeadlines++;
      const fields = { peer: conn.peer, deadlineMs: limit, buffered: conn.scanner.buffered };
      this.logCut('frame_deadline', fields, 'no complete frame in time: connection closed');
      conn.socket.destroy();
    }, limit);
    conn.deadline.unref();
  }

  /** One info line per kind every 10 s (with how many were not logged); the rest at debug. */
  private logCut(kind: string, fields: Record<string, unknown>, msg: string): void {
    const at = Date.now();
    const last = this.lastCutLog.get(kind);
    if (last && at - last.at < CUT_LOG_EVERY_MS) {
      last.suppressed++;
      this.log.debug(fields, msg);
      return;
    }
    this.lastCutLog.set(kind, { at, suppressed: 0 });
    this.log.warn({ ...fields, ...(last?.suppressed ? { suppressedSinceLast: last.suppressed } : {}) }, msg);
  }

  private get maxPending(): number {
    return this.opts.maxPendingPerConnection ?? 512;
  }

  private settled(conn: Connection): void {
    conn.pending--;
    if (conn.overloaded && conn.pending < this.maxPending / 2) {
      conn.overloaded = false;
      this.release(conn);
    }
  }

  private hold(conn: Connection): void {
    if (conn.holds++ === 0) conn.socket.pause();
  }

  private release(conn: Connection): void {
    if (--conn.holds === 0 && !conn.socket.destroyed) conn.socket.resume();
  }

  /** Closes the connections of these peers (`ip:port`) at once; returns how many were open. */
  closePeers(peers: ReadonlySet<string>): number {
    let closed = 0;
    for (const conn of this.conns) {
      if (!peers.has(conn.peer) || conn.socket.destroyed) continue;
      conn.socket.destroy();
      closed++;
    }
    return closed;
  }

  /** Stops accepting, lets connections finish their replies (bounded), then closes them. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, this.opts.closeGraceMs ?? 5_000).unref());
    await Promise.race([this.processor.drain(), grace]);
    for (const conn of this.conns) conn.socket.end();
    const ended = Promise.all([...this.conns].map((c) => c.done));
    await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
    for (const conn of this.conns) conn.socket.destroy();
    await closing;
    this.log.info('HJ 212 listener stopped');
  }
}
