/**
 * The reports' hourly rollup in InfluxDB, beside the telemetry it sums up:
 *   report_hourly,mn=370300… data="{…}" <hour start, ms>
 * One point per source and local hour (same series + time overwrites). A dropped hour is
 * overwritten with data="" (cheaper than DELETE, and ordered with the writes around it).
 */
import { decodeSourceHour, encodeSourceHour, type HourlyRollupStore, type SourceHour, type SourceHourKey } from '../hourly-rollup';
import type { InfluxHttp } from './influx-http';
import { influxString } from './line-protocol';

export const ROLLUP_MEASUREMENT = 'report_hourly';
/** Above this many sources a query reads every source's hours and filters here (no giant OR). */
const MAX_MN_FILTER = 20;

const escapeTag = (s: string): string => s.replace(/([,= \\])/g, '\\$1');
const escapeField = (s: string): string => s.replace(/(["\\])/g, '\\$1');
const line = (mn: string, hour: number, data: string): string =>
  `${ROLLUP_MEASUREMENT},mn=${escapeTag(mn)} data="${escapeField(data)}" ${hour}`;

export class InfluxHourlyRollup implements HourlyRollupStore {
  readonly name = 'influx';

  constructor(private readonly http: InfluxHttp) {}

  async init(): Promise<void> {
    // The database is the telemetry store's (created there); the measurement appears with its first point.
  }

  async get(mns: readonly string[] | null, from: number, to: number): Promise<SourceHour[]> {
    const wanted = mns === null ? null : new Set(mns);
    if (wanted?.size === 0) return [];
    const byMn = wanted && wanted.size <= MAX_MN_FILTER ? ` AND (${[...wanted].map((m) => `mn = ${influxString(m)}`).join(' OR ')})` : '';
    const [series = []] = await this.http.query(
      `SELECT data FROM ${ROLLUP_MEASUREMENT} WHERE time >= ${from}ms AND time < ${to}ms${byMn} GROUP BY mn`,
    );
    const out: SourceHour[] = [];
    for (const s of series) {
      const mn = s.tags?.mn;
      if (!mn || (wanted && !wanted.has(mn))) continue;
      for (const row of s.values) {
        const h = decodeSourceHour(mn, row[0] as number, typeof row[1] === 'string' ? row[1] : '');
        if (h) out.push(h);
      }
    }
    return out;
  }

  async put(hours: readonly SourceHour[]): Promise<void> {
    if (hours.length === 0) return;
    await this.http.write(hours.map((h) => line(h.mn, h.hour, encodeSourceHour(h))).join('\n'));
  }

  async drop(keys: readonly SourceHourKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.http.write(keys.map((k) => line(k.mn, k.hour, '')).join('\n'));
  }

  async close(): Promise<void> {
    // Nothing held: the HTTP client is the telemetry store's.
  }
}
