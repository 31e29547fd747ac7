/**
 * Who gets what, on the running app (issue 21 item 2, its "done means"): an administrator puts two
 * officers on the roster (primary, backup), gives people their contacts and subscriptions, and sets
 * the escalation chain (backup after 10 min, the chief after 20) over REST. A critical alert (bypass
 * flow over MQTT) reaches the on-duty officer by email (a real local SMTP server) and SMS (the Aliyun
 * stand-in, its signature checked) and a subscriber outside their quiet hours, never the off-duty
 * subscriber in theirs; unacknowledged, it goes to the backup once the app's clock passes 10 min (the
 * chain is run by hand, as its timer would: no waiting on time), once only, written into the alert's
 * history; acknowledged, the chain stops: the chief never hears of it. A restart of the app (same data
 * directory) neither sends a recorded step again nor forgets the next one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryEntry } from '../../server/domain/alert';
import type { DutyView, NotifySettings } from '../../server/domain/duty';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { AliyunSmsDouble } from '../helpers/aliyun-sms-double';
import { SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, signIn, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const CEMS = '370300CEMS00000000000201'; // zichuan-cement 窑尾烟囱
const KEY = { id: 'LTAI-duty-key', secret: 'duty-secret-77c1' };
const MIN = 60_000;
const H = 60 * MIN;
const PASSWORD = 'duty-test-pass-2026';

/** HH:MM China time of `at`. */
const hhmm = (at: number) => new Date(at + 8 * H).toISOString().slice(11, 16);

const settings = (email: string, phone: string | null, sub: Partial<NotifySettings['subscription']> = {}): NotifySettings => ({
  contacts: { email, phone },
  subscription: {
    enabled: false,
    minSeverity: 'critical',
    districts: [],
    kinds: [],
    rules: [],
    channels: ['email', 'sms'],
    quietHours: null,
    ...sub,
  },
});

