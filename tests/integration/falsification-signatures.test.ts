/**
 * Issue 19, falsification signatures through the real pipeline: a CEMS logger publishes over the
 * embedded broker with its own credentials into the real app, and the duty officer's dashboard
 * socket sees the suspected-falsification alerts open with their evidence.
 * - Its SO2 converted value (zs) is the measured value unconverted while O2 is 10 %: zs-mismatch.
 * - Then its O2 reads 20.7 % while the flow shows the unit running, for 30 min: o2-ambient.
 * - Then it replays a quarter of an hour of readings it sent twenty minutes before: copied-data.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';

const CEMS = '370300CEMS00000000000101'; // qilu-power unit 1, o2Ref 6 %
const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('falsification signatures over MQTT to the dashboard', () => {
  const clock = { now: DAY + 10 * H - MIN };
  let t: TestApp;
  let logger: MqttClient;
  let dashboard: DashboardSocket;
  let published = 0;

  beforeAll(async () => {
    t = await startTestApp({ RULES_TICK_S: '600' }, { now: () => clock.now });
    const password = t.config.registry.sources.find((s) => s.mn === CEMS)?.mqttPassword ?? '';
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMS, username: CEMS, password, clean: true });
    dashboard = await connectDashboard(t.baseUrl);
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  /** Publishes a real-time record with the app's clock a second after `ts`, and waits until the server has taken it. */
  async function send(ts: number, factors: Record<string, Record<string, number | string>>): Promise<void> {
    clock.now = Math.max(clock.now, ts + S);
    await logger.publishAsync(dataTopic(CEMS), JSON.stringify({ cn: '2011', ts, factors }), { qos: 1 });
    published++;
    for (let spins = 0; t.app.stats.accepted < published; spins++) {
      if (spins > 10_000) throw new Error(`the server stopped taking messages at ${new Date(ts).toISOString()}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  it('zs that does not follow from the measured value and O2 → a suspected zs-mismatch alert with the numbers', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e: AlertEvent) => e.alert.mn === CEMS && e.alert.rule === 'zs-mismatch');
    const t0 = DAY + 10 * H;
    // SO2 20 mg/m³ at O2 10 %: converted 20 × 15 / 11 = 27.27; the logger says 20.
    for (let i = 0; i < 8; i++) {
      await send(t0 + i * 30 * S, {
        a21026: { rtd: 20, zs: 20, flag: 'N' },
        a19001: { rtd: 10, flag: 'N' },
        a00000: { rtd: 80, flag: 'N' },
      });
    }
    const { alert } = await opened;
    expect(alert).toMatchObject({ factor: 'a21026', severity: 'major', openedAt: t0 + 5 * 30 * S, unit: 'mg/m³' });
    expect(alert.evidence).toEqual({
      reportedZs: 20,
      measured: 20,
      o2: 10,
      o2Ref: 6,
      recomputed: 27.273,
      tolerancePct: 10,
      samples: 6,
      since: t0,
    });
  });

  it('O2 at 20.7 % with flow 80 m³/s for 30 min → a suspected o2-ambient alert with the window', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e: AlertEvent) => e.alert.mn === CEMS && e.alert.rule === 'o2-ambient');
    const t0 = DAY + 11 * H;
    for (let i = 0; i <= 62; i++) {
      await send(t0 + i * 30 * S, { a21026: { rtd: 2, flag: 'N' }, a19001: { rtd: 20.7, flag: 'N' }, a00000: { rtd: 80, flag: 'N' } });
    }
    const { alert } = await opened;
    expect(alert).toMatchObject({ factor: 'a19001', severity: 'major', openedAt: t0 + 30 * MIN, value: 20.7, unit: '%' });
    expect(alert.evidence).toEqual({ since: t0, windowEnd: t0 + 30 * MIN, samples: 61, flow: 80, flowMin: 1, durationS: 1800 });
  });

  it('a quarter of an hour replayed from twenty minutes before → a suspected copied-data alert naming both segments', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e: AlertEvent) => e.alert.mn === CEMS && e.alert.rule === 'copied-data');
    const t0 = DAY + 12 * H;
    const own = (i: number) => ({
      a21026: { rtd: 18 + ((i * 37) % 11) / 10, flag: 'N' },
      a19001: { rtd: 9 + ((i * 29) % 7) / 10, flag: 'N' },
      a00000: { rtd: 80 + ((i * 13) % 5), flag: 'N' },
    });
    for (let i = 0; i < 40; i++) await send(t0 + i * 30 * S, own(i));
    for (let i = 0; i < 30; i++) await send(t0 + (40 + i) * 30 * S, own(i));
    const { alert } = await opened;
    expect(alert).toMatchObject({ factor: '*', severity: 'major', rule: 'copied-data' });
    // The window found (one in four is judged by default) lies in the replay and names its original, 20 min earlier.
    const e = alert.evidence as Record<string, number>;
    expect(e['samples']).toBe(10);
    expect(e['windowStart']).toBeGreaterThanOrEqual(t0 + 40 * 30 * S);
    expect(e['windowEnd']).toBe(alert.openedAt);
    expect(e['windowStart']! - e['copiedFromStart']!).toBe(40 * 30 * S);
    expect(e['windowEnd']! - e['copiedFromEnd']!).toBe(40 * 30 * S);
  });
});
