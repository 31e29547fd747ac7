/** RuleStore on SQLite (better-sqlite3, WAL), beside the state store in state.db. */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import type { RuleStore, StoredOverride } from '../rule-store';

export class SqliteRuleStore implements RuleStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rule_state (id INTEGER PRIMARY KEY CHECK (id = 1), snapshot TEXT NOT NULL, saved_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rule_pack (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rule_overrides (mn TEXT PRIMARY KEY, value TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
    `);
  }

  loadSnapshot(): unknown {
    const row = this.db.prepare('SELECT snapshot FROM rule_state WHERE id = 1').get() as { snapshot: string } | undefined;
    return row ? (JSON.parse(row.snapshot) as unknown) : null;
  }

  saveSnapshot(snapshot: unknown, at: number): void {
    this.db
      .prepare(
        'INSERT INTO rule_state (id, snapshot, saved_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at',
      )
      .run(JSON.stringify(snapshot), at);
  }

  loadPack(): { value: unknown; updatedBy: string; updatedAt: number } | null {
    const row = this.db.prepare('SELECT value, updated_by, updated_at FROM rule_pack WHERE id = 1').get() as
      { value: string; updated_by: string; updated_at: number } | undefined;
    return row ? { value: JSON.parse(row.value) as unknown, updatedBy: row.updated_by, updatedAt: row.updated_at } : null;
  }

  savePack(value: unknown, by: string, at: number): void {
    if (value === null) {
      this.db.prepare('DELETE FROM rule_pack WHERE id = 1').run();
      return;
    }
    this.db
      .prepare(
        'INSERT INTO rule_pack (id, value, updated_by, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      )
      .run(JSON.stringify(value), by, at);
  }

  loadOverrides(): StoredOverride[] {
    const rows = this.db.prepare('SELECT mn, value, updated_by, updated_at FROM rule_overrides ORDER BY mn').all() as {
      mn: string;
      value: string;
      updated_by: string;
      updated_at: number;
    }[];
    return rows.map((r) => ({ mn: r.mn, value: JSON.parse(r.value) as unknown, updatedBy: r.updated_by, updatedAt: r.updated_at }));
  }

  saveOverride(mn: string, value: unknown, by: string, at: number): void {
    if (value === null) {
      this.db.prepare('DELETE FROM rule_overrides WHERE mn = ?').run(mn);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO rule_overrides (mn, value, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (mn) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      )
      .run(mn, JSON.stringify(value), by, at);
  }

  close(): void {
    this.db.close();
  }
}
