/** Telemetry in InfluxDB through the v1 HTTP API (schema: see line-protocol.ts). */
import type { LatestValues } from '../../domain/events';
import {
  DATA_FLAGS,
  FACTOR_FIELDS,
  type DataFlag,
  type DataKind,
  type FactorValue,
  type Reading,
  type SeriesPoint,
} from '../../domain/reading';
import type {
  RecordsQuery,
  SeriesQuery,
  SourcesRecordsQuery,
  StoredRecord,
  TelemetryRecordReader,
  TelemetryStore,
} from '../telemetry-store';
import { InfluxHttp, type InfluxHttpOptions, type InfluxSeries } from './influx-http';
import { InfluxRetention, type InfluxRetentionOptions } from './influx-retention';
import { LinesBuffer } from '../lines-buffer';
import { storedReading } from '../reading-codec';
import { influxIdent, influxString, lineDataKind, lineDataKindAt, readingToLine } from './line-protocol';

const NEWLINE = 0x0a;

const FLAGS = new Set<string>(DATA_FLAGS);
/** A store built without retention options (tests, tools) writes every kind to the default policy. */
const NO_POLICIES: InfluxRetentionOptions = { policies: false, realtimeDays: 0, minuteDays: 0 };

/** A `{factor}_{field}` column: where its cell goes (other columns — time, the tags — have none). */
interface ColumnPlace {
  index: number;
  code: string;
  field: (typeof FACTOR_FIELDS)[number] | 'flag';
}

const FIELD_NAMES = new Set<string>([...FACTOR_FIELDS, 'flag']);

/** The series' factor columns, decoded once for all its rows (a raw read back is ~10,000 rows of ~30 columns). */
function columnPlaces(columns: readonly string[]): ColumnPlace[] {
  const places: ColumnPlace[] = [];
  columns.forEach((col, index) => {
    const cut = col.lastIndexOf('_');
    if (cut <= 0 || col === 'time') return;
    const field = col.slice(cut + 1);
    if (FIELD_NAMES.has(field)) places.push({ index, code: col.slice(0, cut), field: field as ColumnPlace['field'] });
  });
  return places;
}

/** Folds one row back into factor values (a factor absent at that instant is null in its columns). */
function rowToFactors(places: readonly ColumnPlace[], row: unknown[]): Record<string, FactorValue> {
  const factors: Record<string, FactorValue> = {};
  for (const { index, code, field } of places) {
    const cell = row[index];
    if (cell === null || cell === undefined) continue;
    const v = (factors[code] ??= { flag: 'N' });
    if (field === 'flag') {
      if (typeof cell === 'string' && FLAGS.has(cell)) v.flag = cell as DataFlag;
    } else if (typeof cell === 'number') v[field] = cell;
  }
  return factors;
}

/**
 * Every factor column and no tag: the field keys are `{factor}_{field}`, the tag keys (cn, ent, kind,
 * mn) have no underscore. `SELECT *` sent the tags' strings again on every row of a read back.
 */
const FACTOR_COLUMNS = '/_/';

/** A series' rows as records (the series' columns are the union of its fields: a factor absent at an instant is null there). */
function seriesRecords(s: InfluxSeries): StoredRecord[] {
  const t = s.columns.indexOf('time');
  const places = columnPlaces(s.columns);
  return s.values.map((row) => ({ ts: row[t] as number, factors: rowToFactors(places, row) }));
}

export class InfluxTelemetryStore implements TelemetryStore, TelemetryRecordReader {
  readonly name = 'influx';
  readonly http: InfluxHttp;
  /** Which retention policy each data kind is written to and read from (server/domain/retention.ts). */
  readonly retention: InfluxRetention;
  /** What the last init() found worth a warning (a finite default policy, points from before the policies). */
  initWarnings: string[] = [];

  /** `retention`: the product passes the configured periods (telemetry-module.ts); absent, no policies. */
  constructor(private readonly opts: InfluxHttpOptions & { createDb: boolean; retention?: InfluxRetentionOptions }) {
    this.http = new InfluxHttp(opts);
    this.retention = new InfluxRetention(this.http, opts.db, opts.retention ?? NO_POLICIES);
  }

  async init(): Promise<void> {
    if (this.opts.createDb) await this.http.query(`CREATE DATABASE ${influxIdent(this.opts.db)}`, 'POST');
    this.initWarnings = await this.retention.ensure();
  }

  async write(readings: readonly Reading[]): Promise<void> {
    await this.writeEncoded(LinesBuffer.of(readings.map(readingToLine)));
  }

  encode(reading: Reading): string {
    return readingToLine(reading);
  }

