/**
 * The setting of the tenant-isolation suites (tests/integration/security-tenant-*.test.ts): the real
 * app (embedded broker, embedded store, demo accounts, debug log to a file), signed in as enterprise
 * A (qilu-power), the officer, the administrator and the ozone centre, with one alert of enterprise B
 * (zichuan-cement) opened from B's logger. A's session keeps the text of every answer it gets
 * (`seenByA`), so a suite can check that nothing of B, no credential and no internal note reached A.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type TestApp } from './test-app';

export const A_ENT = 'qilu-power';
export const B_ENT = 'zichuan-cement';
export const A_NH3 = '370300NH3000000000000101';
export const B_NH3 = '370300NH3000000000000201';
export const B_CEMS = '370300CEMS00000000000201';
export const B_LINE = 'zichuan-kiln-line';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const today = new Date().toISOString().slice(0, 10);
/** An ammonia reading (real-time, valid) as a logger publishes it. */
export const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** Every cell of a workbook, as text. */
export async function workbookText(bytes: ArrayBuffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text)))));
  return cells.join('\n');
}

/** The session, keeping the text of every answer it gets (workbooks as their cells' text). */
function recorded(s: ApiSession, seen: string[]): ApiSession {
  const fetchKept: ApiSession['fetch'] = async (path, init) => {
    const res = await s.fetch(path, init);
    const copy = res.clone();
    seen.push(copy.headers.get('content-type')?.startsWith(XLSX) ? await workbookText(await copy.arrayBuffer()) : await copy.text());
    return res;
  };
  return {
    cookie: s.cookie,
    fetch: fetchKept,
    async call<T>(method: string, path: string, body?: unknown) {
      const res = await s.call<T>(method, path, body);
      seen.push(JSON.stringify(res.body));
      return res;
    },
  };
}

/** What the suite's beforeAll started, handed to the file's `started` callback. */
export interface TenantApp {
  t: TestApp;
  /** The server's log of this run. */
  logFile: string;
  /** Enterprise A's session, recorded into `seenByA`. */
  a: ApiSession;
  officer: ApiSession;
  admin: ApiSession;
  ozone: ApiSession;
  /** B's alert, opened before the tests. */
  bAlert: Alert;
}

export interface TenantSuite {
  /** The text of every answer (REST and socket) enterprise A got. */
  seenByA: string[];
  /** Logger credentials generated during the run (new sources, rotations). */
  generated: string[];
  /** MQTT clients to end after the suite. */
  clients: MqttClient[];
  /** A registered source's MQTT password. */
  mqttPw(mn: string): string;
  /** A logger connected as `as` (its own MN by default), ended after the suite. */
  logger(mn: string, as?: string): Promise<MqttClient>;
}

/**
 * Registers the suite's beforeAll and afterAll in the calling describe (`name` names the temp dir);
 * `started` gets the app and sessions once they are up, before the first test.
 */
export function tenantSuite(name: string, started: (app: TenantApp) => void): TenantSuite {
  let running: TenantApp | null = null;
  let dir = '';
  const seenByA: string[] = [];
  const clients: MqttClient[] = [];
  const app = (): TenantApp => {
    if (!running) throw new Error('the tenant suite has not started');
    return running;
  };
  const mqttPw = (mn: string) => app().t.config.registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
  const logger = async (mn: string, as = mn) => {
    const c = await mqtt.connectAsync(app().t.app.mqttUrl, {
      clientId: `sec${clients.length}-${as}`,
      username: as,
      password: mqttPw(as),
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };
  const suite: TenantSuite = { seenByA, generated: [], clients, mqttPw, logger };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `o3-security-${name}-`));
    const logFile = join(dir, 'server.log');
    const t = await startTestApp({ LOG_LEVEL: 'debug' }, { logFile });
    const [aRaw, officer, admin, ozone] = await Promise.all([t.signIn(A_ENT), t.signIn('officer'), t.signIn('admin'), t.signIn('ozone')]);
    const staffSocket = await connectDashboard(t.baseUrl, officer);
    const opened = nextEvent(staffSocket, 'alert:opened', (e) => e.alert.mn === B_NH3);
    running = { t, logFile, a: recorded(aRaw, seenByA), officer, admin, ozone, bAlert: undefined as unknown as Alert };
    const b = await logger(B_NH3);
    await b.publishAsync(dataTopic(B_NH3), nh3(Date.now() - 2_000, 9.4), { qos: 1 });
    running.bAlert = (await opened).alert;
    staffSocket.close();
    started(running);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await running?.t.stop();
    running = null;
    rmSync(dir, { recursive: true, force: true });
  });
  return suite;
}
