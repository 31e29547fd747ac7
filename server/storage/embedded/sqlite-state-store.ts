/**
 * StateStore on SQLite (better-sqlite3, WAL): one database, one file per table kind. Opening a
 * database of an earlier version migrates it forward in one transaction.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import type { StateStore } from '../state-store';
import { migrateAlertHistory, SqliteAlertHistory } from './sqlite-alert-history';
import { migrateAlerts, SqliteAlertTable } from './sqlite-alert-table';
import { migrateOutbox, SqliteOutbox } from './sqlite-outbox';
import { migrateSuppressions, SqliteMaintenanceTable, SqliteSilenceTable } from './sqlite-suppression-tables';

export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  readonly alerts: SqliteAlertTable;
  readonly history: SqliteAlertHistory;
  readonly silences: SqliteSilenceTable;
  readonly maintenance: SqliteMaintenanceTable;
  readonly outbox: SqliteOutbox;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.transaction(() => {
      migrateAlerts(this.db);
      migrateAlertHistory(this.db);
      migrateSuppressions(this.db);
      migrateOutbox(this.db);
    })();
    this.alerts = new SqliteAlertTable(this.db);
    this.history = new SqliteAlertHistory(this.db);
    this.silences = new SqliteSilenceTable(this.db);
    this.maintenance = new SqliteMaintenanceTable(this.db);
    this.outbox = new SqliteOutbox(this.db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}
