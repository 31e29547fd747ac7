/**
 * Partition leases in one process (issue 15 item 3), on the run's real PostgreSQL and a real
 * Mosquitto: a lease connection the server ends drops every partition at once, the other worker
 * takes them under a new epoch, the stale epoch is fenced (in a transaction, and before a
 * partition's MQTT session connects again), and an MQTT 5 session keeps its queue between owners.
 */
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { assertOwner, LeaseLostError, PgPartitionLeases } from '../../../server/cluster/partition-leases';
import type { LeaseTables } from '../../../server/cluster/lease-tables';
import { SoleOwner, type PartitionOwnership, type ReleaseReason } from '../../../server/cluster/ownership';
import { PartitionSessions } from '../../../server/cluster/partition-sessions';
import { partitionClientId } from '../../../server/cluster/partitioning';
import { dataTopic } from '../../../server/domain/mqtt-contract';
import { createLogger } from '../../../server/logger';
import { openSqlDatabase } from '../../../server/storage/sql/database';
import { ownMosquitto } from '../../helpers/own-broker';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { until } from '../../helpers/wait';

const broker = ownMosquitto();
const log = createLogger('silent');

/** An owner's events, as the test sees them. */
function recorder(owner: PartitionOwnership) {
  const released: { p: number; why: ReleaseReason }[] = [];
  owner.on('released', (p, why) => void released.push({ p, why }));
  return released;
}

