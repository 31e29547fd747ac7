/**
 * The HJ 212 TCP listener: data loggers connect and upload frames; each connection has its own
 * stream scanner (frames split across or glued within TCP chunks), and every frame goes through the
 * processor, whose replies are written back on the connection they answer. A bad frame never drops
 * the connection. A connection silent for `idleTimeoutMs` is closed. A connection with too many
 * frames awaiting storage is paused until they are durable (back-pressure, nothing dropped).
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
}

interface Connection {
  socket: Socket;
  peer: string;
  scanner: FrameScanner;
  pending: number;
  /** Reasons to stop reading: too many frames in flight, the sink asking to wait. */
  holds: number;
  overloaded: boolean;
  done: Promise<void>;
}

export class Hj212TcpListener {
  private server: Server | null = null;
  private readonly conns = new Set<Connection>();

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
    let closed!: () => void;
    const conn: Connection = {
      socket, peer, scanner: new FrameScanner(), pending: 0, holds: 0, overloaded: false,
      done: new Promise<void>((r) => (closed = r)),
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
      handleEvents(conn.scanner.push(chunk));
    });
    socket.on('error', (err) => this.log.debug({ peer, err: err.message }, 'logger connection error'));
    socket.on('close', () => {
      handleEvents(conn.scanner.finish());
      this.conns.delete(conn);
      this.stats.connections.open--;
      this.status.disconnected(peer);
      this.log.debug({ peer }, 'logger disconnected');
      closed();
    });
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