  /**
   * One write per retention policy. A batch of line protocol of one policy (a batch is usually one
   * data kind) goes as the bytes it holds; otherwise its lines are sorted by policy, an earlier
   * spool's JSON converted.
   */
  async writeEncoded(lines: LinesBuffer): Promise<void> {
    if (lines.count === 0) return;
    const rp = this.onePolicyOf(lines.bytes);
    if (rp !== undefined) return this.http.write(lines.bytes, rp);
    const byPolicy = new Map<string | null, string[]>();
    for (const text of lines.lines()) {
      const line = text.startsWith('{') ? readingToLine(storedReading(text)) : text;
      const policy = this.retention.policyOf(lineDataKind(line) as DataKind);
      const list = byPolicy.get(policy);
      if (list) list.push(line);
      else byPolicy.set(policy, [line]);
    }
    for (const [policy, list] of byPolicy) await this.http.write(LinesBuffer.of(list).bytes, policy);
  }

  /** The retention policy of every line, when they are all line protocol of one; undefined otherwise. */
  private onePolicyOf(bytes: Buffer): string | null | undefined {
    let rp: string | null | undefined;
    for (let at = 0; at < bytes.length;) {
      const nl = bytes.indexOf(NEWLINE, at);
      const kind = lineDataKindAt(bytes, at, nl);
      if (kind === undefined) return undefined;
      const policy = this.retention.policyOf(kind as DataKind);
      if (rp === undefined) rp = policy;
      else if (policy !== rp) return undefined;
      at = nl + 1;
    }
    return rp;
  }

  async latest(cn: DataKind): Promise<LatestValues[]> {
    const [series = []] = await this.http.query(
      `SELECT * FROM ${this.retention.from(cn)} WHERE cn = ${influxString(cn)} GROUP BY mn ORDER BY time DESC LIMIT 1`,
    );
    return series.flatMap((s: InfluxSeries) => {
      const row = s.values[0];
      const mn = s.tags?.mn;
      if (!row || !mn) return [];
      const ts = row[s.columns.indexOf('time')] as number;
      // SELECT * also returns the tag columns (cn, ent, kind); columnPlaces keeps `{factor}_{field}` only.
      return [{ mn, cn, ts, factors: rowToFactors(columnPlaces(s.columns), row) }];
    });
  }

  async series(q: SeriesQuery): Promise<SeriesPoint[]> {
    const cols = [...FACTOR_FIELDS, 'flag'].map((f) => influxIdent(`${q.factor}_${f}`)).join(', ');
    const [series = []] = await this.http.query(
      `SELECT ${cols} FROM ${this.retention.from(q.cn)} WHERE mn = ${influxString(q.mn)} AND cn = ${influxString(q.cn)} ` +
        `AND time >= ${q.from}ms AND time < ${q.to}ms ORDER BY time ASC`,
    );
    const s = series[0];
    if (!s) return [];
    const places = columnPlaces(s.columns);
    return s.values.flatMap((row) => {
      const v = rowToFactors(places, row)[q.factor];
      return v ? [{ ts: row[0] as number, ...v }] : [];
    });
  }

  async records(q: RecordsQuery): Promise<StoredRecord[]> {
    const [series = []] = await this.http.query(
      `SELECT ${FACTOR_COLUMNS} FROM ${this.retention.from(q.cn)} WHERE mn = ${influxString(q.mn)} AND cn = ${influxString(q.cn)} ` +
        `AND time >= ${q.from}ms AND time < ${q.to}ms ORDER BY time ASC`,
    );
    const s = series[0];
    return s ? seriesRecords(s) : [];
  }

  /** One query, a series per source (GROUP BY mn). */
  async recordsOfSources(q: SourcesRecordsQuery): Promise<Map<string, StoredRecord[]>> {
    const out = new Map<string, StoredRecord[]>(q.mns.map((mn) => [mn, []]));
    if (q.mns.length === 0) return out;
    const mns = q.mns.map((mn) => `mn = ${influxString(mn)}`).join(' OR ');
    const [series = []] = await this.http.query(
      `SELECT ${FACTOR_COLUMNS} FROM ${this.retention.from(q.cn)} WHERE (${mns}) AND cn = ${influxString(q.cn)} ` +
        `AND time >= ${q.from}ms AND time < ${q.to}ms GROUP BY mn ORDER BY time ASC`,
      // Thousands of names may not fit a URL.
      'POST',
    );
    for (const s of series) {
      const mn = s.tags?.mn;
      if (mn !== undefined && out.has(mn)) out.set(mn, seriesRecords(s));
    }
    return out;
  }

  /** One query: a series per source (GROUP BY mn), its first point in the range only (LIMIT 1). */
  async sourcesWithRecords(cn: DataKind, from: number, to: number): Promise<Set<string>> {
    const [series = []] = await this.http.query(
      `SELECT * FROM ${this.retention.from(cn)} WHERE cn = ${influxString(cn)} AND time >= ${from}ms AND time < ${to}ms GROUP BY mn LIMIT 1`,
    );
    return new Set(series.flatMap((s) => (s.tags?.mn === undefined ? [] : [s.tags.mn])));
  }

  ping(): Promise<boolean> {
    return this.http.ping();
  }

  async close(): Promise<void> {
    // fetch keeps no state that needs closing; pending writes belong to the BatchWriter.
  }
}
