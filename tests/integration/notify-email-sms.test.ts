/**
 * Email and SMS notifications (issue 21) through the outbox, against real local servers: a real SMTP
 * server (smtp-server) that checks the login and keeps what it receives, and a stand-in for Aliyun
 * SMS that verifies each request's signature as the provider documents it (computed independently
 * of the product's signer), refuses a bad one and can answer with flow control. Retries and
 * failures follow the outbox's rules: an SMTP 4xx and flow control are retried with backoff, an
 * SMTP 5xx and a refused signature fail at once without retries. Time is an injected clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AliyunSms } from '../../server/alerts/aliyun-sms';
import { EmailChannel } from '../../server/alerts/email-channel';
import { Notifier, type NotifyTarget } from '../../server/alerts/notifier';
import type { Alert } from '../../server/domain/alert';
import { createLogger } from '../../server/logger';
import { openAlertState, type AlertState } from '../../server/storage/sql/alert-store';
import { AliyunSmsDouble, documentedSignature } from '../helpers/aliyun-sms-double';
import { SmtpSink } from '../helpers/smtp-sink';

const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
const alert: Alert = {
  id: 7,
  mn: '370300NH3000000000000201',
  enterpriseId: 'zichuan-cement',
  factor: 'a21001',
  rule: 'limit-instant',
  severity: 'critical',
  state: 'active',
  value: 9.6,
  peak: 9.6,
  limit: 8,
  unit: 'mg/m³',
  count: 1,
  openedAt: T0,
  lastSeenAt: T0,
  clearedAt: null,
  raisedAt: T0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
};
const label = { sourceName: '窑尾SNCR出口', enterpriseName: '淄川建材水泥有限公司' };
const LOGIN = { user: 'o3-alerts', pass: 'smtp-pw-7c1e' };
const KEY = { id: 'LTAI-test-key', secret: 'test-secret-9f2' };
const SMS = { phones: ['13800138000', '13900139000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' };

describe('the signature stand-in checks what Aliyun documents', () => {
  it('reproduces the documented example signature', async () => {
    const params = new Map(
      Object.entries({
        AccessKeyId: 'testId',
        Action: 'SendSms',
        Format: 'XML',
        OutId: '123',
        PhoneNumbers: '15300000001',
        RegionId: 'cn-hangzhou',
        SignName: '阿里云短信测试专用',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_71390007',
        TemplateParam: '{"customer":"test"}',
        Timestamp: '2017-07-12T02:42:19Z',
        Version: '2017-05-25',
      }),
    );
    expect(documentedSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });
});

describe('notification outbox → email and SMS', () => {
  const smtp = new SmtpSink(LOGIN);
  let clock = T0;
  const aliyun = new AliyunSmsDouble({ [KEY.id]: KEY.secret }, () => clock);
  let dir: string;
  let store: AlertState;
  const server = () => ({
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none' as const,
    username: LOGIN.user,
    password: LOGIN.pass,
    from: 'o3@sthj.example.cn',
  });
  const mail: NotifyTarget = {
    id: 'mail',
    name: '值班邮箱',
    kind: 'email',
    email: { recipients: ['duty@sthj.example.cn', 'chief@sthj.example.cn'], smtp: null },
  };
  const sms: NotifyTarget = { id: 'sms', name: '值班短信', kind: 'sms', sms: SMS };
  const notifier = (targets: NotifyTarget[], secret = KEY.secret) =>
    new Notifier(
      { targets, timeoutMs: 5_000, retryBaseMs: 5_000, retryMaxMs: 60_000, maxAgeMs: 3_600_000 },
      {
        outbox: store.outbox,
        log: createLogger('silent'),
        now: () => clock,
        label: () => label,
        email: new EmailChannel(server(), createLogger('silent')),
        sms: new AliyunSms(
          { endpoint: aliyun.url, regionId: 'cn-hangzhou', accessKeyId: KEY.id, accessKeySecret: secret },
          { now: () => clock },
        ),
      },
    );

  beforeAll(async () => {
    await Promise.all([smtp.start(), aliyun.start()]);
  });
  afterAll(async () => {
    await Promise.all([smtp.close(), aliyun.close()]);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-mailsms-'));
    store = await openAlertState(join(dir, 'state.db'));
    clock = T0;
    smtp.mails.length = 0;
    smtp.plan = [];
    aliyun.sent.length = 0;
    aliyun.refused.length = 0;
    aliyun.throttle = 0;
    return async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  });

  it('an alert reaches the recipients by email (after the SMTP login) with the Chinese subject and body', async () => {
    const n = notifier([mail]);
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const got = smtp.mails[0]!;
    expect(got.from).toBe('o3@sthj.example.cn');
    expect(got.to).toEqual(['duty@sthj.example.cn', 'chief@sthj.example.cn']);
    expect(got.subject).toBe('[严重] 新告警：窑尾SNCR出口 氨（氨逃逸）');
    expect(got.text).toContain('企业：淄川建材水泥有限公司');
    expect(got.text).toContain('因子：氨（氨逃逸）（a21001），单位 mg/m³');
    expect(got.text).toContain('数值：9.6 mg/m³，限值 8 mg/m³');
    expect(got.text).toContain('规则：瞬时值超标预警');
    expect(got.text).toContain('开始：2026-07-01 10:00:00（北京时间）');
    expect(got.text).toContain('级别：严重');
    expect(await store.outbox.pending()).toBe(0);
    expect(smtp.refusedLogins).toBe(0);
  });

  it('an SMTP 4xx is retried after the backoff; a 5xx fails at once, without retries, and does not hold back the next', async () => {
    const n = notifier([mail]);
    smtp.plan = [{ code: 451, message: 'Requested action aborted: local error' }];
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(0);
    expect(await store.outbox.due(clock + 5_000, 10)).toMatchObject([{ attempts: 1, lastError: expect.stringMatching(/^SMTP 451/) }]);
    clock += 5_000;
    expect(await n.dispatch()).toBe(1);
    expect(smtp.mails).toHaveLength(1);

    smtp.plan = [{ code: 550, message: 'Mailbox unavailable' }];
    await n.enqueue('opened', { ...alert, id: 8 });
    await n.enqueue('opened', { ...alert, id: 9 });
    expect(await n.dispatch()).toBe(1); // #8 refused for good, #9 delivered in the same pass
    expect(await store.outbox.pending()).toBe(0);
    expect(n.stats).toMatchObject({ delivered: 2, failedAttempts: 2, abandoned: 1 });
    expect((await n.deliveryOf([{ id: 'mail', name: '值班邮箱' }])).get('mail')).toMatchObject({
      delivered: 2,
      abandoned: 1,
      lastError: expect.stringMatching(/^SMTP 550/),
    });
    clock += 3_600_000;
    expect(await n.dispatch()).toBe(0);
    expect(smtp.mails).toHaveLength(2);
  });

  it('a wrong SMTP password is refused (535) for good', async () => {
    const n = new Notifier(
      {
        targets: [{ ...mail, kind: 'email', email: { recipients: ['duty@sthj.example.cn'], smtp: { ...server(), password: 'wrong' } } }],
        timeoutMs: 5_000,
        retryBaseMs: 5_000,
        retryMaxMs: 60_000,
        maxAgeMs: 3_600_000,
      },
      { outbox: store.outbox, log: createLogger('silent'), now: () => clock, email: new EmailChannel(null, createLogger('silent')) },
    );
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(0);
    expect(smtp.refusedLogins).toBe(1);
    expect(await store.outbox.pending()).toBe(0);
    expect(n.stats.abandoned).toBe(1);
  });

  it('an alert reaches the phones by SMS with a signature the provider verifies, and the template variables', async () => {
    const n = notifier([sms]);
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(1);
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sent).toEqual([
      {
        phones: SMS.phones,
        signName: '淄博生态环境',
        templateCode: 'SMS_465324011',
        at: '2026-07-01T02:00:00Z',
        params: {
          level: '严重',
          event: '新告警',
          enterprise: '淄川建材水泥有限公司',
          source: '窑尾SNCR出口',
          factor: '氨（氨逃逸）',
          value: '9.6 mg/m³',
          limit: '8 mg/m³',
          rule: '瞬时值超标预警',
          time: '07-01 10:00',
        },
      },
    ]);
  });

  it('flow control is retried with backoff (a new nonce and signature each time) until delivered', async () => {
    const n = notifier([sms]);
    aliyun.throttle = 2;
    await n.enqueue('escalated', alert);
    expect(await n.dispatch()).toBe(0);
    expect(await store.outbox.due(clock + 5_000, 10)).toMatchObject([
      { attempts: 1, lastError: expect.stringMatching(/BUSINESS_LIMIT_CONTROL/) },
    ]);
    clock += 5_000;
    expect(await n.dispatch()).toBe(0);
    clock += 9_999;
    expect(await n.dispatch()).toBe(0); // the second wait doubled
    clock += 1;
    expect(await n.dispatch()).toBe(1);
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sent.map((s) => s.params['event'])).toEqual(['告警升级（超时未确认）']);
  });

  it('a request signed with the wrong secret is refused by the provider and fails for good', async () => {
    const n = notifier([sms], 'not-the-secret');
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(0);
    expect(aliyun.refused).toEqual(['SignatureDoesNotMatch']);
    expect(aliyun.sent).toEqual([]);
    expect(await store.outbox.pending()).toBe(0);
    expect((await n.deliveryOf([{ id: 'sms', name: '值班短信' }])).get('sms')).toMatchObject({
      abandoned: 1,
      lastError: expect.stringMatching(/SignatureDoesNotMatch/),
    });
  });

  it('test sends go out at once and say how they went', async () => {
    const n = notifier([mail, sms]);
    expect(await n.sendTest(mail)).toMatchObject({ ok: true, status: 250, error: null });
    expect(smtp.mails[0]?.subject).toBe('[测试] O3 Sentinel 通知渠道测试：值班邮箱');
    expect(await n.sendTest(sms)).toMatchObject({ ok: true, status: 200, error: null });
    expect(aliyun.sent[0]?.params).toMatchObject({ level: '测试', source: '值班短信' });
  });
});
