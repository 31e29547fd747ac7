/**
 * The partitions' fencing table (issue 15 item 3), PostgreSQL only (an embedded SQLite process owns
 * every partition and needs no lease). One row per partition that was ever owned: its epoch rises
 * by one each time a worker acquires the partition's lease, so whoever writes as the partition's
 * owner can prove it still is (partition-leases.ts, `assertOwner`). Its own migration history
 * (`cluster_migrations`); Kysely's schema builder only.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from '../storage/sql/migrate';

export interface PartitionEpochRow {
  partition: number;
  /** 1 at the first acquisition, +1 at each one after. */
  epoch: number;
  /** The worker that holds (or last held) the lease, for people reading the table. */
  owner: string;
  acquired_at: number;
}

export interface LeaseTables {
  cluster_partitions: PartitionEpochRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cluster_partitions')
      .addColumn('partition', 'integer', (c) => c.primaryKey())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

export const LEASE_MIGRATIONS: MigrationList = {
  store: 'cluster',
  migrations: { '0001-partition-epochs': init },
};
