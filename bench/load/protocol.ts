/** Messages between the load generator (parent) and its publisher child processes (IPC). */
import type { BenchKind } from '../bench-registry';

export interface PublisherSpec {
  url: string;
  clientIdPrefix: string;
  /** MQTT connections of this publisher. */
  connections: number;
  /** Unacknowledged QoS 1 messages allowed per connection. */
  window: number;
  /** Offered messages/s of this publisher. */
  rate: number;
  /** Stop after this long; null runs until told to stop. */
  durationMs: number | null;
  sources: { mn: string; kind: BenchKind }[];
  /** At most this many messages per source; null for no limit. */
  perSource: number | null;
  /**
   * The k-th message of a source is stamped tsBase + (k mod tsWrap)·tsStep + ⌊k / tsWrap⌋ ms:
   * unique per (mn, ts) and, with tsBase + tsWrap·tsStep in the past, never in the future.
   */
  tsBase: number;
  tsStep: number;
  tsWrap: number;
}

export interface PublisherCounts {
  /** Handed to mqtt.js. */
  sent: number;
  /** Acknowledged by the broker (PUBACK): "published". */
  acked: number;
  failed: number;
}

export type ToPublisher = { type: 'connect'; spec: PublisherSpec } | { type: 'go' } | { type: 'stop' };

export type FromPublisher =
  | { type: 'ready' }
  | ({ type: 'progress' } & PublisherCounts)
  | ({ type: 'done'; elapsedMs: number; ackedPerSource: number[] } & PublisherCounts)
  | { type: 'error'; message: string };
