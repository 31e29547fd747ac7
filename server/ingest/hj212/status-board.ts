/**
 * What the HJ 212 ingest knows about each registered logger besides its data: when it last sent a
 * frame and from where, its restarts (CN 2081) and heartbeats (CN 9015), whether it is connected
 * over TCP now. The `notify` it is built with hears every change (the ingest stage announces the
 * TCP connections as `logger:status`).
 */
export type Hj212Transport = 'tcp' | 'mqtt';

export interface LoggerStatus {
  mn: string;
  transport: Hj212Transport;
  /** Address of the last connection (`ip:port`) or the MQTT topic. */
  peer: string;
  /** A TCP connection from this logger is open. */
  connected: boolean;
  lastFrameAt: number;
  lastHeartbeatAt: number | null;
  /** When the restart was reported (DataTime of the 2081) and the logger's own RestartTime. */
  lastRestartAt: number | null;
  restartTime: number | null;
  restarts: number;
}

export type StatusEvent = 'frame' | 'restart' | 'heartbeat' | 'connected' | 'disconnected';

export class LoggerStatusBoard {
  private readonly byMn = new Map<string, LoggerStatus>();
  /** MNs last heard on each open TCP connection. */
  private readonly byPeer = new Map<string, Set<string>>();

  constructor(private readonly notify: (event: StatusEvent, status: LoggerStatus) => void = () => undefined) {}

  get(mn: string): LoggerStatus | undefined {
    return this.byMn.get(mn);
  }

  all(): LoggerStatus[] {
    return [...this.byMn.values()];
  }

  /** A frame of a registered source arrived. */
  noteFrame(mn: string, at: number, transport: Hj212Transport, peer: string): void {
    if (transport === 'tcp') {
      let mns = this.byPeer.get(peer);
      if (!mns) this.byPeer.set(peer, (mns = new Set()));
      mns.add(mn);
    }
    const s = this.byMn.get(mn);
    if (!s) {
      const status: LoggerStatus = {
        mn,
        transport,
        peer,
        connected: transport === 'tcp',
        lastFrameAt: at,
        lastHeartbeatAt: null,
        lastRestartAt: null,
        restartTime: null,
        restarts: 0,
      };
      this.byMn.set(mn, status);
      this.emit('connected', status);
      return;
    }
    const reconnected = transport === 'tcp' && !s.connected;
    s.lastFrameAt = at;
    s.transport = transport;
    s.peer = peer;
    if (reconnected) {
      s.connected = true;
      this.emit('connected', s);
    }
  }

  noteRestart(mn: string, at: number, restartTime: number | undefined): void {
    const s = this.byMn.get(mn);
    if (!s) return;
    s.lastRestartAt = at;
    s.restartTime = restartTime ?? null;
    s.restarts++;
    this.emit('restart', s);
  }

  noteHeartbeat(mn: string, at: number): void {
    const s = this.byMn.get(mn);
    if (!s) return;
    s.lastHeartbeatAt = at;
    this.emit('heartbeat', s);
  }

  /** Open TCP connections (`ip:port`) that sent frames of any of these MNs. */
  peersOf(mns: ReadonlySet<string>): string[] {
    return [...this.byPeer].filter(([, heard]) => [...heard].some((mn) => mns.has(mn))).map(([peer]) => peer);
  }

  /** The TCP connection `peer` closed: its loggers are no longer connected (unless they moved). */
  disconnected(peer: string): void {
    const mns = this.byPeer.get(peer);
    this.byPeer.delete(peer);
    for (const mn of mns ?? []) {
      const s = this.byMn.get(mn);
      if (!s || !s.connected || s.peer !== peer) continue;
      s.connected = false;
      this.emit('disconnected', s);
    }
  }

  private emit(event: StatusEvent, status: LoggerStatus): void {
    this.notify(event, status);
  }
}
