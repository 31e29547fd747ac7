/**
 * The API's description on the real app: public, holding no data, valid OpenAPI 3.1 — and real
 * answers (sources with latest values, an alert opened over MQTT, the registry's files) match the
 * schemas it documents for them.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AlertPage } from '../../server/domain/alert';
import { localDate } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const today = localDate(Date.now(), 480);

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: object };
};

/** The JSON schema documented for an operation's answer, as a zod schema (its $refs resolved inside the document). */
function documented(doc: Doc, method: string, path: string, status = '200'): z.ZodType {
  const response = doc.paths[path]?.[method]?.responses[status] as { content?: Record<string, { schema: object }> } | undefined;
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no documented JSON answer for ${method.toUpperCase()} ${path} ${status}`);
  const text = JSON.stringify({ ...schema, $defs: doc.components.schemas }).replaceAll('#/components/schemas/', '#/$defs/');
  return z.fromJSONSchema(JSON.parse(text));
}

describe('the OpenAPI document of the running app', () => {
  let t: TestApp;
  let officer: ApiSession;
  let cement: ApiSession;
  let admin: ApiSession;
  let logger: MqttClient;
  let doc: Doc;

  beforeAll(async () => {
    t = await startTestApp();
    [officer, cement, admin] = await Promise.all([t.signIn('officer'), t.signIn('zichuan-cement'), t.signIn('admin')]);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `openapi-it-${Date.now()}`, ...t.mqttAuth });
    const reading = JSON.stringify({ cn: '2011', ts: Date.now() - 60_000, factors: { a21001: { rtd: 9.6, flag: 'N' } } });
    await logger.publishAsync(dataTopic(CEMENT_NH3), reading, { qos: 1 });
    await until(async () => (await officer.call<AlertPage>('GET', `/api/alerts?mn=${CEMENT_NH3}`)).body.total > 0, 'the alert');
    doc = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as Doc;
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
  });

  it('is served without a session, valid, the same for everyone, and holds none of the registry', async () => {
    expect((await new Validator().validate(structuredClone(doc) as never)).valid).toBe(true);
    const signedIn = await officer.fetch('/api/openapi.json');
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual(doc);
    const text = JSON.stringify(doc);
    const reg = t.app.registry.view.current();
    const secrets = [...reg.enterprises.flatMap((e) => [e.id, e.name]), ...reg.sources.flatMap((s) => [s.mn, s.name, s.pw ?? '§'])];
    expect(secrets.filter((s) => text.includes(`"${s}"`) || text.includes(s.length > 8 ? s : '§§'))).toEqual([]);
  });

  it('serves the docs page without a session, under the app’s CSP and with no script', async () => {
    const page = await fetch(`${t.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<code>/api/alerts/{id}</code>');
    // Everything else under /api still needs a session.
    expect((await fetch(`${t.baseUrl}/api/sources`)).status).toBe(401);
  });

  it('real answers match their documented schemas', async () => {
    const page = (await officer.call<AlertPage>('GET', `/api/alerts?mn=${CEMENT_NH3}`)).body;
    const alert = page.items[0];
    expect(alert).toMatchObject({ mn: CEMENT_NH3, factor: 'a21001' });
    await officer.call('POST', '/api/silences', { factor: 'a99999', reason: 'openapi test', durationMin: 30 });
    const samples: [ApiSession, string, string][] = [
      [officer, '/api/sources', '/api/sources'],
      [cement, '/api/sources', '/api/sources'],
      [officer, `/api/sources/${CEMENT_NH3}/series?factor=a21001`, '/api/sources/{mn}/series'],
      [officer, '/api/alerts', '/api/alerts'],
      [cement, '/api/alerts', '/api/alerts'],
      [officer, `/api/alerts/${alert?.id}`, '/api/alerts/{id}'],
      [officer, `/api/alerts/history?mn=${CEMENT_NH3}`, '/api/alerts/history'],
      [officer, '/api/enterprises', '/api/enterprises'],
      [officer, '/api/enterprises/zichuan-cement', '/api/enterprises/{id}'],
      [officer, '/api/registry/sources?pageSize=5', '/api/registry/sources'],
      [officer, '/api/facilities', '/api/facilities'],
      [officer, '/api/silences', '/api/silences'],
      [officer, '/api/maintenance', '/api/maintenance'],
      [officer, '/api/assignees', '/api/assignees'],
      [officer, '/api/auth/me', '/api/auth/me'],
      [admin, '/api/users', '/api/users'],
      [admin, '/api/audit?limit=20', '/api/audit'],
      [officer, '/api/campaigns', '/api/campaigns'],
      [officer, '/api/exchange/v1/sources?limit=5', '/api/exchange/v1/sources'],
      [cement, '/api/exchange/v1/latest', '/api/exchange/v1/latest'],
      [officer, `/api/exchange/v1/means/hourly?from=${today}&mn=${CEMENT_NH3}`, '/api/exchange/v1/means/hourly'],
      [officer, `/api/exchange/v1/means/daily?from=${today}&mn=${CEMENT_NH3}`, '/api/exchange/v1/means/daily'],
      [cement, '/api/exchange/v1/alerts', '/api/exchange/v1/alerts'],
      [officer, `/api/exchange/v1/loads?from=${today.slice(0, 7)}`, '/api/exchange/v1/loads'],
    ];
    for (const [session, url, path] of samples) {
      const res = await session.call('GET', url);
      expect(res.status, url).toBe(200);
      const checked = documented(doc, 'get', path).safeParse(res.body);
      expect(checked.error?.issues ?? [], url).toEqual([]);
    }
    const sources = (await officer.call<{ items: { latest: unknown }[] }>('GET', '/api/sources')).body.items;
    const exchanged = (await cement.call<{ items: unknown[] }>('GET', '/api/exchange/v1/alerts')).body.items;
    expect(exchanged.length).toBeGreaterThan(0);
    expect(sources.some((s) => s.latest !== null)).toBe(true);
  });

  it('documents refusals with the error shape, and a schema refuses what does not match it', async () => {
    const refusal = await officer.call('GET', '/api/alerts/999999');
    expect(refusal.status).toBe(404);
    expect(documented(doc, 'get', '/api/alerts/{id}', '404').safeParse(refusal.body).success).toBe(true);
    const bad = await officer.call('GET', '/api/alerts?limit=0');
    expect(bad.status).toBe(400);
    expect(documented(doc, 'get', '/api/alerts', '400').safeParse(bad.body).success).toBe(true);
    expect(documented(doc, 'get', '/api/sources').safeParse({ items: [{ mn: 1 }] }).success).toBe(false);
    expect(documented(doc, 'get', '/api/alerts').safeParse({ items: [], total: 0 }).success).toBe(false);
  });
});