describe('a critical alert reaches the on-duty officer, escalates while unacknowledged, respects quiet hours', () => {
  const smtp = new SmtpSink();
  const aliyun = new AliyunSmsDouble({ [KEY.id]: KEY.secret });
  let clock = Date.now();
  let t: TestApp;
  let admin: ApiSession;
  let logger: MqttClient;
  const mailTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    await Promise.all([smtp.start(), aliyun.start()]);
    t = await startTestApp(
      {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_SECURITY: 'none',
        SMTP_FROM: 'o3-alerts@sthj.example.cn',
        SMS_ENDPOINT: aliyun.url,
        SMS_ACCESS_KEY_ID: KEY.id,
        SMS_ACCESS_KEY_SECRET: KEY.secret,
        ALERT_ESCALATE_AFTER_MIN: '600',
      },
      { now: () => clock },
    );
    admin = await t.signIn('admin');
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `duty-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    await logger?.endAsync(true);
    await t?.stop();
    await Promise.all([smtp.close(), aliyun.close()]);
  });

  it('routes the alert to duty and subscribers, escalates once, and stops when acknowledged', async () => {
    for (const [username, displayName] of [
      ['zhou.duty', '周值班'],
      ['wu.backup', '吴备班'],
      ['zheng.night', '郑夜休'],
      ['feng.day', '冯订阅'],
      ['chen.chief', '陈科长'],
    ])
      expect((await admin.call('POST', '/api/users', { username, displayName, password: PASSWORD, role: 'officer' })).status).toBe(201);
    // The SMS account of personal texts: a (disabled, so it broadcasts nothing) target's sign name and template.
    const smsTarget = await admin.call<{ target: { id: string } }>('POST', '/api/notify-targets', {
      name: '个人短信模板',
      kind: 'sms',
      enabled: false,
      sms: { phones: ['13900000000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' },
    });
    expect(smsTarget.status).toBe(201);

    const put = (u: string, s: NotifySettings) => admin.call('PUT', `/api/duty/users/${u}/settings`, s);
    expect((await put('zhou.duty', settings('zhou@sthj.example.cn', '+86 138-0013-8001'))).status).toBe(200);
    expect((await put('wu.backup', settings('wu@sthj.example.cn', null))).status).toBe(200);
    expect((await put('chen.chief', settings('chen@sthj.example.cn', '13800138003'))).status).toBe(200);
    // Off duty, subscribed, in quiet hours now (an hour either side of now, China time): nothing.
    const quiet = { from: hhmm(clock - H), to: hhmm(clock + H) };
    expect((await put('zheng.night', settings('zheng@sthj.example.cn', '13800138004', { enabled: true, quietHours: quiet }))).status).toBe(
      200,
    );
    // Off duty, subscribed to zichuan CEMS by email, not in quiet hours: the email.
    const day = settings('feng@sthj.example.cn', '13800138005', {
      enabled: true,
      districts: ['淄川区'],
      kinds: ['cems'],
      channels: ['email'],
    });
    expect((await put('feng.day', day)).status).toBe(200);
    // A bad phone is refused, naming the field.
    const badPhone = await put('feng.day', settings('feng@sthj.example.cn', '1380013'));
    expect(badPhone.status).toBe(400);

    for (const [username, position] of [
      ['zhou.duty', 'primary'],
      ['wu.backup', 'backup'],
    ])
      expect(
        (await admin.call('POST', '/api/duty/shifts', { username, position, startsAt: clock - H, endsAt: clock + 8 * H })).status,
      ).toBe(201);
    const chain = {
      enabled: true,
      minSeverity: 'critical',
      steps: [
        { afterMin: 10, to: { kind: 'position', position: 'backup' } },
        { afterMin: 20, to: { kind: 'user', username: 'chen.chief' } },
      ],
      smsTargetId: smsTarget.body.target.id,
    };
    expect((await admin.call('PUT', '/api/duty/escalation', chain)).status).toBe(200);
    const officer = await t.signIn('officer');
    const now = await officer.call<{ primary: { displayName: string } | null }>('GET', '/api/duty/now');
    expect(now.body.primary?.displayName).toBe('周值班');

    await logger.publishAsync(
      dataTopic(CEMS),
      JSON.stringify({ cn: '2011', ts: clock - 1_000, factors: { abp01: { rtd: 1.2, flag: 'N' } } }),
      {
        qos: 1,
      },
    );
    await until(
      () => mailTo('zhou@sthj.example.cn').length > 0 && aliyun.sent.length > 0 && mailTo('feng@sthj.example.cn').length > 0,
      'duty and subscriber',
    );
    expect(mailTo('zhou@sthj.example.cn')[0]?.subject).toMatch(/^\[严重\] 新告警：窑尾烟囱 /);
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sent).toEqual([
      expect.objectContaining({
        phones: ['13800138001'],
        signName: '淄博生态环境',
        templateCode: 'SMS_465324011',
        params: expect.objectContaining({ event: '新告警' }),
      }),
    ]);
    // Queued in the same transaction as the others: had it been queued, it would have gone in the same pass.
    expect(mailTo('zheng@sthj.example.cn')).toEqual([]);
    // Everyone on duty gets a new alert, the backup too (by email: no phone).
    await until(() => mailTo('wu@sthj.example.cn').length > 0, 'the backup');

    const { body: list } = await admin.call<{ items: { id: number; mn: string }[] }>('GET', `/api/alerts?mn=${CEMS}`);
    const alertId = list.items[0]!.id;
    // Not yet due: nothing.
    clock += 9 * MIN;
    expect(await t.app.escalate()).toBe(0);
    clock += MIN;
    expect(await t.app.escalate()).toBe(1);
    expect(await t.app.escalate()).toBe(0);
    await until(() => mailTo('wu@sthj.example.cn').length > 1, 'the escalation to the backup');
    expect(mailTo('wu@sthj.example.cn').map((m) => m.subject.slice(0, 9))).toEqual(['[严重] 新告警：', '[严重] 告警升级']);
    const history = await admin.call<{ history: AlertHistoryEntry[] }>('GET', `/api/alerts/${alertId}`);
    expect(history.body.history.filter((e) => e.detail?.code === 'escalationStep').map((e) => e.detail)).toEqual([
      { code: 'escalationStep', step: 1, minutes: 10, to: 'backup', user: '吴备班', channels: ['email'] },
    ]);

    expect((await officer.call('POST', `/api/alerts/${alertId}/acknowledge`, {})).status).toBe(200);
    clock += 30 * MIN;
    expect(await t.app.escalate()).toBe(0);
    expect(mailTo('chen@sthj.example.cn')).toEqual([]);
    expect(mailTo('wu@sthj.example.cn')).toHaveLength(2);

    const view = await admin.call<DutyView>('GET', '/api/duty');
    expect(view.body.shifts.map((s) => s.username).sort()).toEqual(['wu.backup', 'zhou.duty']);
    const { body: audit } = await admin.call<{ items: { action: string }[] }>('GET', '/api/audit?limit=100');
    const actions = audit.items.map((a) => a.action);
    for (const a of ['duty.shift_created', 'duty.escalation_changed', 'duty.settings_changed']) expect(actions).toContain(a);
  });

  it('each user sets their own contacts and subscription; the roster is the administrator’s', async () => {
    const me = await signIn(t.baseUrl, 'feng.day', PASSWORD);
    const mine = await me.call<NotifySettings & { canEmail: boolean; canSms: boolean }>('GET', '/api/notify-settings/me');
    expect(mine.body).toMatchObject({ contacts: { email: 'feng@sthj.example.cn' }, canEmail: true, canSms: true });
    const changed = settings('feng2@sthj.example.cn', '13800138009', { enabled: true, quietHours: { from: '22:00', to: '07:00' } });
    expect((await me.call('PUT', '/api/notify-settings/me', changed)).body).toMatchObject({ contacts: { phone: '13800138009' } });
    expect(
      (await me.call('POST', '/api/duty/shifts', { username: 'feng.day', position: 'primary', startsAt: clock, endsAt: clock + H })).status,
    ).toBe(403);
    expect((await me.call('GET', '/api/duty/users/zhou.duty/settings')).status).toBe(403);
  });
  it('a warning issued reaches the users of the enterprises in scope by email, without the bureau’s note', async () => {
    const people: [string, string, string | null][] = [
      ['qilu.ehs', 'qilu-power', 'ehs@qilu.example.cn'], // 临淄区: in scope
      ['qilu.gate', 'qilu-power', null], // in scope, no email: nothing
      ['cement.ehs', 'zichuan-cement', 'ehs@cement.example.cn'], // 淄川区: not in scope
    ];
    for (const [username, enterpriseId, email] of people) {
      const created = await admin.call('POST', '/api/users', { username, password: PASSWORD, role: 'enterprise', enterpriseId });
      expect(created.status).toBe(201);
      if (email) expect((await admin.call('PUT', `/api/duty/users/${username}/settings`, settings(email, '13800138011'))).status).toBe(200);
    }
    const ozone = await t.signIn('ozone');
    const issued = await ozone.call('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'regional_consultation',
      districts: ['临淄区'],
      startAt: clock - MIN,
      plannedLiftAt: clock + 3 * 24 * H,
      note: '内部：会商纪要第 7 号',
    });
    expect(issued.status).toBe(201);
    await until(() => mailTo('ehs@qilu.example.cn').length > 0, 'the notice to the enterprise in scope');
    const [mail] = mailTo('ehs@qilu.example.cn');
    expect(mail?.subject).toBe('【发布】重污染天气橙色预警');
    expect(mail?.text).toContain('临淄区');
    expect(mail?.text).not.toContain('会商纪要');
    // Everything queued went in the same pass: the enterprise out of scope got nothing, and no SMS went to anyone.
    expect(mailTo('ehs@cement.example.cn')).toEqual([]);
    expect(aliyun.sent.filter((m) => m.phones.includes('13800138011'))).toEqual([]);
  });
});

describe('the escalation chain survives a restart and never sends a step twice', () => {
  const smtp = new SmtpSink();
  const dataDir = mkdtempSync(join(tmpdir(), 'o3-duty-restart-'));
  let clock = Date.now();
  const env = {
    SMTP_HOST: '127.0.0.1',
    SMTP_SECURITY: 'none',
    SMTP_FROM: 'o3-alerts@sthj.example.cn',
    ALERT_ESCALATE_AFTER_MIN: '600',
  };
  let t: TestApp | undefined;
  const start = () => startTestApp({ ...env, SMTP_PORT: String(smtp.port) }, { now: () => clock, dataDir });
  const mailTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

  beforeAll(() => smtp.start());
  afterAll(async () => {
    await t?.stop();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a step recorded before a restart is not sent again after it; the next one is', async () => {
    t = await start();
    const admin = await t.signIn('admin');
    const people: [string, string][] = [
      ['sun.duty', 'sun@sthj.example.cn'],
      ['li.chief', 'li@sthj.example.cn'],
    ];
    for (const [username, email] of people) {
      expect((await admin.call('POST', '/api/users', { username, password: PASSWORD, role: 'officer' })).status).toBe(201);
      expect((await admin.call('PUT', `/api/duty/users/${username}/settings`, settings(email, null))).status).toBe(200);
    }
    const shift = { username: 'sun.duty', position: 'primary', startsAt: clock - H, endsAt: clock + 8 * H };
    expect((await admin.call('POST', '/api/duty/shifts', shift)).status).toBe(201);
    const steps = [
      { afterMin: 5, to: { kind: 'position', position: 'primary' } },
      { afterMin: 10, to: { kind: 'user', username: 'li.chief' } },
    ];
    const chain = { enabled: true, minSeverity: 'critical', steps, smsTargetId: null };
    expect((await admin.call('PUT', '/api/duty/escalation', chain)).status).toBe(200);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `duty-r-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
    const reading = { cn: '2011', ts: clock - 1_000, factors: { abp01: { rtd: 1.2, flag: 'N' } } };
    await logger.publishAsync(dataTopic(CEMS), JSON.stringify(reading), { qos: 1 });
    await logger.endAsync(true);
    await until(() => mailTo('sun@sthj.example.cn').length > 0, 'the new alert to the one on duty');
    clock += 5 * MIN;
    expect(await t.app.escalate()).toBe(1);
    await until(() => mailTo('sun@sthj.example.cn').length > 1, 'step 1');

    await t.stop();
    t = await start();
    expect(await t.app.escalate()).toBe(0);
    clock += 5 * MIN;
    expect(await t.app.escalate()).toBe(1);
    await until(() => mailTo('li@sthj.example.cn').length > 0, 'step 2 after the restart');
    expect(mailTo('sun@sthj.example.cn').map((m) => m.subject.slice(0, 9))).toEqual(['[严重] 新告警：', '[严重] 告警升级']);
    expect(mailTo('li@sthj.example.cn')).toHaveLength(1);
  });
});
