/**
 * Every HJ 212 frame as received — bytes, peer, time and verdict — kept for audits of data
 * falsification (数据造假): what the logger really sent, including what was refused and why.
 */

export const RAW_TRANSPORTS = ['tcp', 'mqtt'] as const;
export type RawTransport = (typeof RAW_TRANSPORTS)[number];

export interface RawFrameRecord {
  /** Epoch ms when the bytes arrived. */
  receivedAt: number;
  /** The frame's MN, or the MN it claims when it was refused before decoding (null: none). */
  mn: string | null;
  cn: string | null;
  transport: RawTransport;
  /** `ip:port` of the TCP connection, or the MQTT topic. */
  peer: string;
  /** `accepted` or the rejection reason. */
  verdict: string;
  detail: string | null;
  /** The bytes exactly as received (a garbage run: its first bytes; an aggregate row: a sample). */
  bytes: Uint8Array;
  /**
   * How many refusals this row stands for: 1 (absent) for a frame kept verbatim; more for the one
   * row a flooding peer's refusals of one reason are counted into per interval (see
   * server/ingest/hj212/refusal-throttle.ts), `detail` saying which.
   */
  count?: number;
}

export interface StoredRawFrame extends RawFrameRecord {
  id: number;
  count: number;
}

export interface RawFrameQuery {
  mn: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  limit: number;
}

export interface RawArchive {
  /** Queues a record; resolves once it is durable (records are written in batches). */
  append(record: RawFrameRecord): Promise<void>;
  /** One source's frames in [from, to), oldest first. */
  query(q: RawFrameQuery): Promise<StoredRawFrame[]>;
  /** Deletes records received before `before`; resolves with how many. */
  prune(before: number): Promise<number>;
  /** Writes everything queued. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