describe('partition leases on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let admin: pg.Client;
  let db: Kysely<LeaseTables>;
  const owners: PartitionOwnership[] = [];
  const leases = (worker: string) => {
    const l = new PgPartitionLeases({ url, partitions: 8, worker, recheckMs: 300 }, log);
    owners.push(l);
    return l;
  };

  beforeAll(async () => {
    ({ url, drop } = await freshPgDatabase());
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    db = openSqlDatabase<LeaseTables>(url).db;
  });
  afterAll(async () => {
    for (const o of owners) await o.stop();
    await db?.destroy();
    await admin?.end();
    await drop?.();
  });

  it('a lease connection ended by the server drops its partitions at once; they are taken again under new epochs; the stale ones are fenced', async () => {
    const a = leases('a');
    const b = leases('b');
    const lostByA = recorder(a);
    await a.start();
    await b.start();
    await until(() => a.held().size === 4 && b.held().size === 4, 'a 4/4 split');
    const before = new Map(a.held());
    for (const [p, epoch] of before) {
      expect(await a.stillOwner(p, epoch)).toBe(true);
      await expect(db.transaction().execute((trx) => assertOwner(trx, p, epoch))).resolves.toBeUndefined();
    }

    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'o3-ingest a'`);
    await until(() => lostByA.filter((r) => r.why === 'lost').length === 4, 'a lets its 4 partitions go');
    // Taken again under a new epoch: by b, or by a once it is back (which one is the other test file's business).
    const holder = (p: number) => a.held().get(p) ?? b.held().get(p);
    await until(() => [...before].every(([p, epoch]) => (holder(p) ?? 0) > epoch), 'the partitions taken again');
    for (const [p, epoch] of before) {
      expect(await a.stillOwner(p, epoch)).toBe(false);
      await expect(db.transaction().execute((trx) => assertOwner(trx, p, epoch))).rejects.toBeInstanceOf(LeaseLostError);
      await expect(db.transaction().execute((trx) => assertOwner(trx, p, holder(p)!))).resolves.toBeUndefined();
    }
    // a reconnects, counts as live again, and the two share the partitions once more.
    await until(() => a.held().size === 4 && b.held().size === 4, 'a back to its share');
  });
});

describe('partition sessions', () => {
  const received: string[] = [];
  const routes = {
    ready: () => null,
    handlers: [
      {
        filter: '#',
        matches: () => true,
        handle: (_t: string, payload: Buffer) => {
          received.push(payload.toString());
          return null;
        },
      },
    ],
  };

  it('an MQTT 5 session (session expiry) keeps its queue while no one owns the partition', async () => {
    const session = (owner: SoleOwner) =>
      new PartitionSessions(
        { url: broker.url(), protocolVersion: 5, clientIdPrefix: 'v5' },
        { ownership: owner, sources: () => ['MN5'], routes, log },
      );
    const first = new SoleOwner(1, log);
    session(first);
    await first.start();
    await first.stop();
    const publisher = await mqtt.connectAsync(broker.url(), { clientId: 'v5-publisher' });
    for (const n of [1, 2, 3]) await publisher.publishAsync(dataTopic('MN5'), `r${n}`, { qos: 1 });
    await publisher.endAsync();
    const next = new SoleOwner(1, log);
    session(next);
    await next.start();
    await until(() => received.length === 3, 'the queued readings');
    expect(received).toEqual(['r1', 'r2', 'r3']);
    await next.stop();
  });

  it('follows the registry: a new source is subscribed, a removed one dropped', async () => {
    received.length = 0;
    let sources = ['MNA'];
    const owner = new SoleOwner(1, log);
    const sessions = new PartitionSessions(
      { url: broker.url(), clientIdPrefix: 'refresh' },
      { ownership: owner, sources: () => sources, routes, log },
    );
    await owner.start();
    const publisher = await mqtt.connectAsync(broker.url(), { clientId: 'refresh-publisher' });
    try {
      await publisher.publishAsync(dataTopic('MNA'), 'a1', { qos: 1 });
      await until(() => received.includes('a1'), 'the first source');
      sources = ['MNB'];
      await sessions.refresh();
      // One publisher, in order: once b1 is in, a2 would have come before it had MNA stayed subscribed.
      await publisher.publishAsync(dataTopic('MNA'), 'a2', { qos: 1 });
      await publisher.publishAsync(dataTopic('MNB'), 'b1', { qos: 1 });
      await until(() => received.includes('b1'), 'the new source');
      expect(received).toEqual(['a1', 'b1']);
    } finally {
      await publisher.endAsync();
      await owner.stop();
    }
  });

  it('a worker whose lease moved on does not take the broker session back from the new owner', async () => {
    const { url, drop } = await freshPgDatabase();
    const owner = new PgPartitionLeases({ url, partitions: 1, worker: 'stale', recheckMs: 60_000 }, log);
    const sessions = new PartitionSessions(
      { url: broker.url(), clientIdPrefix: 'fence' },
      { ownership: owner, sources: () => ['MNF'], routes, log },
    );
    try {
      await owner.start();
      await until(() => sessions.connected().includes(0), 'the session of partition 0');
      // Another worker acquired partition 0 meanwhile (the stale one has not noticed yet) and connects as its owner.
      const other = openSqlDatabase<LeaseTables>(url).db;
      await other.updateTable('cluster_partitions').set({ epoch: 2, owner: 'new' }).where('partition', '=', 0).execute();
      await other.destroy();
      const newOwner = await mqtt.connectAsync(broker.url(), { clientId: partitionClientId(0, 'fence'), clean: false, reconnectPeriod: 0 });
      await until(() => !sessions.connected().includes(0), 'the stale session taken over');
      // The stale worker's guard asks the database, sees the epoch moved on and gives the session up.
      await until(() => !sessions.has(0), 'the stale session given up');
      expect(await owner.stillOwner(0, 1)).toBe(false);
      expect(newOwner.connected).toBe(true);
      const got: string[] = [];
      newOwner.on('message', (_topic, payload) => got.push(payload.toString()));
      await newOwner.subscribeAsync(dataTopic('MNF'), { qos: 1 });
      await newOwner.publishAsync(dataTopic('MNF'), 'to the new owner', { qos: 1 });
      await until(() => got.length === 1, 'the new owner reads on');
      await newOwner.endAsync();
    } finally {
      await owner.stop();
      await drop();
    }
  });
});
