/**
 * Issue 12, domain arithmetic 2 and 3, through the real pipeline: loggers publish over the embedded
 * broker with their own credentials into the real app, whose clock follows the replay.
 * - An ammonia-slip analyser sending only real-time data (CN 2011) above its limit is judged hourly
 *   on minutes built from its real-time values (before, the rule engine never judged it hourly).
 * - A CEMS whose O2 is missing for the first quarter hour: its NOx (limit on values converted to
 *   reference O2) is not judged on the unconverted values then — no early warning from a measured
 *   60 said to be "converted" — and its converted values below the limit raise nothing.
 * - The CEMS logger resends its hour record of 09:00 after 10:00 data arrived (an outage): it is
 *   judged for its own hour (before, it was dropped as late).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type TestApp } from '../helpers/test-app';

const NH3 = '370300NH3000000000000201'; // zichuan-cement SNCR, limit 8 mg/m³
const CEMS = '370300CEMS00000000000101'; // qilu-power unit 1, o2Ref 6 %, NOx limit 50 mg/m³ converted
const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('rules on real-time data and converted values, through the real pipeline', () => {
  const clock = { now: DAY + 10 * H - MIN };
  let t: TestApp;
  const loggers = new Map<string, MqttClient>();
  let published = 0;

  beforeAll(async () => {
    t = await startTestApp({ RULES_TICK_S: '600' }, { now: () => clock.now });
    for (const mn of [NH3, CEMS]) {
      const source = t.config.registry.sources.find((s) => s.mn === mn);
      const password = source?.mqttPassword ?? '';
      const client = await mqtt.connectAsync(t.app.mqttUrl, { clientId: mn, username: mn, password, clean: true });
      loggers.set(mn, client);
    }
  });
  afterAll(async () => {
    for (const c of loggers.values()) await c.endAsync();
    await t?.stop();
  });

  /** Publishes as a logger with the app's clock a second after `ts`, and waits until the server has taken it. */
  type Factors = Record<string, Record<string, number | string>>;
  async function send(mn: string, cn: string, ts: number, factors: Factors): Promise<void> {
    clock.now = Math.max(clock.now, ts + S);
    await loggers.get(mn)?.publishAsync(dataTopic(mn), JSON.stringify({ cn, ts, factors }), { qos: 1 });
    published++;
    for (let spins = 0; t.app.stats.accepted < published; spins++) {
      if (spins > 10_000) throw new Error(`the server stopped taking messages at ${new Date(ts).toISOString()}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  it('judges real-time-only hours, converted limits on converted values only, and a resent hour record', async () => {
    for (let at = DAY + 10 * H; at < DAY + 11 * H + 6 * MIN; at += 30 * S) {
      await send(NH3, '2011', at, { a21001: { rtd: 9, flag: 'N' } });
      const withO2 = at >= DAY + 10 * H + 15 * MIN;
      const nox: Factors = withO2 ? { a21002: { rtd: 30, flag: 'N' }, a19001: { rtd: 10, flag: 'N' } } : { a21002: { rtd: 60, flag: 'N' } };
      await send(CEMS, '2011', at, nox);
      // The CEMS logger comes back from an outage and resends its hour record of 09:00 (zs 70 > 50).
      if (at === DAY + 10 * H + 2 * MIN) {
        await send(CEMS, '2061', DAY + 9 * H, { a21002: { avg: 45, zs: 70, flag: 'N' }, a19001: { avg: 12, flag: 'N' } });
      }
      if (at % MIN === 0) t.app.rules.tick();
    }
    const officer = await t.signIn('officer');
    const alertsOf = async (mn: string) => (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${mn}&limit=100`)).body.items;

    const nh3 = await alertsOf(NH3);
    const hour = nh3.find((a) => a.rule === 'limit-hour');
    expect(hour).toMatchObject({ factor: 'a21001', openedAt: DAY + 10 * H, value: 9, limit: 8, severity: 'major' });
    expect(hour?.evidence).toMatchObject({ basis: 'realtime', validMinutes: 60, o2Converted: false });
    expect(nh3.map((a) => a.rule).sort()).toEqual(['limit-hour', 'limit-instant']);

    const cems = await alertsOf(CEMS);
    // Only the resent hour: no early warning from the unconverted 60, no hour alert for 10:00 (converted 40.9).
    expect(cems.map((a) => `${a.factor} ${a.rule}`)).toEqual(['a21002 limit-hour']);
    // Opened by 09:00 (zs 70), cleared by the valid converted hour of 10:00 (40.9).
    expect(cems[0]).toMatchObject({ openedAt: DAY + 9 * H, peak: 70, limit: 50, state: 'cleared' });
    expect(cems[0]?.value).toBeCloseTo((30 * 15) / 11, 6);
    expect(cems[0]?.evidence).toMatchObject({ basis: 'logger-hour', fromLogger: true, o2Converted: true });
  }, 120_000);
});
