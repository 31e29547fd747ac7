/**
 * The jobs lease (issue 15): of the processes sharing one PostgreSQL, exactly one runs the
 * cluster-wide jobs; when its connection dies (the process killed, the machine lost) another takes
 * over at its next check; one that stops hands over the same way. Two processes' notifiers over one
 * PostgreSQL outbox: only the holder delivers, so an item is not sent by two passes at once.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/alerts/notifier';
import { PgJobLease, SOLE_JOB_LEASE } from '../../../server/cluster/job-lease';
import type { Alert } from '../../../server/domain/alert';
import { createLogger } from '../../../server/logger';
import { openAlertState, type AlertState } from '../../../server/storage/sql/alert-store';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { until } from '../../helpers/wait';

const log = createLogger('silent');

describe('the jobs lease on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let admin: pg.Client;
  const leases: PgJobLease[] = [];
  const lease = (name: string) => {
    const l = new PgJobLease({ url, name, recheckMs: 200 }, log);
    leases.push(l);
    return l;
  };
  const holders = () => leases.filter((l) => l.held()).length;

  beforeAll(async () => {
    ({ url, drop } = await freshPgDatabase());
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const l of leases) await l.stop();
    await admin?.end();
    await drop?.();
  });

  it('one holder among three; a killed connection or a stop hands it to another', async () => {
    const [a, b, c] = [lease('a'), lease('b'), lease('c')];
    await Promise.all([a.start(), b.start(), c.start()]);
    await until(() => holders() === 1, 'one holder');
    const first = leases.find((l) => l.held())!;
    const name = ['a', 'b', 'c'][leases.indexOf(first)];
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [`o3-jobs ${name}`]);
    // The killed connection's holder stops at once; then one holder again — another, or the first
    // itself once it reconnected and took the free lock first (both right: one holder).
    await until(() => !first.held(), 'the holder whose connection was killed stops');
    await until(() => holders() === 1, 'one holder again');
    const second = leases.find((l) => l.held())!;
    await second.stop();
    await until(() => holders() === 1, 'a third holder after a stop');
    expect(leases.find((l) => l.held())).not.toBe(second);
    // The first one reconnects and waits its turn: still one holder.
    await new Promise((r) => setTimeout(r, 600));
    expect(holders()).toBe(1);
  });

  it('the embedded process always holds it', async () => {
    await SOLE_JOB_LEASE.start();
    expect(SOLE_JOB_LEASE.held()).toBe(true);
  });
});

describe('outbox delivery under the jobs lease', () => {
  let url: string;
  let drop: () => Promise<void>;
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push((JSON.parse(body) as { alert: Alert }).alert.mn);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const stores: AlertState[] = [];
  const leases: PgJobLease[] = [];

  beforeAll(async () => {
    ({ url, drop } = await freshPgDatabase());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const l of leases) await l.stop();
    for (const s of stores) await s.close();
    await new Promise((r) => server.close(r));
    await drop?.();
  });

  it('only the process holding the lease delivers; after it stops, the other delivers what is left', async () => {
    const target = { name: 'duty', url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, format: 'json' as const };
    const process = async (name: string) => {
      const store = await openAlertState(url);
      stores.push(store);
      const lease = new PgJobLease({ url, name, recheckMs: 200 }, log);
      leases.push(lease);
      await lease.start();
      const options = { targets: [target], timeoutMs: 2_000, retryBaseMs: 1_000, retryMaxMs: 5_000, maxAgeMs: 3_600_000 };
      const notifier = new Notifier(options, { outbox: store.outbox, log, now: Date.now, mayDeliver: () => lease.held() });
      return { lease, notifier };
    };
    const a = await process('a');
    const b = await process('b');
    expect([a.lease.held(), b.lease.held()]).toEqual([true, false]);
    const alert = (mn: string, id: number) => ({ id, mn, rule: 'limit', factor: 'a21001', severity: 'major', state: 'active' }) as Alert;

    await b.notifier.enqueue('opened', alert('M1', 1)); // enqueued on b, which does not deliver
    expect(await b.notifier.dispatch()).toBe(0);
    expect(received).toEqual([]);
    expect(await a.notifier.dispatch()).toBe(1);
    expect(received).toEqual(['M1']);

    await a.lease.stop();
    await b.notifier.enqueue('opened', alert('M2', 2));
    expect(await a.notifier.dispatch()).toBe(0);
    await until(() => b.lease.held(), 'b takes the lease');
    expect(await b.notifier.dispatch()).toBe(1);
    expect(received).toEqual(['M1', 'M2']);
  });
});
