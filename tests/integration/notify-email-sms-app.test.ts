/**
 * Email and SMS targets on the running app (issue 21): an administrator creates an email target and
 * an SMS target over REST (bad addresses and phones are refused with a 400 naming the field), and a
 * critical alert (bypass flow over MQTT) reaches a real local SMTP server (after the configured
 * login) and the Aliyun stand-in (its signature verified as documented), without a restart; the
 * SMTP password is never answered; the delivery state counts both; the test send works for both.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyTargetView } from '../../server/domain/notify-target';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { AliyunSmsDouble } from '../helpers/aliyun-sms-double';
import { SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const CEMS = '370300CEMS00000000000201'; // zichuan-cement 窑尾烟囱
const LOGIN = { user: 'o3-alerts', pass: 'smtp-app-pw-41d9' };
const KEY = { id: 'LTAI-app-key', secret: 'app-secret-5e0b' };
const OWN_PASSWORD = 'own-smtp-pw-88aa';

describe('a critical alert of the running app reaches email and SMS', () => {
  const smtp = new SmtpSink(LOGIN);
  const aliyun = new AliyunSmsDouble({ [KEY.id]: KEY.secret });
  let t: TestApp;
  let admin: ApiSession;
  let logger: MqttClient;
  const list = async () => (await admin.call<{ items: NotifyTargetView[] }>('GET', '/api/notify-targets')).body.items;

  beforeAll(async () => {
    await Promise.all([smtp.start(), aliyun.start()]);
    t = await startTestApp({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_SECURITY: 'none',
      SMTP_USERNAME: LOGIN.user,
      SMTP_PASSWORD: LOGIN.pass,
      SMTP_FROM: 'o3-alerts@sthj.example.cn',
      SMS_ENDPOINT: aliyun.url,
      SMS_ACCESS_KEY_ID: KEY.id,
      SMS_ACCESS_KEY_SECRET: KEY.secret,
    });
    admin = await t.signIn('admin');
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `mailsms-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    await logger?.endAsync(true);
    await t?.stop();
    await Promise.all([smtp.close(), aliyun.close()]);
  });

  it('refuses a bad address or phone with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ name: 'm', kind: 'email', email: { recipients: ['duty@example.com', 'not-an-address'] } }, ['email', 'recipients', 1]],
      [{ name: 'm', kind: 'email', email: { recipients: [] } }, ['email', 'recipients']],
      [{ name: 's', kind: 'sms', sms: { phones: ['1380013800'], signName: '淄博生态环境', templateCode: 'SMS_1' } }, ['sms', 'phones', 0]],
      [{ name: 's', kind: 'sms', sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: '1' } }, ['sms', 'templateCode']],
      [{ name: 's', kind: 'sms', format: 'json', url: 'https://example.com/' }, ['sms']],
    ];
    for (const [body, path] of cases) {
      const res = await admin.call<{ error: string; issues: { path: (string | number)[] }[] }>('POST', '/api/notify-targets', body);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.issues.map((i) => i.path)).toContainEqual(path);
    }
    expect(await list()).toEqual([]);
  });

  it('email and SMS targets created over REST get a critical alert, without a restart', async () => {
    const mail = await admin.call<{ target: NotifyTargetView }>('POST', '/api/notify-targets', {
      name: '值班邮箱',
      kind: 'email',
      email: { recipients: ['duty@sthj.example.cn', 'chief@sthj.example.cn'] },
    });
    expect(mail).toMatchObject({ status: 201, body: { target: { kind: 'email', email: { smtp: null }, version: 1 } } });
    const sms = await admin.call<{ target: NotifyTargetView }>('POST', '/api/notify-targets', {
      name: '值班短信',
      kind: 'sms',
      sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' },
    });
    expect(sms.status).toBe(201);

    await logger.publishAsync(
      dataTopic(CEMS),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1_000, factors: { abp01: { rtd: 1.2, flag: 'N' } } }),
      {
        qos: 1,
      },
    );
    await until(() => smtp.mails.length > 0 && aliyun.sent.length > 0, 'the email and the SMS');
    const got = smtp.mails[0]!;
    expect(got.to).toEqual(['duty@sthj.example.cn', 'chief@sthj.example.cn']);
    expect(got.from).toBe('o3-alerts@sthj.example.cn');
    expect(got.subject).toMatch(/^\[严重\] 新告警：窑尾烟囱 /);
    expect(got.text).toContain('级别：严重');
    expect(got.text).toContain('企业：淄川建材水泥有限公司');
    expect(got.text).toContain(`排放口：窑尾烟囱（MN ${CEMS}）`);
    expect(got.text).toContain('规则：旁路排放');
    expect(got.text).toMatch(/数值：1\.2 m³\/s，限值 0 m³\/s/);
    expect(got.text).toMatch(/开始：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）/);
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sent[0]).toMatchObject({
      phones: ['13800138000'],
      signName: '淄博生态环境',
      templateCode: 'SMS_465324011',
      params: {
        level: '严重',
        event: '新告警',
        enterprise: '淄川建材水泥有限公司',
        source: '窑尾烟囱',
        rule: '旁路排放',
        value: '1.2 m³/s',
      },
    });
    await until(async () => (await list()).every((x) => x.delivery.delivered === 1), 'both deliveries counted');
  });

  it('a target’s own SMTP server: its password is write-only; test sends answer for email and SMS', async () => {
    const own = await admin.call<{ target: NotifyTargetView }>('POST', '/api/notify-targets', {
      name: '局长邮箱',
      kind: 'email',
      email: {
        recipients: ['director@sthj.example.cn'],
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          username: LOGIN.user,
          password: OWN_PASSWORD,
          from: 'o3@sthj.example.cn',
        },
      },
    });
    expect(own.body.target).toMatchObject({ email: { smtp: { host: '127.0.0.1', hasPassword: true } } });
    const { body: audit } = await admin.call<{ items: unknown[] }>('GET', '/api/audit?limit=50');
    expect(JSON.stringify([await list(), own.body, audit])).not.toContain(OWN_PASSWORD);

    const test = (id: string) =>
      admin.call<{ result: { ok: boolean; status: number | null; error: string | null } }>('POST', `/api/notify-targets/${id}/test`);
    // The stored password is wrong for this server: the login is refused, and the test says so.
    expect((await test(own.body.target.id)).body.result).toMatchObject({
      ok: false,
      status: 535,
      error: expect.stringMatching(/^SMTP 535/),
    });
    const fixed = await admin.call<{ target: NotifyTargetView }>('PATCH', `/api/notify-targets/${own.body.target.id}`, {
      version: 1,
      email: {
        recipients: ['director@sthj.example.cn'],
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          username: LOGIN.user,
          password: LOGIN.pass,
          from: 'o3@sthj.example.cn',
        },
      },
    });
    expect(fixed.body.target.version).toBe(2);
    expect((await test(own.body.target.id)).body.result).toMatchObject({ ok: true, status: 250, error: null });
    expect(smtp.mails.at(-1)?.subject).toBe('[测试] O3 Sentinel 通知渠道测试：局长邮箱');
    const smsTarget = (await list()).find((x) => x.kind === 'sms')!;
    expect((await test(smsTarget.id)).body.result).toMatchObject({ ok: true, status: 200, error: null });
    expect(aliyun.sent.at(-1)?.params).toMatchObject({ level: '测试', source: '值班短信' });
  });
});
