/**
 * Where readings are kept: InfluxDB in production, SQLite for the embedded default run.
 * Both implementations pass one contract suite (tests/integration/telemetry-store.contract.ts).
 */
import type { LatestValues } from '../domain/events';
import type { DataKind, FactorValue, Reading, SeriesPoint } from '../domain/reading';
import type { LinesBuffer } from './lines-buffer';

export interface SeriesQuery {
  mn: string;
  cn: DataKind;
  factor: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface RecordsQuery {
  mn: string;
  cn: DataKind;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** `RecordsQuery` for many sources at once. */
export interface SourcesRecordsQuery {
  mns: readonly string[];
  cn: DataKind;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** One stored reading of a source: its instant and every factor it carried. */
export interface StoredRecord {
  ts: number;
  factors: Record<string, FactorValue>;
}

/**
 * Whole records of one source, for the reports' hourly rollup (server/reports). Kept apart from
 * TelemetryStore so test doubles of the writer's store need not implement it.
 */
export interface TelemetryRecordReader {
  /** Every record of one source and data kind over [from, to), oldest first, with all its factors. */
  records(q: RecordsQuery): Promise<StoredRecord[]>;
  /**
   * `records` of many sources in one question (a source asked with none maps to []): the rollup
   * recomputes the same hours of thousands of sources at once (after a restart, a replayed backlog),
   * and one question per source was most of the work.
   */
  recordsOfSources(q: SourcesRecordsQuery): Promise<Map<string, StoredRecord[]>>;
  /**
   * The sources with at least one record of this data kind over [from, to): one question for many
   * sources, so that a computation over thousands of them reads only those that have any.
   */
  sourcesWithRecords(cn: DataKind, from: number, to: number): Promise<Set<string>>;
}

export interface TelemetryStore {
  readonly name: string;
  /** Prepares the store (creates the database or tables). */
  init(): Promise<void>;
  /**
   * Resolves once every reading is durable. Idempotent: the same (mn, cn, ts, factor) written
   * twice keeps one value, so redelivered messages never double count.
   */
  write(readings: readonly Reading[]): Promise<void>;
  /**
   * A reading as this store writes it, one line of text (InfluxDB: its line protocol; SQLite: JSON):
   * made once at the intake, then spooled and batched as it is — a batch holds its lines' bytes, not
   * readings' objects (reading-codec.ts, lines-buffer.ts).
   */
  encode(reading: Reading): string;
  /** `write` of encoded readings; a line of the other store's encoding (a spool an earlier setup left) is taken too. */
  writeEncoded(lines: LinesBuffer): Promise<void>;
  /** The newest reading of the given data kind per source. */
  latest(cn: DataKind): Promise<LatestValues[]>;
  /** One factor of one source over [from, to), oldest first. */
  series(q: SeriesQuery): Promise<SeriesPoint[]>;
  /** True when the store answers (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A write failure that retrying cannot fix (the store refused the data itself). */
export class PermanentWriteError extends Error {
  override readonly name = 'PermanentWriteError';
}
