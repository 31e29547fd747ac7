/**
 * The reports' hourly rollup store on SQLite or PostgreSQL (Kysely): `reports.db` in the data
 * directory, or the database of DATABASE_URL. The hours of a day still open are rows of
 * `rollup_hours`; once the day closes, `compact` packs them into one `rollup_days` row per source,
 * so a day report of every source reads one row per source (one indexed query).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import {
  decodeSourceHour,
  encodeSourceHour,
  type DayFigures,
  type HourlyRollupStore,
  type PackedDay,
  type SourceHour,
  type SourceHourKey,
} from '../hourly-rollup';
import { lastHourOf, mergeDay, unpackDay } from '../rollup-day';
import { DAY_MS } from '../../domain/local-time';
import { openSqlDatabase, type SqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { ROLLUP_MIGRATIONS, type RollupTables } from './rollup-tables';

/** Rows per statement (well under SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 500;
/** Above this many sources a read takes every source's rows and filters here (no giant IN list). */
const MAX_MN_FILTER = 500;

/**
 * Sources packed per transaction of `compact`, the event loop given a turn between them: packing a
 * day of 510 sources in one went was a 177 ms stretch, and a report asked meanwhile waited for it
 * (bench, 2026-12-06).
 */
const COMPACT_SOURCES = 100;

