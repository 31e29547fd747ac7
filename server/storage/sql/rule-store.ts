/**
 * Durable rule configuration and state (issue 15: Kysely, on SQLite or PostgreSQL): the rule pack
 * an administrator set over the API (it wins over the file), the per-source overrides (a permit's
 * limits and rule parameters), and the engine's state one row per source. Values are stored as
 * JSON and validated by the rules when read back. A source's row carries the epoch of its
 * partition's lease it was written under: a write under an older epoch than the row's is refused,
 * so a worker that lost a partition never overwrites what its new owner saved (epoch 0, the
 * all-in-one process, writes unfenced).
 */
import type { Kysely } from 'kysely';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { RULE_MIGRATIONS, type RuleTables } from './rule-tables';

export interface StoredOverride {
  mn: string;
  value: unknown;
  updatedBy: string;
  updatedAt: number;
}

export interface StoredPack {
  value: unknown;
  updatedBy: string;
  updatedAt: number;
}

export interface SourceStateWrite {
  mn: string;
  value: unknown;
  /** The epoch of the source's partition held by the writer; 0: unfenced (the all-in-one process). */
  epoch: number;
}

export interface RuleStore {
  loadPack(): Promise<StoredPack | null>;
  /** null: back to the file's pack. */
  savePack(value: unknown, by: string, at: number): Promise<void>;
  /** In MN order. */
  loadOverrides(): Promise<StoredOverride[]>;
  /** null value: remove the override. */
  saveOverride(mn: string, value: unknown, by: string, at: number): Promise<void>;
  /** The saved state of these sources (absent: of every source), by MN. */
  loadSourceStates(mns?: readonly string[]): Promise<Map<string, unknown>>;
  /** Writes each source's state (encoded at the call), in one transaction; returns how many were written (a fenced-off row is not). */
  saveSourceStates(rows: readonly SourceStateWrite[], at: number): Promise<number>;
  deleteSourceStates(mns: readonly string[]): Promise<void>;
  /** The hand-written store's whole-engine snapshot (an upgraded state.db), or null. */
  loadLegacySnapshot(): Promise<unknown>;
  dropLegacySnapshot(): Promise<void>;
  close(): Promise<void>;
}

/** Rows per statement (well under SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 500;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

export class KyselyRuleStore implements RuleStore {
  constructor(
    private readonly db: Kysely<RuleTables>,
    private readonly closeDb: () => Promise<void> = async () => undefined,
  ) {}

  async loadPack(): Promise<StoredPack | null> {
    const row = await this.db.selectFrom('rule_pack').selectAll().where('id', '=', 1).executeTakeFirst();
    return row ? { value: JSON.parse(row.value) as unknown, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) } : null;
  }

  async savePack(value: unknown, by: string, at: number): Promise<void> {
    if (value === null) {
      await this.db.deleteFrom('rule_pack').where('id', '=', 1).execute();
      return;
    }
    const row = { value: JSON.stringify(value), updated_by: by, updated_at: at };
    await this.db
      .insertInto('rule_pack')
      .values({ id: 1, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async loadOverrides(): Promise<StoredOverride[]> {
    const rows = await this.db.selectFrom('rule_overrides').selectAll().orderBy('mn').execute();
    return rows.map((r) => ({ mn: r.mn, value: JSON.parse(r.value) as unknown, updatedBy: r.updated_by, updatedAt: Number(r.updated_at) }));
  }

  async saveOverride(mn: string, value: unknown, by: string, at: number): Promise<void> {
    if (value === null) {
      await this.db.deleteFrom('rule_overrides').where('mn', '=', mn).execute();
      return;
    }
    const row = { value: JSON.stringify(value), updated_by: by, updated_at: at };
    await this.db
      .insertInto('rule_overrides')
      .values({ mn, ...row })
      .onConflict((oc) => oc.column('mn').doUpdateSet(row))
      .execute();
  }

  async loadSourceStates(mns?: readonly string[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const take = (rows: { mn: string; value: string }[]) => {
      for (const r of rows) out.set(r.mn, JSON.parse(r.value) as unknown);
    };
    if (mns === undefined) {
      take(await this.db.selectFrom('rule_source_state').select(['mn', 'value']).execute());
      return out;
    }
    for (const part of chunks(mns)) {
      take(await this.db.selectFrom('rule_source_state').select(['mn', 'value']).where('mn', 'in', part).execute());
    }
    return out;
  }

  async saveSourceStates(rows: readonly SourceStateWrite[], at: number): Promise<number> {
    if (rows.length === 0) return 0;
    // Encoded now: the caller's state may move on while the transaction waits for its connection.
    const encoded = rows.map((r) => ({ mn: r.mn, value: JSON.stringify(r.value), epoch: r.epoch, saved_at: at }));
    return this.db.transaction().execute(async (trx) => {
      let written = 0;
      for (const part of chunks(encoded)) {
        const result = await trx
          .insertInto('rule_source_state')
          .values(part)
          .onConflict((oc) =>
            oc
              .column('mn')
              .doUpdateSet((eb) => ({
                value: eb.ref('excluded.value'),
                epoch: eb.ref('excluded.epoch'),
                saved_at: eb.ref('excluded.saved_at'),
              }))
              .where((eb) => eb.or([eb('excluded.epoch', '=', 0), eb('rule_source_state.epoch', '<=', eb.ref('excluded.epoch'))])),
          )
          .executeTakeFirst();
        written += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return written;
    });
  }

  async deleteSourceStates(mns: readonly string[]): Promise<void> {
    for (const part of chunks(mns)) await this.db.deleteFrom('rule_source_state').where('mn', 'in', part).execute();
  }

  async loadLegacySnapshot(): Promise<unknown> {
    const row = await this.db.selectFrom('rule_state').select('snapshot').where('id', '=', 1).executeTakeFirst();
    return row ? (JSON.parse(row.snapshot) as unknown) : null;
  }

  async dropLegacySnapshot(): Promise<void> {
    await this.db.deleteFrom('rule_state').execute();
  }

  close(): Promise<void> {
    return this.closeDb();
  }
}

/** Opens the rule store at a location (a SQLite file, state.db, or a PostgreSQL URL) and migrates it. */
export async function openRuleStore(location: string): Promise<KyselyRuleStore> {
  const opened = openSqlDatabase<RuleTables>(location);
  try {
    await migrateToLatest(opened.db as Kysely<unknown>, RULE_MIGRATIONS);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return new KyselyRuleStore(opened.db, () => opened.close());
}
