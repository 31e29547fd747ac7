/**
 * The HJ 212 ingest assembled: one processor (with its counters, logger statuses and unknown-MN
 * list) behind the TCP listener and the MQTT handler. app.ts builds one and starts/stops it.
 */
import type { Source } from '../../domain/registry';
import type { SignalChannels } from '../../domain/signal-acceptance';
import type { Logger } from '../../logger';
import type { RawArchive } from '../../storage/raw-archive';
import type { ReadingSink } from '../reading-sink';
import { Hj212GatewayHandler } from './mqtt-gateway';
import { Hj212MqttHandler } from './mqtt-hj212';
import { Hj212Processor, type Hj212ProcessorDeps, type Hj212ProcessorOptions } from './hj212-processor';
import { Hj212Stats } from './hj212-stats';
import type { SplitTimers } from './split-reassembler';
import { LoggerStatusBoard, type LoggerStatus, type StatusEvent } from './status-board';
import { Hj212TcpListener, type Hj212TcpOptions } from './tcp-listener';
import { UnknownMnList } from './unknown-mns';

export interface Hj212IngestOptions extends Hj212ProcessorOptions {
  /** The TCP listener; null: HJ 212 over MQTT only. */
  tcp: Hj212TcpOptions | null;
  /** Largest MQTT payload taken, bytes. */
  maxPayloadBytes: number;
}

export interface Hj212IngestDeps {
  lookup: (mn: string) => Source | undefined;
  sink: ReadingSink;
  archive: RawArchive;
  log: Logger;
  now?: () => number;
  timers?: SplitTimers;
  /** The channels registered facilities name, by logger (signal-acceptance.ts); absent: none. */
  signals?: () => SignalChannels;
  /** Hears every change of a logger's status (connections, restarts, heartbeats). */
  onStatus?: (event: StatusEvent, status: LoggerStatus) => void;
  /** Hears every accepted frame of a registered source (Hj212ProcessorDeps.onFrame). */
  onFrame?: Hj212ProcessorDeps['onFrame'];
}

export class Hj212Ingest {
  readonly stats = new Hj212Stats();
  readonly status: LoggerStatusBoard;
  readonly unknown = new UnknownMnList();
  readonly processor: Hj212Processor;
  readonly tcp: Hj212TcpListener | null;

  constructor(
    private readonly opts: Hj212IngestOptions,
    deps: Hj212IngestDeps,
  ) {
    this.status = new LoggerStatusBoard(deps.onStatus);
    this.processor = new Hj212Processor(opts, {
      ...deps,
      stats: this.stats,
      status: this.status,
      unknown: this.unknown,
      log: deps.log.child({ part: 'processor' }),
    });
    this.tcp = opts.tcp ? new Hj212TcpListener(opts.tcp, this.processor, this.stats, this.status, deps.log.child({ part: 'tcp' })) : null;
  }

  /** The handler for messages on sentinel/v1/+/hj212; `publish` sends replies (QoS 1). */
  mqttHandler(publish: (topic: string, payload: Uint8Array) => void): Hj212MqttHandler {
    return new Hj212MqttHandler(this.processor, publish, this.opts.maxPayloadBytes);
  }

  /** The handler for frames HJ 212 gateways forward on sentinel/v1/+/hj212/gateway. */
  gatewayHandler(): Hj212GatewayHandler {
    return new Hj212GatewayHandler(this.processor, this.status, this.opts.maxPayloadBytes);
  }

  /**
   * Closes the TCP connections that carried frames of these MNs (a removed source, a rotated pw):
   * the logger must reconnect and is judged by the registry as it is now. Returns how many closed.
   */
  closeLoggers(mns: readonly string[]): number {
    if (!this.tcp || mns.length === 0) return 0;
    return this.tcp.closePeers(new Set(this.status.peersOf(new Set(mns))));
  }

  /** Starts the TCP listener; resolves with its port (null without one). */
  async start(): Promise<number | null> {
    return this.tcp ? this.tcp.start() : null;
  }

  /** Stops the listener (letting replies finish), hands out incomplete split uploads, drains. */
  async stop(): Promise<void> {
    await this.tcp?.stop();
    await this.processor.close();
  }
}
