/**
 * Issue 16's "Done": a power-data import lands and is used by the rules. Through the real app, the
 * duty officer imports the grid company's 15-min kWh (CSV over POST /api/power-imports) for a
 * coating line's meter and its RTO's meter, both on a grid logger: the RTO's meter near 0 for two
 * intervals while the line's shows load → treatment-off opens on the dashboard socket at the first
 * interval off + 5 min (the past, on the file's time), keyed on the RTO's meter, naming the meters and
 * the import, and clears where the RTO runs again; a file where both run raises nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qiluRegistry, type FacilitySpec } from '../helpers/facility-loggers';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const LOGGER = { mn: '370300GKJK00000000000105', pw: 'T4NB8XK2QD7MV3RC9WJP6HZA' };
/** The grid company's meters, on a logger of their own (their data arrive only by import). */
const GRID = { mn: '370300GKJK00000000000106', pw: 'H7QC3VM9XK2TD6RB4NJP8WZA' };
const MIN = 60_000;
const QUARTER = 15 * MIN;
const FACILITIES: FacilitySpec[] = [
  { id: 'pi-line', mn: LOGGER.mn, channel: '01', kind: 'production-line', name: '4号涂装线', runningKw: 80 },
  { id: 'pi-rto', mn: LOGGER.mn, channel: '02', kind: 'treatment', name: '4号RTO', serves: 'pi-line', runningKw: 40, minTempC: 760 },
  { id: 'pi-line-meter', mn: GRID.mn, channel: '01', kind: 'power-meter', name: '涂装线电表', serves: 'pi-line', meterNo: '3703210700001' },
  { id: 'pi-rto-meter', mn: GRID.mn, channel: '02', kind: 'power-meter', name: 'RTO风机电表', serves: 'pi-rto', meterNo: '3703210700002' },
];

describe('a power-data import is judged by the facility rules', () => {
  let dir: string;
  let t: TestApp;
  let officer: ApiSession;
  let dashboard: DashboardSocket;
  const local = (ts: number) => new Date(ts + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  /** A CSV of the two meters: kWh per interval from `start` (75 kWh = 300 kW; 15 kWh = 60 kW). */
  const csv = (start: number, line: number[], rto: number[]) =>
    [
      '电表编号,时间,电量(kWh)',
      ...line.map((kwh, i) => `3703210700001,${local(start + i * QUARTER)},${kwh}`),
      ...rto.map((kwh, i) => `3703210700002,${local(start + i * QUARTER)},${kwh}`),
    ].join('\n');
  const land = async (body: string) => {
    const res = await officer.fetch('/api/power-imports?dryRun=false', { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    expect(res.status).toBe(200);
    return (await res.json()) as { written: number; importId: string; raised: number };
  };
  const day = Math.floor((Date.now() - 2 * 86_400_000) / QUARTER) * QUARTER;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-power-rules-'));
    t = await startTestApp({ REGISTRY_FILE: qiluRegistry(dir, [LOGGER, GRID], FACILITIES) });
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
  });
  afterAll(async () => {
    dashboard?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the RTO’s meter at 0.2 kWh for two intervals under the loaded line → treatment-off, naming the meter and the import; cleared where it runs', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === GRID.mn && e.alert.rule === 'treatment-off');
    const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.mn === GRID.mn && e.alert.rule === 'treatment-off');
    const result = await land(csv(day, [75, 75, 75, 75], [15, 0.2, 0.2, 15]));
    expect(result).toMatchObject({ written: 4, raised: 1, importId: expect.stringMatching(/^pi-\d+$/) });
    const { alert } = await opened;
    expect(alert).toMatchObject({
      enterpriseId: 'qilu-power',
      factor: 'gkw02',
      severity: 'major',
      value: 0.8,
      limit: 40,
      unit: 'kW',
      openedAt: day + QUARTER + 5 * MIN,
    });
    expect(alert.evidence).toMatchObject({
      ...{ facilityId: 'pi-rto', facility: '4号RTO', meter: 'RTO风机电表', meterNo: '3703210700002', since: day + QUARTER },
      ...{
        line: '4号涂装线',
        lineRunning: true,
        linePowerKw: 300,
        lineMeter: '涂装线电表',
        importId: result.importId,
        imported: true,
        intervalMinutes: 15,
      },
    });
    expect((await cleared).alert).toMatchObject({ id: alert.id, clearedAt: day + 3 * QUARTER });
  });

  it('a file where both run raises nothing', async () => {
    const before = await officer.call<{ total: number }>('GET', '/api/alerts?rule=treatment-off');
    const result = await land(csv(day + 8 * QUARTER, [75, 75, 75, 75], [15, 14, 15, 16]));
    expect(result).toMatchObject({ written: 4, raised: 0 });
    const after = await officer.call<{ total: number }>('GET', '/api/alerts?rule=treatment-off');
    expect(after.body.total).toBe(before.body.total);
    expect(before.body.total).toBe(1);
  });
});