const chunks = <T>(xs: readonly T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
const bytes = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

interface DayRow {
  mn: string;
  day: number;
  data: Uint8Array;
}

export class SqlHourlyRollup implements HourlyRollupStore {
  readonly name: string;
  private readonly sql: SqlDatabase<RollupTables>;
  private readonly db: Kysely<RollupTables>;
  /** Migrations the last init() ran. */
  migrated: string[] = [];

  constructor(location: string) {
    this.sql = openSqlDatabase<RollupTables>(location);
    this.db = this.sql.db;
    this.name = this.sql.dialect;
  }

  async init(): Promise<void> {
    this.migrated = await migrateToLatest(this.db as Kysely<unknown>, ROLLUP_MIGRATIONS);
  }

  /** Day rows starting in [fromDay, toDay); a long source list is filtered after the read. */
  private async dayRows(db: Kysely<RollupTables>, mns: readonly string[] | null, fromDay: number, toDay: number): Promise<DayRow[]> {
    if (mns?.length === 0) return [];
    const wanted = mns && mns.length > MAX_MN_FILTER ? new Set(mns) : null;
    let q = db.selectFrom('rollup_days').select(['mn', 'day', 'data']).where('day', '>=', fromDay).where('day', '<', toDay);
    if (mns && !wanted) q = q.where('mn', 'in', [...mns]);
    const out: DayRow[] = [];
    for (const r of await q.execute()) if (!wanted || wanted.has(r.mn)) out.push({ mn: r.mn, day: Number(r.day), data: r.data });
    return out;
  }

  async get(mns: readonly string[] | null, from: number, to: number): Promise<SourceHour[]> {
    if (mns?.length === 0) return [];
    const wanted = mns && mns.length > MAX_MN_FILTER ? new Set(mns) : null;
    let q = this.db.selectFrom('rollup_hours').select(['mn', 'hour', 'data']).where('hour', '>=', from).where('hour', '<', to);
    if (mns && !wanted) q = q.where('mn', 'in', [...mns]);
    const rows = await q.execute();
    const out: SourceHour[] = [];
    for (const r of rows) {
      if (wanted && !wanted.has(r.mn)) continue;
      const h = decodeSourceHour(r.mn, Number(r.hour), r.data);
      if (h) out.push(h);
    }
    for (const d of await this.dayRows(this.db, mns, from - DAY_MS + 1, to))
      for (const h of unpackDay(d.mn, d.day, d.data)) if (h.hour >= from && h.hour < to) out.push(h);
    return out;
  }

  async getDays(mns: readonly string[] | null, fromDay: number, toDay: number): Promise<PackedDay[]> {
    return this.dayRows(this.db, mns, fromDay, toDay);
  }

  /** The day rows holding any of these hours (a chunk's sources), keyed `mn day`. */
  private async rowsHolding(trx: Transaction<RollupTables>, keys: readonly SourceHourKey[]): Promise<Map<string, DayRow>> {
    const hours = keys.map((k) => k.hour);
    const rows = await this.dayRows(trx, [...new Set(keys.map((k) => k.mn))], Math.min(...hours) - DAY_MS + 1, Math.max(...hours) + 1);
    return new Map(rows.map((r) => [`${r.mn} ${r.day}`, r]));
  }

  private static rowOf(rows: ReadonlyMap<string, DayRow>, k: SourceHourKey): DayRow | undefined {
    for (const r of rows.values()) if (r.mn === k.mn && k.hour >= r.day && k.hour < r.day + DAY_MS) return r;
    return undefined;
  }

  private async writeDay(trx: Transaction<RollupTables>, row: DayRow, data: Uint8Array | null): Promise<void> {
    // Its report figures were computed from what it held.
    await trx.deleteFrom('rollup_day_figures').where('mn', '=', row.mn).where('day', '=', row.day).execute();
    if (!data) {
      await trx.deleteFrom('rollup_days').where('mn', '=', row.mn).where('day', '=', row.day).execute();
      return;
    }
    const values = { mn: row.mn, day: row.day, last_hour: lastHourOf(row.day, data), data: bytes(data) };
    await trx
      .insertInto('rollup_days')
      .values(values)
      .onConflict((oc) => oc.columns(['mn', 'day']).doUpdateSet({ last_hour: values.last_hour, data: values.data }))
      .execute();
  }

  /** Hours of a packed day go into its row; the others are rows of their own. */
  async put(hours: readonly SourceHour[]): Promise<void> {
    if (hours.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(hours)) {
        const rows = await this.rowsHolding(trx, part);
        const toRows = new Map<DayRow, SourceHour[]>();
        const loose: SourceHour[] = [];
        for (const h of part) {
          const row = rows.size > 0 ? SqlHourlyRollup.rowOf(rows, h) : undefined;
          if (row) (toRows.get(row) ?? toRows.set(row, []).get(row))?.push(h);
          else loose.push(h);
        }
        for (const [row, hs] of toRows) await this.writeDay(trx, row, mergeDay(row.mn, row.day, row.data, hs));
        if (loose.length === 0) continue;
        await trx
          .insertInto('rollup_hours')
          .values(loose.map((h) => ({ mn: h.mn, hour: h.hour, data: encodeSourceHour(h) })))
          .onConflict((oc) => oc.columns(['mn', 'hour']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
          .execute();
      }
    });
  }

  async drop(keys: readonly SourceHourKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(keys)) {
        await trx
          .deleteFrom('rollup_hours')
          .where((eb) => eb.or(part.map((k) => eb.and([eb('mn', '=', k.mn), eb('hour', '=', k.hour)]))))
          .execute();
        const rows = await this.rowsHolding(trx, part);
        if (rows.size === 0) continue;
        const removed = new Map<DayRow, Set<number>>();
        for (const k of part) {
          const row = SqlHourlyRollup.rowOf(rows, k);
          if (row) (removed.get(row) ?? removed.set(row, new Set()).get(row))?.add(k.hour);
        }
        for (const [row, hs] of removed) await this.writeDay(trx, row, mergeDay(row.mn, row.day, row.data, [], hs));
      }
    });
  }

  async compact(day: number): Promise<number> {
    const end = day + DAY_MS;
    const mns = (
      await this.db.selectFrom('rollup_hours').select('mn').distinct().where('hour', '>=', day).where('hour', '<', end).execute()
    ).map((r) => r.mn);
    for (const [i, part] of chunks(mns, COMPACT_SOURCES).entries()) {
      if (i > 0) await nextTurn();
      await this.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('rollup_hours')
          .select(['mn', 'hour', 'data'])
          .where('mn', 'in', part)
          .where('hour', '>=', day)
          .where('hour', '<', end)
          .execute();
        const bySource = new Map<string, SourceHour[]>();
        for (const r of rows) {
          const h = decodeSourceHour(r.mn, Number(r.hour), r.data);
          if (h) (bySource.get(r.mn) ?? bySource.set(r.mn, []).get(r.mn))?.push(h);
        }
        const kept = new Map((await this.dayRows(trx, part, day, day + 1)).map((r) => [r.mn, r]));
        for (const [mn, hs] of bySource) {
          const row = kept.get(mn) ?? { mn, day, data: new Uint8Array(0) };
          await this.writeDay(trx, row, mergeDay(mn, day, kept.get(mn)?.data, hs));
        }
        await trx.deleteFrom('rollup_hours').where('mn', 'in', part).where('hour', '>=', day).where('hour', '<', end).execute();
      });
    }
    return mns.length;
  }

  async getDayFigures(day: number): Promise<DayFigures[]> {
    return this.db.selectFrom('rollup_day_figures').select(['mn', 'basis', 'data']).where('day', '=', day).execute();
  }

  async putDayFigures(day: number, rows: readonly DayFigures[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(rows))
        await trx
          .insertInto('rollup_day_figures')
          .values(part.map((r) => ({ ...r, day })))
          .onConflict((oc) =>
            oc.columns(['mn', 'day']).doUpdateSet((eb) => ({ basis: eb.ref('excluded.basis'), data: eb.ref('excluded.data') })),
          )
          .execute();
    });
  }

  async oldestUnpacked(before: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('rollup_hours')
      .select((eb) => eb.fn.min('hour').as('first'))
      .where('hour', '<', before)
      .executeTakeFirst();
    return row?.first === null || row?.first === undefined ? null : Number(row.first);
  }

  async lastHour(): Promise<number | null> {
    const hours = await this.db
      .selectFrom('rollup_hours')
      .select((eb) => eb.fn.max('hour').as('last'))
      .executeTakeFirst();
    const days = await this.db
      .selectFrom('rollup_days')
      .select((eb) => eb.fn.max('last_hour').as('last'))
      .executeTakeFirst();
    const last = [hours?.last, days?.last].filter((v) => v !== null && v !== undefined).map(Number);
    return last.length === 0 ? null : Math.max(...last);
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
