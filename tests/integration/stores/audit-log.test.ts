/**
 * The audit log's contract on both engines (a SQLite file and a PostgreSQL database): what is
 * recorded, the viewer's filters and paging, and what is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authEngines, type OpenedAuthDb } from '../../helpers/auth-engines';
import { AuditLog } from '../../../server/auth/audit-log';

describe.each(authEngines())('AuditLog on $name', (engine) => {
  let t: number;
  let opened: OpenedAuthDb;
  let audit: AuditLog;
  const officer = { userId: 2, username: 'officer', role: 'officer' as const, enterpriseId: null };
  beforeEach(async () => {
    t = 100;
    opened = await engine.open();
    audit = new AuditLog(opened.db, () => t);
    await audit.record({ actor: { userId: 1, username: 'admin', role: 'admin' }, action: 'login', ip: '10.0.0.1' });
    t = 200;
    await audit.record({ actor: { username: 'mallory' }, action: 'login_failed', ip: '10.0.0.9', detail: { reason: 'unknown_user' } });
    t = 300;
    await audit.record({ actor: officer, action: 'alert_acknowledged', target: 'alert:42', detail: { note: '已通知企业' } });
    t = 400;
    await audit.record({
      actor: { userId: 1, username: 'admin', role: 'admin' },
      action: 'role_changed',
      target: 'user:2',
      detail: { from: 'officer', to: 'ozone' },
    });
  });
  afterEach(() => opened.close());

  it('records who, role, action, target, detail, ip and when', async () => {
    expect((await audit.query({ action: 'alert_acknowledged' })).items).toEqual([
      {
        id: 3,
        at: 300,
        userId: 2,
        username: 'officer',
        role: 'officer',
        action: 'alert_acknowledged',
        target: 'alert:42',
        detail: { note: '已通知企业' },
        ip: null,
      },
    ]);
  });

  it.each([
    [{}, [4, 3, 2, 1], 4],
    [{ action: ['login', 'login_failed'] }, [2, 1], 2],
    [{ username: 'ADMIN' }, [4, 1], 2],
    [{ userId: 2 }, [3], 1],
    [{ role: 'admin' }, [4, 1], 2],
    [{ target: 'user:2' }, [4], 1],
    [{ from: 200, to: 400 }, [3, 2], 2],
    [{ limit: 2 }, [4, 3], 4],
    [{ limit: 2, offset: 2 }, [2, 1], 4],
    [{ username: 'Mallory', action: 'login_failed' }, [2], 1],
  ] as const)('query %j → ids %j of %i', async (q, ids, total) => {
    const r = await audit.query(q as never);
    expect(r.items.map((i) => i.id)).toEqual(ids);
    expect(r.total).toBe(total);
  });

  it('refuses malformed or unknown actions and malformed queries', async () => {
    await expect(audit.record({ actor: null, action: 'Drop Table' as never })).rejects.toThrow();
    // Only the actions server/domain/audit.ts declares are written (the viewer has words for each).
    await expect(audit.record({ actor: null, action: 'campaign_started' as never })).rejects.toThrow();
    expect((await audit.query({ action: 'campaign_started' })).total).toBe(0); // a query may name any well-formed action
    await expect(audit.query({ limit: 5000 })).rejects.toThrow();
    expect((await audit.query({})).total).toBe(4);
  });
});
