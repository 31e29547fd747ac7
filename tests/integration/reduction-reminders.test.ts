/**
 * Reduction-list reminders on the real app (issue 18 item 1; PLANS E3), the app's clock fixed:
 * nothing on 31 July; from 1 August every enterprise with air emissions and no 2026 list gets one
 * notice (淄川建材 by email: due by 31 August), 齐鲁热电 with its 2026 list none; the next tick, a
 * later day and a restart on the same data send nothing again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReductionCoverageRow } from '../../server/domain/reduction-list-api';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import { SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const MAIL = 'env@zichuan.example.cn';

describe('reduction-list reminders from 1 August, once per enterprise and year', () => {
  const smtp = new SmtpSink();
  const dataDir = mkdtempSync(join(tmpdir(), 'o3-reminders-'));
  let clock = Date.parse('2026-07-31T12:00:00+08:00');
  let t: TestApp;
  const start = () =>
    startTestApp(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', SMTP_FROM: 'o3-alerts@sthj.example.cn' },
      { now: () => clock, dataDir },
    );
  const reminders = () => smtp.mails.filter((m) => m.to.includes(MAIL) && m.subject.startsWith('【应急减排清单报送提醒】'));

  beforeAll(async () => {
    await smtp.start();
    t = await start();
    const lists = await openReductionListStore(registryDatabase(t.config));
    await lists.store.save({ enterpriseId: 'qilu-power', year: 2026, entries: [], filedBy: 'officer', filedAt: clock });
    await lists.close();
    const zichuan = await t.signIn('zichuan-cement');
    const me = await zichuan.call('PUT', '/api/notify-settings/me', {
      contacts: { email: MAIL, phone: null },
      subscription: { enabled: false, minSeverity: 'critical', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    expect(me.status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends nothing before 1 August', async () => {
    expect(await t.app.remindLists()).toBe(0);
  });

  it('from 1 August reminds every emitter without a 2026 list once; the enterprise reads when it is due', async () => {
    clock = Date.parse('2026-08-01T09:00:00+08:00');
    const officer = await t.signIn('officer');
    const coverage = (await officer.call<{ items: ReductionCoverageRow[] }>('GET', '/api/reduction-lists')).body.items;
    const due = coverage.filter((r) => r.enterpriseId !== 'qilu-power').map((r) => r.enterpriseId);
    expect(due).toContain('zichuan-cement');
    expect(coverage.map((r) => r.enterpriseId)).toContain('qilu-power');
    expect(await t.app.remindLists()).toBe(due.length);
    expect(await t.app.remindLists()).toBe(0);
    await until(() => reminders().length === 1, 'the reminder to 淄川建材');
    expect(reminders()[0]?.subject).toBe('【应急减排清单报送提醒】淄川建材水泥有限公司');
    expect(reminders()[0]?.text).toContain('请于 2026年8月31日前报送 2026 年度应急减排清单');
  });

  it('a later day and a restart send nothing again', async () => {
    clock = Date.parse('2026-08-20T09:00:00+08:00');
    expect(await t.app.remindLists()).toBe(0);
    await t.stop();
    t = await start(); // its start looks for reminders too
    expect(await t.app.remindLists()).toBe(0);
    expect(reminders()).toHaveLength(1);
  });
});
