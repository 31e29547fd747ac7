/**
 * The jobs lease (issue 15): of the processes sharing one PostgreSQL, exactly one runs the
 * cluster-wide jobs; when its connection dies (the process killed, the machine lost) another takes
 * over at its next check; one that stops hands over the same way.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgJobLease, SOLE_JOB_LEASE } from '../../../server/cluster/job-lease';
import { createLogger } from '../../../server/logger';
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
    await until(() => !first.held() && holders() === 1, 'another process takes the lease');
    const second = leases.find((l) => l.held())!;
    expect(second).not.toBe(first);
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
