/**
 * The only importer of socket.io. A dashboard gets a snapshot on connect, then every alert change
 * (numbered, so a client that misses one asks for a resync) and the latest values of the sources
 * that reported, batched to at most one message per `batchMs`.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Alert } from '../domain/alert';
import type { ClientToServerEvents, LatestValues, ServerToClientEvents, Snapshot } from '../domain/events';
import type { Logger } from '../logger';

export type AlertEventKind = 'opened' | 'updated' | 'resolved';

export class RealtimeHub {
  private readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private seq = 0;
  private pending = new Map<string, LatestValues>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    http: HttpServer,
    private readonly snapshot: () => Omit<Snapshot, 'seq'>,
    batchMs: number,
    private readonly log: Logger,
  ) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false });
    this.io.on('connection', (socket) => {
      this.log.debug({ id: socket.id }, 'dashboard connected');
      socket.emit('state:snapshot', { ...this.snapshot(), seq: this.seq });
      socket.on('state:resync', () => socket.emit('state:snapshot', { ...this.snapshot(), seq: this.seq }));
    });
    this.timer = setInterval(() => this.flushReadings(), batchMs);
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  alert(kind: AlertEventKind, alert: Alert): void {
    this.io.emit(`alert:${kind}`, { seq: ++this.seq, alert });
  }

  latest(lv: LatestValues): void {
    this.pending.set(lv.mn, lv);
  }

  private flushReadings(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.io.emit('reading:batch', batch);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.io.close();
  }
}
