/**
 * Retention policies on InfluxDB 1.x (issue 20): real-time data (2011) in `o3s_realtime`, minute
 * data (2051) in `o3s_minute`, each with its configured duration (INF for 0 days); hour (2061) and
 * day (2031) data and the reports' hourly rollup stay in the database's default policy, which the
 * product never alters (`autogen`, infinite, on a new database; a warning is logged when it is not).
 * Created at start, idempotent; a changed period alters the policy's duration.
 *
 * An existing deployment: its real-time and minute points written before the policies existed are
 * in the default policy. While any are there, reads of that kind query both policies, and the
 * product's pruner deletes them by the same periods (`DELETE … WHERE cn = … AND time < …`), until
 * none is left.
 */
import type { DataKind } from '../../domain/reading';
import { DAY_MS } from '../../domain/local-time';
import { PRUNED_KINDS, keepDays, type PrunedKind } from '../../domain/retention';
import type { InfluxHttp } from './influx-http';
import { influxIdent, influxString, MEASUREMENT } from './line-protocol';

export const RETENTION_POLICIES: Record<PrunedKind, string> = { '2011': 'o3s_realtime', '2051': 'o3s_minute' };

const isPruned = (cn: DataKind): cn is PrunedKind => (PRUNED_KINDS as readonly string[]).includes(cn);

export interface InfluxRetentionOptions {
  /** false (InfluxDB 2.x/3.x): every kind goes to the default policy / bucket. */
  policies: boolean;
  realtimeDays: number;
  minuteDays: number;
}

/** The store's retention options from the `retention` config (the app's store, and tools or tests that write as it does). */
export const influxRetentionOf = (r: { influxPolicies: boolean; realtimeDays: number; minuteDays: number }): InfluxRetentionOptions => ({
  policies: r.influxPolicies,
  realtimeDays: r.realtimeDays,
  minuteDays: r.minuteDays,
});

/** Where the product keeps a kind's points with the policies on (no points left from before them): for tools and tests. */
export const telemetryOf = (cn: DataKind): string => (isPruned(cn) ? `${influxIdent(RETENTION_POLICIES[cn])}.${MEASUREMENT}` : MEASUREMENT);

interface PolicyRow {
  name: string;
  durationMs: number;
  isDefault: boolean;
}

/** `2160h0m0s` → ms (InfluxDB's SHOW RETENTION POLICIES); `0s` is INF → 0. */
export function parseInfluxDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m) return Number.NaN;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

export class InfluxRetention {
  private defaultPolicy: string | null = null;
  /** Kinds that still have points in the default policy (written before the policies existed). */
  private readonly legacy = new Set<PrunedKind>();

  constructor(
    private readonly http: InfluxHttp,
    private readonly db: string,
    private readonly o: InfluxRetentionOptions,
  ) {}

  /** The policy a kind is written to; null: the default one (no `rp` parameter). */
  policyOf(cn: DataKind): string | null {
    return this.o.policies && isPruned(cn) ? RETENTION_POLICIES[cn] : null;
  }

  /** The FROM clause reading a kind's points: its policy, and the default one while it holds older points. */
  from(cn: DataKind): string {
    const rp = this.policyOf(cn);
    if (rp === null) return MEASUREMENT;
    const own = `${influxIdent(this.db)}.${influxIdent(rp)}.${MEASUREMENT}`;
    if (!isPruned(cn) || !this.legacy.has(cn) || this.defaultPolicy === null) return own;
    return `${own}, ${influxIdent(this.db)}.${influxIdent(this.defaultPolicy)}.${MEASUREMENT}`;
  }

  /** The policies as InfluxDB has them. */
  async policies(): Promise<PolicyRow[]> {
    const [series = []] = await this.http.query(`SHOW RETENTION POLICIES ON ${influxIdent(this.db)}`);
    const s = series[0];
    if (!s) return [];
    const col = (name: string) => s.columns.indexOf(name);
    return s.values.map((row) => ({
      name: String(row[col('name')]),
      durationMs: parseInfluxDuration(String(row[col('duration')])),
      isDefault: row[col('default')] === true,
    }));
  }

  /** Creates or alters the policies (idempotent) and looks for older points in the default one. Returns warnings to log. */
  async ensure(): Promise<string[]> {
    if (!this.o.policies) return [];
    const warnings: string[] = [];
    let existing: PolicyRow[];
    try {
      existing = await this.policies();
    } catch (err) {
      throw new Error(
        'could not read the InfluxDB retention policies (on InfluxDB 2.x/3.x set retention.influxPolicies: false ' +
          'and give the bucket its retention there)',
        { cause: err },
      );
    }
    for (const cn of PRUNED_KINDS) {
      const name = RETENTION_POLICIES[cn];
      const days = keepDays(cn, this.o);
      const duration = days === 0 ? 'INF' : `${days}d`;
      const have = existing.find((p) => p.name === name);
      if (!have) {
        await this.http.query(
          `CREATE RETENTION POLICY ${influxIdent(name)} ON ${influxIdent(this.db)} DURATION ${duration} REPLICATION 1`,
          'POST',
        );
      } else if (have.durationMs !== days * DAY_MS) {
        await this.http.query(`ALTER RETENTION POLICY ${influxIdent(name)} ON ${influxIdent(this.db)} DURATION ${duration}`, 'POST');
      }
    }
    const def = existing.find((p) => p.isDefault) ?? null;
    this.defaultPolicy = def && !Object.values(RETENTION_POLICIES).includes(def.name) ? def.name : null;
    if (def && def.durationMs !== 0) {
      warnings.push(
        `the default retention policy ${def.name} of ${this.db} keeps data ${def.durationMs / DAY_MS} days: ` +
          'hour and day data and the hourly rollup are meant to be kept for good',
      );
    }
    await this.findLegacy();
    if (this.legacy.size > 0) {
      warnings.push(
        `points of data kinds ${[...this.legacy].join(', ')} from before the retention policies are in ${this.defaultPolicy}: ` +
          'read beside the new ones and pruned by the same periods',
      );
    }
    return warnings;
  }

  /** Kinds with points in the default policy; without a default policy of its own, none. */
  private async findLegacy(): Promise<void> {
    this.legacy.clear();
    if (this.defaultPolicy === null) return;
    const from = `${influxIdent(this.db)}.${influxIdent(this.defaultPolicy)}.${MEASUREMENT}`;
    for (const cn of PRUNED_KINDS) {
      const [series = []] = await this.http.query(`SELECT * FROM ${from} WHERE cn = ${influxString(cn)} LIMIT 1`);
      if (series.length > 0) this.legacy.add(cn);
    }
  }

  /** Kinds whose older points in the default policy the pruner still has to delete. */
  get legacyKinds(): readonly PrunedKind[] {
    return [...this.legacy];
  }

  /**
   * Deletes a kind's points before `before` from the default policy (InfluxDB 1.x's DELETE takes no
   * policy: the kind's own policy loses the same points, which its duration drops anyway), then
   * looks again whether any are left.
   */
  async pruneLegacy(cn: PrunedKind, before: number): Promise<void> {
    await this.http.query(`DELETE FROM ${MEASUREMENT} WHERE cn = ${influxString(cn)} AND time < ${before}ms`, 'POST');
    await this.findLegacy();
  }
}
