/**
 * The data-exchange API (issue 21 item 5) on the real app with a real InfluxDB and a real Mosquitto:
 * readings are sent over MQTT, then a script — plain fetch, a bearer token, no cookie, no Origin —
 * pages through sources, latest values, hourly and daily means (the reports' own figures), alerts
 * and monthly emission loads (equal to a hand computation from the readings); an enterprise token
 * never sees another enterprise's rows; a revoked token gets 401; bad queries get clear 400s.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import type { Alert } from '../../server/domain/alert';
import type { CreatedApiToken } from '../../server/domain/api-token';
import type {
  ExchangeAlert,
  ExchangeDailyMean,
  ExchangeHourlyMean,
  ExchangeLatest,
  ExchangeLoad,
  ExchangeSource,
} from '../../server/domain/exchange';
import { hourStartOf, localDate } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startMosquitto, type Service } from '../helpers/services';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const OFFSET = 480; // China time, the rule pack's utcOffsetMinutes
const H = 3_600_000;
const MIN = 60_000;
const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_CEMS = '370300CEMS00000000000101';
const A_NH3 = '370300NH3000000000000101'; // limit 2.5 mg/m³
const B_CEMS = '370300CEMS00000000000201';
const B_NH3 = '370300NH3000000000000201'; // limit 8 mg/m³
const WTE_NH3 = '370300NH3000000000000701'; // city-wte
const INTERNAL_NOTE = 'exchange-internal-note-5f1c';

type PageOf<T> = { items: T[]; limit: number; next: string | null; nextUrl: string | null };
type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: object } };

/** The JSON schema the OpenAPI document gives for a GET's answer, as a zod schema ($refs resolved in the document). */
function documented(doc: Doc, path: string): z.ZodType {
  const response = doc.paths[path]?.['get']?.responses['200'] as { content?: Record<string, { schema: object }> } | undefined;
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no documented answer for GET ${path}`);
  const text = JSON.stringify({ ...schema, $defs: doc.components.schemas }).replaceAll('#/components/schemas/', '#/$defs/');
  return z.fromJSONSchema(JSON.parse(text));
}

/** A script: plain fetch with `Authorization: Bearer`, no cookie, no Origin. */
const script = (baseUrl: string, token: string) => ({
  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  },
  /** Every row, following nextUrl; each page's size is checked against the limit. */
  async all<T>(path: string): Promise<{ rows: T[]; pages: number }> {
    const rows: T[] = [];
    let url: string | null = path;
    let pages = 0;
    while (url !== null) {
      const res: { status: number; body: PageOf<T> } = await this.get<PageOf<T>>(url);
      if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      expect(res.body.items.length).toBeLessThanOrEqual(res.body.limit);
      expect(res.body.next === null).toBe(res.body.nextUrl === null);
      rows.push(...res.body.items);
      url = res.body.nextUrl;
      pages++;
      if (pages > 200) throw new Error('too many pages');
    }
    return { rows, pages };
  },
});
type Script = ReturnType<typeof script>;

/** Minute data (CN 2051) for one hour. */
const minutes = (hour: number, factors: Record<string, number>) =>
  Array.from({ length: 60 }, (_, m) =>
    JSON.stringify({
      cn: '2051',
      ts: hour + m * MIN,
      factors: Object.fromEntries(Object.entries(factors).map(([code, avg]) => [code, { avg, flag: 'N' }])),
    }),
  );

describe('the data-exchange API over a real InfluxDB and Mosquitto', () => {
  let mosquitto: Service;
  let t: TestApp;
  let admin: ApiSession;
  let officer: ApiSession;
  let logger: MqttClient;
  let staff: Script;
  let a: Script;
  let aTokenId: string;
  let aSecret: string;
  /** Two whole local hours, a few hours back (closed, so their rollup entries are kept). */
  const H0 = hourStartOf(Date.now() - 3 * H, OFFSET);
  const H1 = H0 + H;
  const day0 = localDate(H0, OFFSET);
  const day1 = localDate(H1, OFFSET);
  const month0 = day0.slice(0, 7);
  const month1 = day1.slice(0, 7);

  const token = async (body: Record<string, unknown>) => {
    const res = await admin.call<CreatedApiToken>('POST', '/api/tokens', { scope: 'read', expiresInDays: 5, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    t = await startTestApp({
      MQTT_URL: mosquitto.url,
      INFLUX_URL: inject('influxUrl'),
      INFLUX_DB: `exchange_${process.pid}_${Date.now()}`,
    });
    [admin, officer] = await Promise.all([t.signIn('admin'), t.signIn('officer')]);
    staff = script(t.baseUrl, (await token({ name: '省厅数据交换' })).secret);
    const aToken = await token({ name: '齐鲁接口', enterpriseId: A_ENT });
    a = script(t.baseUrl, aToken.secret);
    aTokenId = aToken.token.id;
    aSecret = aToken.secret;

    logger = await mqtt.connectAsync(mosquitto.url, { clientId: `exchange-logger-${Date.now()}` });
    const send = (mn: string, payloads: string[]) => Promise.all(payloads.map((p) => logger.publishAsync(dataTopic(mn), p, { qos: 1 })));
    // A's stack: H0 NOx 30 mg/m³ at 100 m³/s and SO2 20; H1 NOx 40 at 50 m³/s. H0's hour record carries NOx Cou 12 kg.
    await send(A_CEMS, minutes(H0, { a21002: 30, a21026: 20, a00000: 100, a19001: 11 }));
    await send(A_CEMS, minutes(H1, { a21002: 40, a00000: 50, a19001: 11 }));
    await send(A_CEMS, [JSON.stringify({ cn: '2061', ts: H0, factors: { a21002: { avg: 31, cou: 12, flag: 'N' } } })]);
    // B's stack: H0 NOx 100 at 10 m³/s.
    await send(B_CEMS, minutes(H0, { a21002: 100, a00000: 10, a19001: 11 }));
    // Ammonia slip over the limit at both enterprises: an alert each.
    await send(A_NH3, [JSON.stringify({ cn: '2011', ts: Date.now() - 2_000, factors: { a21001: { rtd: 3, flag: 'N' } } })]);
    await send(B_NH3, [JSON.stringify({ cn: '2011', ts: Date.now() - 2_000, factors: { a21001: { rtd: 9.4, flag: 'N' } } })]);

    const series = async (mn: string, cn: string, from: number, to: number) =>
      (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${mn}/series?factor=a21002&cn=${cn}&from=${from}&to=${to}`)).body.items
        .length;
    await until(async () => (await series(A_CEMS, '2051', H0, H1 + H)) === 120, 'A’s minute data in InfluxDB', 30_000);
    await until(async () => (await series(A_CEMS, '2061', H0, H1)) === 1, 'A’s hour record in InfluxDB', 30_000);
    await until(async () => (await series(B_CEMS, '2051', H0, H1)) === 60, 'B’s minute data in InfluxDB', 30_000);
    await until(
      async () => (await officer.call<{ total: number }>('GET', '/api/alerts?factor=a21001')).body.total >= 2,
      'both ammonia alerts',
    );
  }, 120_000);

  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
    await mosquitto?.stop();
  });

  it('a staff token pages through every source by MN, each with enterprise, district, coordinates and limits', async () => {
    const { rows, pages } = await staff.all<ExchangeSource>('/api/exchange/v1/sources?limit=4');
    const registry = t.app.registry.view.current().sources.map((s) => s.mn);
    expect(pages).toBe(Math.ceil(registry.length / 4));
    expect(rows.map((s) => s.mn)).toEqual([...registry].sort());
    const nh3 = rows.find((s) => s.mn === A_NH3);
    expect(nh3).toMatchObject({ enterpriseId: A_ENT, enterpriseName: '齐鲁示范热电有限公司', kind: 'ammonia', district: '临淄区' });
    expect(nh3?.limits).toContainEqual({ factor: 'a21001', unit: 'mg/m³', max: 2.5, min: null, o2Converted: false });
    expect(rows.find((s) => s.mn === A_CEMS)).toMatchObject({ o2Ref: 6, lat: 36.827, lon: 118.305, intervalS: 30 });
  });

  it('latest values per source and factor, with time, unit and flag', async () => {
    const { rows } = await staff.all<ExchangeLatest>(`/api/exchange/v1/latest?enterpriseId=${A_ENT}&limit=1`);
    expect(rows.map((r) => `${r.mn} ${r.factor}`)).toContain(`${A_NH3} a21001`);
    const nh3 = rows.find((r) => r.mn === A_NH3);
    expect(nh3).toMatchObject({ enterpriseId: A_ENT, cn: '2011', value: 3, rtd: 3, unit: 'mg/m³', flag: 'N' });
    expect(nh3?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/);
    expect(Date.parse(nh3?.time ?? '')).toBe(nh3?.ts);
  });

  it('hourly and daily means page in a stable order and equal the reports’ figures', async () => {
    const hourly = await staff.all<ExchangeHourlyMean>(`/api/exchange/v1/means/hourly?from=${day0}&to=${day1}&mn=${A_CEMS}&limit=3`);
    expect(hourly.pages).toBeGreaterThan(1);
    const keys = hourly.rows.map((r) => `${r.hour} ${r.factor}`);
    expect(new Set(keys).size).toBe(keys.length);
    const nox = hourly.rows.filter((r) => r.factor === 'a21002');
    expect(nox.map((r) => [r.hour, r.measured, r.inputs, r.validInputs, r.valid])).toEqual([
      [H0, 30, 60, 60, true],
      [H1, 40, 60, 60, true],
    ]);
    // The hourly report of the same day says the same.
    const report = (
      await officer.call<{ items: { hour: number; factor: string; value: number; measured: number }[] }>(
        'GET',
        `/api/reports/hourly?mn=${A_CEMS}&date=${day0}`,
      )
    ).body.items.find((r) => r.hour === H0 && r.factor === 'a21002');
    expect(nox[0]).toMatchObject({ value: report?.value, measured: report?.measured, converted: true });

    const daily = await staff.all<ExchangeDailyMean>(
      `/api/exchange/v1/means/daily?from=${day0}&to=${day1}&mn=${A_CEMS}&factor=a21002&limit=1`,
    );
    const dailyReport = (
      await officer.call<{ items: { factors: { factor: string; value: number; inputs: number }[] }[] }>(
        'GET',
        `/api/reports/daily?date=${day0}&mn=${A_CEMS}`,
      )
    ).body.items[0]?.factors.find((f) => f.factor === 'a21002');
    expect(daily.rows[0]).toMatchObject({
      mn: A_CEMS,
      date: day0,
      factor: 'a21002',
      value: dailyReport?.value,
      inputs: dailyReport?.inputs,
    });
    expect(daily.rows.reduce((n, r) => n + r.inputs, 0)).toBe(2); // two hours, on one day or two
  });

  it('alerts page newest first without gaps or repeats, and carry none of the bureau’s handling', async () => {
    const aAlert = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${A_NH3}`)).body.items[0] as Alert;
    expect((await officer.call('POST', `/api/alerts/${aAlert.id}/assign`, { assignee: 'officer' })).status).toBe(200);
    expect((await officer.call('POST', `/api/alerts/${aAlert.id}/comment`, { text: INTERNAL_NOTE, internal: true })).status).toBe(201);

    const before = (await staff.all<ExchangeAlert>('/api/exchange/v1/alerts?limit=1000')).rows.map((r) => r.id);
    // A page, then an alert opens elsewhere: the pages after the first neither repeat nor skip a row.
    const first = await staff.get<PageOf<ExchangeAlert>>('/api/exchange/v1/alerts?limit=1');
    await logger.publishAsync(
      dataTopic(WTE_NH3),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1_000, factors: { a21001: { rtd: 30, flag: 'N' } } }),
      { qos: 1 },
    );
    await until(async () => (await officer.call<{ total: number }>('GET', `/api/alerts?mn=${WTE_NH3}`)).body.total > 0, 'the new alert');
    const rest = await staff.all<ExchangeAlert>(first.body.nextUrl ?? '');
    const rows = [...first.body.items, ...rest.rows];
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(before);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(new Set(ids).size).toBe(ids.length);
    expect(rest.pages).toBe(before.length - 1);
    expect(rows.map((r) => r.mn)).toEqual(expect.arrayContaining([A_NH3, B_NH3]));
    expect(rows.find((r) => r.id === aAlert.id)).toMatchObject({
      status: 'attention',
      severity: 'warning',
      factor: 'a21001',
      value: 3,
      unit: 'mg/m³',
    });
    const open = await staff.get<PageOf<ExchangeAlert>>('/api/exchange/v1/alerts?status=closed');
    expect(open.body.items.map((r) => r.id)).not.toContain(aAlert.id);

    const own = await a.get<PageOf<ExchangeAlert>>('/api/exchange/v1/alerts');
    expect(own.body.items.map((r) => r.mn)).toContain(A_NH3);
    expect(own.body.items.every((r) => r.enterpriseId === A_ENT)).toBe(true);
    const text = JSON.stringify([own.body, rows]);
    expect(text).not.toContain(INTERNAL_NOTE);
    expect(text).not.toContain('assignee');
  });

  it('monthly loads equal the hand computation: Cou where the logger sent it, else mean concentration × mean flow', async () => {
    const { rows } = await staff.all<ExchangeLoad>(`/api/exchange/v1/loads?from=${month0}&to=${month1}&limit=1`);
    const total = (ent: string, p: string) =>
      rows
        .filter((r) => r.enterpriseId === ent && r.pollutant === p)
        .reduce((s, r) => ({ load: s.load + r.load, hours: s.hours + r.hours, couHours: s.couHours + r.couHours }), {
          load: 0,
          hours: 0,
          couHours: 0,
        });
    // NOx: H0 from the Cou (12 kg); H1 40 mg/m³ × 50 m³/s × 3600 s × 10⁻⁶ = 7.2 kg.
    expect(total(A_ENT, 'a21002')).toEqual({ load: 19.2, hours: 2, couHours: 1 });
    // SO2: H0 20 mg/m³ × 100 m³/s × 3600 s × 10⁻⁶ = 7.2 kg.
    expect(total(A_ENT, 'a21026')).toEqual({ load: 7.2, hours: 1, couHours: 0 });
    // B: 100 × 10 × 3600 × 10⁻⁶ = 3.6 kg.
    expect(total(B_ENT, 'a21002')).toEqual({ load: 3.6, hours: 1, couHours: 0 });
    expect(rows.every((r) => r.unit === 'kg')).toBe(true);
    expect(rows.find((r) => r.enterpriseId === A_ENT && r.pollutant === 'a21002')?.sources.map((s) => s.mn)).toEqual([A_CEMS]);
    const keys = rows.map((r) => `${r.enterpriseId} ${r.month} ${r.pollutant}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('every answer with rows matches the schema the OpenAPI document gives for it', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as Doc;
    const x = '/api/exchange/v1';
    for (const [path, query] of [
      ['/sources', '?limit=3'],
      ['/latest', ''],
      ['/means/hourly', `?from=${day0}&to=${day1}&mn=${A_CEMS}`],
      ['/means/daily', `?from=${day0}&to=${day1}&mn=${A_CEMS}`],
      ['/alerts', ''],
      ['/loads', `?from=${month0}&to=${month1}`],
    ] as const) {
      const res = await staff.get<PageOf<unknown>>(`${x}${path}${query}`);
      expect(res.body.items.length, path).toBeGreaterThan(0);
      expect(documented(doc, `${x}${path}`).safeParse(res.body).error?.issues ?? [], path).toEqual([]);
    }
    expect(documented(doc, `${x}/loads`).safeParse({ items: [{ enterpriseId: 'x' }], limit: 1, next: null, nextUrl: null }).success).toBe(
      false,
    );
  });

  it('an enterprise token sees only its own enterprise, on every endpoint', async () => {
    const sources = await a.all<ExchangeSource>('/api/exchange/v1/sources?limit=1');
    expect(sources.rows.map((s) => s.mn).sort()).toEqual([A_CEMS, A_NH3]);
    const latest = await a.all<ExchangeLatest>('/api/exchange/v1/latest');
    expect(latest.rows.length).toBeGreaterThan(0);
    expect(latest.rows.every((r) => r.enterpriseId === A_ENT)).toBe(true);
    const hourly = await a.all<ExchangeHourlyMean>(`/api/exchange/v1/means/hourly?from=${day0}&to=${day1}`);
    expect(hourly.rows.length).toBeGreaterThan(0);
    expect(hourly.rows.every((r) => r.mn === A_CEMS || r.mn === A_NH3)).toBe(true);
    const daily = await a.all<ExchangeDailyMean>(`/api/exchange/v1/means/daily?from=${day0}&to=${day1}`);
    expect(daily.rows.every((r) => r.enterpriseId === A_ENT)).toBe(true);
    const loads = await a.all<ExchangeLoad>(`/api/exchange/v1/loads?from=${month0}&to=${month1}`);
    expect(new Set(loads.rows.map((r) => r.enterpriseId))).toEqual(new Set([A_ENT]));
    // B's MN answers 404 like an unknown one; B's enterpriseId an empty page.
    for (const path of [`/sources?mn=${B_CEMS}`, `/latest?mn=${B_NH3}`, `/means/hourly?from=${day0}&mn=${B_CEMS}`, `/alerts?mn=${B_NH3}`]) {
      expect({ path, status: (await a.get(`/api/exchange/v1${path}`)).status }).toEqual({ path, status: 404 });
    }
    for (const path of [`/sources?enterpriseId=${B_ENT}`, `/alerts?enterpriseId=${B_ENT}`, `/loads?from=${month0}&enterpriseId=${B_ENT}`]) {
      const res = await a.get<PageOf<unknown>>(`/api/exchange/v1${path}`);
      expect({ path, status: res.status, items: res.body.items, next: res.body.next }).toEqual({
        path,
        status: 200,
        items: [],
        next: null,
      });
    }
  });

  it('refuses bad queries with a 400 naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/sources?limit=0', /limit/],
      ['/sources?limit=1001', /limit/],
      ['/sources?cursor=not-a-cursor', /cursor/],
      ['/alerts?cursor=' + Buffer.from('{"after":"x"}').toString('base64url'), /cursor/],
      ['/sources?colour=red', /colour/],
      ['/means/hourly', /from/],
      ['/means/hourly?from=2026-02-30', /from/],
      [`/means/hourly?from=${day0}&to=2099-01-01`, /to/],
      ['/means/daily?from=2026-07-31&to=2026-07-01', /to/],
      ['/loads?from=2026-13', /from/],
      ['/loads?from=2025-01&to=2026-07', /to/],
      ['/loads?from=2026-07&pollutant=a21001', /pollutant/],
      ['/alerts?severity=loud', /severity/],
      ['/alerts?status=sleeping', /status/],
    ];
    for (const [path, names] of cases) {
      const res = await staff.get<{ error: string; message: string }>(`/api/exchange/v1${path}`);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 400, error: 'bad_request' });
      expect(res.body.message, path).toMatch(names);
    }
  });

  it('a revoked token gets 401 at once', async () => {
    expect((await a.get('/api/exchange/v1/sources')).status).toBe(200);
    expect((await admin.call('DELETE', `/api/tokens/${aTokenId}`)).status).toBe(200);
    const res = await script(t.baseUrl, aSecret).get<{ error: string }>('/api/exchange/v1/sources');
    expect(res).toEqual({ status: 401, body: expect.objectContaining({ error: 'token_revoked' }) });
  });
});
