/**
 * The source list at a province's size (issue 20): the test registry plus 1,100 generated outlets.
 * Staff's socket snapshot then leaves the list out (`sourcesOnRest`) and the dashboard takes it over
 * REST; an enterprise's snapshot still carries its own sources, and nothing of another's. The list
 * and the summary are served from cached views: a reading, an alert and a registry change show at
 * once, and each caller counts only what it may see.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchFleet, writeRegistry } from '../../bench/bench-registry';
import { ammoniaPayload } from '../../bench/payloads';
import type { Snapshot, SourceView } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { Registry } from '../../server/domain/registry';
import type { SourceSummary } from '../../server/domain/source-summary';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { connectDashboard, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const GENERATED = 1_100;
const OWN_NH3 = '370300NH3000000000000101'; // qilu-power's
const OTHER_NH3 = '370300NH3000000000000201'; // zichuan-cement's
/** The generator's MNs, moved out of the fixture's range. */
const apart = (mn: string) => `3799${mn.slice(4)}`;

describe('the source list of a province', () => {
  let t: TestApp;
  let dir: string;
  let officer: ApiSession;
  let qilu: ApiSession;
  let fixtureCount: number;

  const snapshotOf = async (session: ApiSession): Promise<Snapshot> => {
    const socket = await connectDashboard(t.baseUrl, session);
    const snap = new Promise<Snapshot>((res) => socket.once('state:snapshot', res));
    socket.emit('state:resync');
    try {
      return await snap;
    } finally {
      socket.disconnect();
    }
  };
  const list = async (session: ApiSession, query = '') =>
    (await session.call<{ items: SourceView[]; total: number }>('GET', `/api/sources${query}`)).body;
  const summary = async (session: ApiSession) => (await session.call<SourceSummary>('GET', '/api/sources/summary')).body;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-province-int-'));
    const fixture = parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')) as Registry;
    fixtureCount = fixture.sources.length;
    const { registry } = benchFleet(GENERATED, 0);
    const file = join(dir, 'registry.yaml');
    writeRegistry(file, {
      ...fixture,
      enterprises: [...fixture.enterprises, ...registry.enterprises],
      sources: [...fixture.sources, ...registry.sources.map((s) => ({ ...s, mn: apart(s.mn) }))],
    });
    t = await startTestApp({ REGISTRY_FILE: file });
    officer = await t.signIn();
    qilu = await t.signIn('qilu-power');
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-int', ...t.mqttAuth });
    const ts = Date.now() - 1_000;
    await Promise.all([OWN_NH3, OTHER_NH3].map((mn) => logger.publishAsync(dataTopic(mn), ammoniaPayload(ts, 9.5), { qos: 1 })));
    await logger.endAsync();
    await until(async () => (await summary(officer)).alerts.open >= 2, 'two open alerts', 30_000);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('staff’s snapshot leaves the list to REST; an enterprise’s carries its own sources only', async () => {
    const staff = await snapshotOf(officer);
    expect(staff.sourcesOnRest).toBe(true);
    expect(staff.sources).toEqual([]);
    expect(staff.alerts.map((a) => a.mn)).toEqual(expect.arrayContaining([OWN_NH3, OTHER_NH3]));

    const own = await snapshotOf(qilu);
    expect(own.sourcesOnRest).toBeUndefined();
    expect(own.sources.length).toBeGreaterThan(0);
    expect(new Set(own.sources.map((s) => s.enterpriseId))).toEqual(new Set(['qilu-power']));
    expect(own.alerts.map((a) => a.mn)).toEqual([OWN_NH3]);
  });

  it('the summary counts what the caller may see: staff everything, an enterprise its own', async () => {
    const all = await summary(officer);
    expect(all.total).toBe(fixtureCount + GENERATED);
    expect(Object.values(all.byStatus).reduce((a, b) => a + b, 0)).toBe(all.total);
    expect(all.byDistrict.reduce((a, d) => a + d.total, 0)).toBe(all.total);
    expect(all.alerts.open).toBeGreaterThanOrEqual(2);

    const own = await summary(qilu);
    const ownList = await list(qilu);
    expect(own.total).toBe(ownList.total);
    expect(own.byStatus.exceeding).toBe(1);
    expect(own.alerts).toMatchObject({ open: 1, active: 1, unacknowledged: 1 });
    expect(own.byDistrict.map((d) => d.district)).toEqual([...new Set(ownList.items.map((s) => s.district))]);
  });

  it('an enterprise filtering by another enterprise, district or status finds nothing of it', async () => {
    expect(await list(qilu, '?enterpriseId=zichuan-cement')).toEqual({ items: [], total: 0 });
    const exceeding = await list(qilu, '?status=exceeding');
    expect(exceeding.items.map((s) => s.mn)).toEqual([OWN_NH3]);
    const staffExceeding = await list(officer, '?status=exceeding&limit=1000');
    expect(staffExceeding.items.map((s) => s.mn)).toEqual(expect.arrayContaining([OWN_NH3, OTHER_NH3]));
  });

  it('a reading shows in the next list at once (the cached view follows), and pages keep the registry order', async () => {
    const generated = apart(benchFleet(GENERATED, 0).load[7]!.mn);
    const before = (await list(officer, `?q=${generated}`)).items[0];
    expect(before?.latest).toBeNull();
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-int-2', ...t.mqttAuth });
    const ts = Date.now() - 500;
    await logger.publishAsync(dataTopic(generated), ammoniaPayload(ts, 1.5), { qos: 1 });
    await logger.endAsync();
    await until(async () => (await list(officer, `?q=${generated}`)).items[0]?.latest?.ts === ts, 'the reading in the list', 15_000);
    expect((await list(officer, `?q=${generated}`)).items[0]?.status).toBe('normal');

    const whole = await list(officer);
    const page = await list(officer, '?limit=100&offset=1000');
    expect(page.total).toBe(whole.total);
    expect(page.items.map((s) => s.mn)).toEqual(whole.items.slice(1000, 1100).map((s) => s.mn));
  });

  it('the map’s compact points and the cards asked for by MN: staff everything, an enterprise its own only', async () => {
    type Points = { items: [string, number, number, string, string][]; total: number };
    const points = async (session: ApiSession) => (await session.call<Points>('GET', '/api/sources/points')).body;
    const all = await points(officer);
    const whole = await list(officer);
    expect(all.total).toBe(whole.total);
    expect(all.items.map((p) => p[0])).toEqual(whole.items.map((s) => s.mn));
    const first = whole.items[0]!;
    expect(all.items[0]).toEqual([first.mn, first.lon, first.lat, first.status, first.enterpriseId]);
    expect(all.items.find((p) => p[0] === OWN_NH3)?.[3]).toBe('exceeding');

    const own = await points(qilu);
    expect(own.total).toBe((await list(qilu)).total);
    expect(new Set(own.items.map((p) => p[4]))).toEqual(new Set(['qilu-power']));

    expect((await list(officer, `?mn=${OWN_NH3},${OTHER_NH3}`)).items.map((s) => s.mn).sort()).toEqual([OWN_NH3, OTHER_NH3].sort());
    expect((await list(qilu, `?mn=${OWN_NH3},${OTHER_NH3}`)).items.map((s) => s.mn)).toEqual([OWN_NH3]);
    const tooMany = Array.from({ length: 201 }, (_, i) => `M${i}`).join(',');
    expect((await officer.call('GET', `/api/sources?mn=${tooMany}`)).status).toBe(400);
  });
});
