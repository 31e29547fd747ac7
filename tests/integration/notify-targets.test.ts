/**
 * Notification targets administered over REST on the real app (issue 14): an administrator creates
 * a target pointing at a real local HTTP server, and a real alert (a reading over its limit, over
 * MQTT) reaches it without a restart; the URL (with its token) is never answered nor audited in
 * clear; bad input gets a clear 400, a stale version or a taken name 409; the test send answers
 * with the webhook's HTTP status; a disabled target gets nothing new; deleting a target gives up
 * what was still queued for it; the delivery state per target comes from the outbox.
 */
import { createServer, type Server } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyTargetView } from '../../server/domain/notify-target';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const NH3_B = '370300NH3000000000000201'; // zichuan-cement, ammonia slip limit 8 mg/m³
const NH3_A = '370300NH3000000000000101'; // qilu-power, limit 2.5 mg/m³
const SECRET = 'tok-3f9c2a7e51d04b8e';
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** A webhook receiver: records each request; answers `status`. */
class Receiver {
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  status = 200;
  url = '';
  private readonly server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      this.received.push({ path: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
      res.writeHead(this.status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('notification targets over REST', () => {
  const receiver = new Receiver();
  let t: TestApp;
  let admin: ApiSession;
  let target: NotifyTargetView;
  const clients: MqttClient[] = [];
  const publish = async (mn: string, rtd: number) => {
    const password = t.config.registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
    const c = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `nt${clients.length}-${mn}`, username: mn, password, reconnectPeriod: 0 });
    clients.push(c);
    await c.publishAsync(dataTopic(mn), nh3(Date.now() - 2_000, rtd), { qos: 1 });
  };
  const list = async () => (await admin.call<{ items: NotifyTargetView[] }>('GET', '/api/notify-targets')).body.items;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp();
    admin = await t.signIn('admin');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t?.stop();
    await receiver.close();
  });

  it('starts with the config’s targets (none in the tests’ config)', async () => {
    expect(await list()).toEqual([]);
  });

  it('refuses bad input with a clear 400 naming the field', async () => {
    const bad = async (body: unknown) =>
      admin.call<{ error: string; issues: { path: string[]; message: string }[] }>('POST', '/api/notify-targets', body);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 'x', format: 'json', url: 'ftp://example.com/hook' }, 'url', /only http and https/],
      [{ name: 'x', format: 'json', url: 'https://user:pass@example.com/hook' }, 'url', /no user name or password/],
      [{ name: 'x', format: 'json', url: 'not a url' }, 'url', /not a valid URL/],
      [{ name: '', format: 'json', url: 'https://example.com/' }, 'name', /required/],
      [{ name: 'x'.repeat(61), format: 'json', url: 'https://example.com/' }, 'name', /at most 60/],
      [{ name: 'x', format: 'telegram', url: 'https://example.com/' }, 'format', /./],
      [{ name: 'x', kind: 'pigeon', format: 'json', url: 'https://example.com/' }, 'kind', /./],
    ];
    for (const [body, field, message] of cases) {
      const res = await bad(body);
      expect({ field, status: res.status, error: res.body.error }).toEqual({ field, status: 400, error: 'bad_request' });
      expect(res.body.issues[0]).toMatchObject({ path: [field], message: expect.stringMatching(message) });
    }
    // This app has no SMTP server nor SMS AccessKey configured: such targets could never be reached.
    const unreachable = [
      { name: 'm', kind: 'email', email: { recipients: ['duty@example.com'] } },
      { name: 's', kind: 'sms', sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_1' } },
    ];
    for (const body of unreachable) expect(await bad(body)).toMatchObject({ status: 400, body: { error: 'channel_unavailable' } });
    expect(await list()).toEqual([]);
  });

  it('a target created over REST gets a real alert notification, without a restart; its URL is never answered in clear', async () => {
    const created = await admin.call<{ target: NotifyTargetView }>('POST', '/api/notify-targets', {
      name: '值班室',
      format: 'json',
      url: `${receiver.url}/hook/${SECRET}?access_token=${SECRET}`,
    });
    expect(created.status).toBe(201);
    target = created.body.target;
    expect(target).toMatchObject({ name: '值班室', kind: 'webhook', format: 'json', enabled: true, version: 1 });
    expect(target.kind === 'webhook' && target.url).toBe(`${receiver.url}/hook/***?access_token=***`);
    expect(JSON.stringify(await list())).not.toContain(SECRET);

    await publish(NH3_B, 9.4);
    await until(() => receiver.received.some((r) => r.body['event'] === 'opened'), 'the alert notification');
    const got = receiver.received.find((r) => r.body['event'] === 'opened');
    expect(got?.path).toBe(`/hook/${SECRET}?access_token=${SECRET}`);
    expect(got?.body).toMatchObject({ alert: { mn: NH3_B, factor: 'a21001' }, sourceName: '窑尾SNCR出口' });
    await until(async () => (await list())[0]?.delivery.delivered === 1, 'the delivery to be counted');
    expect((await list())[0]?.delivery).toMatchObject({ pending: 0, delivered: 1, failedAttempts: 0, abandoned: 0, lastError: null });
  });

  it('the name is unique (409); a change from a stale version is refused (409); a change bumps the version', async () => {
    const dup = await admin.call('POST', '/api/notify-targets', { name: '值班室', format: 'wecom', url: 'https://example.com/x' });
    expect(dup).toMatchObject({ status: 409, body: { error: 'duplicate_name' } });
    const renamed = await admin.call<{ target: NotifyTargetView }>('PATCH', `/api/notify-targets/${target.id}`, {
      version: 1,
      name: '值班室钉钉',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.target).toMatchObject({ name: '值班室钉钉', version: 2, url: `${receiver.url}/hook/***?access_token=***` });
    const stale = await admin.call('PATCH', `/api/notify-targets/${target.id}`, { version: 1, enabled: false });
    expect(stale).toMatchObject({ status: 409, body: { error: 'version_conflict' } });
    expect((await admin.call('DELETE', `/api/notify-targets/${target.id}?version=1`)).status).toBe(409);
    expect((await admin.call('DELETE', `/api/notify-targets/${target.id}`)).status).toBe(400);
    expect((await admin.call('PATCH', '/api/notify-targets/nope', { version: 1, enabled: false })).status).toBe(404);
    target = renamed.body.target;
  });

  it('the test send goes out now and answers with the webhook’s HTTP status or the error', async () => {
    const before = receiver.received.length;
    const ok = await admin.call<{ result: { ok: boolean; status: number | null; error: string | null } }>(
      'POST',
      `/api/notify-targets/${target.id}/test`,
    );
    expect(ok.body.result).toMatchObject({ ok: true, status: 200, error: null });
    expect(receiver.received[before]?.body).toMatchObject({ event: 'test', target: '值班室钉钉' });
    receiver.status = 502;
    const refused = await admin.call<{ result: { ok: boolean; status: number | null; error: string | null } }>(
      'POST',
      `/api/notify-targets/${target.id}/test`,
    );
    receiver.status = 200;
    expect(refused.body.result).toMatchObject({ ok: false, status: 502, error: expect.stringMatching(/^HTTP 502/) });
    expect((await admin.call('POST', '/api/notify-targets/nope/test')).status).toBe(404);
  });

  it('a disabled target gets nothing new; deleting a target gives up what was queued for it', async () => {
    const off = await admin.call<{ target: NotifyTargetView }>('PATCH', `/api/notify-targets/${target.id}`, { version: 2, enabled: false });
    expect(off.body.target).toMatchObject({ enabled: false, version: 3 });
    const dead = (
      await admin.call<{ target: NotifyTargetView }>('POST', '/api/notify-targets', {
        name: 'unreachable',
        format: 'wecom',
        url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=k',
      })
    ).body.target;
    const before = receiver.received.length;
    await publish(NH3_A, 6.1);
    await until(async () => (await list()).find((x) => x.id === dead.id)?.delivery.failedAttempts === 1, 'a failed attempt');
    const state = (await list()).find((x) => x.id === dead.id)?.delivery;
    expect(state).toMatchObject({ pending: 1, lastError: expect.stringMatching(/request failed/), lastErrorAt: expect.any(Number) });
    expect(receiver.received.length).toBe(before); // the disabled target got nothing
    const removed = await admin.call<{ abandoned: number }>('DELETE', `/api/notify-targets/${dead.id}?version=1`);
    expect(removed).toMatchObject({ status: 200, body: { abandoned: 1 } });
    expect((await list()).map((x) => x.name)).toEqual(['值班室钉钉']);
  });

  it('every change is audited: who, before → after, the URL masked', async () => {
    const { body } = await admin.call<{ items: { action: string; username: string; target: string; detail: Record<string, unknown> }[] }>(
      'GET',
      '/api/audit?limit=100',
    );
    const mine = body.items.filter((i) => i.action.startsWith('notify.'));
    expect(mine.map((i) => i.action).sort()).toEqual(
      [
        'notify.targets_seeded',
        'notify.target_created',
        'notify.target_created',
        'notify.target_updated',
        'notify.target_updated',
        'notify.target_tested',
        'notify.target_tested',
        'notify.target_deleted',
      ].sort(),
    );
    const rename = mine.find((i) => i.action === 'notify.target_updated' && (i.detail['before'] as { name: string }).name === '值班室');
    expect(rename).toMatchObject({
      username: 'admin',
      target: `notify-target:${target.id}`,
      detail: { before: { name: '值班室', url: `${receiver.url}/hook/***?access_token=***` }, after: { name: '值班室钉钉' } },
    });
    expect(mine.find((i) => i.action === 'notify.target_deleted')?.detail).toMatchObject({ abandoned: 1, after: null });
    expect(JSON.stringify(body)).not.toContain(SECRET);
    // The self-audited routes are not audited a second time by the generic trail.
    expect(body.items.filter((i) => i.target?.startsWith('/api/notify-targets'))).toEqual([]);
  });
});
