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
import { influxIdent, influxString, readingsToBody } from './line-protocol';

const FLAGS = new Set<string>(DATA_FLAGS);
/** A store built without retention options (tests, tools) writes every kind to the default policy. */
const NO_POLICIES: InfluxRetentionOptions = { policies: false, realtimeDays: 0, minuteDays: 0 };

/** Folds one row of `{factor}_{field}` columns back into factor values. */
function rowToFactors(columns: string[], row: unknown[]): Record<string, FactorValue> {
  const factors: Record<string, FactorValue> = {};
  columns.forEach((col, i) => {
    const cell = row[i];
    if (cell === null || cell === undefined || col === 'time') return;
    const cut = col.lastIndexOf('_');
    if (cut <= 0) return;
    const code = col.slice(0, cut);
    const field = col.slice(cut + 1);
    const v = (factors[code] ??= { flag: 'N' });
    if (field === 'flag' && typeof cell === 'string' && FLAGS.has(cell)) v.flag = cell as DataFlag;
    else if ((FACTOR_FIELDS as readonly string[]).includes(field) && typeof cell === 'number')
      v[field as (typeof FACTOR_FIELDS)[number]] = cell;
  });
  return factors;
}

/** A series' rows as records (SELECT * returns the union of the series' columns: a factor absent at an instant is null there). */
function seriesRecords(s: InfluxSeries): StoredRecord[] {
  const t = s.columns.indexOf('time');
  return s.values.map((row) => ({ ts: row[t] as number, factors: rowToFactors(s.columns, row) }));
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
    if (readings.length === 0) return;
    // One write per retention policy: a batch is usually one data kind, so one request.
    const byPolicy = new Map<string | null, Reading[]>();
    for (const r of readings) {
      const rp = this.retention.policyOf(r.cn);
      const list = byPolicy.get(rp);
      if (list) list.push(r);
      else byPolicy.set(rp, [r]);
    }
    for (const [rp, list] of byPolicy) await this.http.write(readingsToBody(list), rp);
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
      // SELECT * also returns the tag columns (cn, ent, kind); rowToFactors keeps `{factor}_{field}` only.
      return [{ mn, cn, ts, factors: rowToFactors(s.columns, row) }];
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
    return s.values.flatMap((row) => {
      const v = rowToFactors(s.columns, row)[q.factor];
      return v ? [{ ts: row[0] as number, ...v }] : [];
    });
  }

  async records(q: RecordsQuery): Promise<StoredRecord[]> {
    const [series = []] = await this.http.query(
      `SELECT * FROM ${this.retention.from(q.cn)} WHERE mn = ${influxString(q.mn)} AND cn = ${influxString(q.cn)} ` +
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
      `SELECT * FROM ${this.retention.from(q.cn)} WHERE (${mns}) AND cn = ${influxString(q.cn)} ` +
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
