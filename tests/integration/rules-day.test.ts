/**
 * A simulated day through the real pipeline (issue "Rules that understand emissions data"): the
 * simulators' loggers publish a whole local day, one real-time sample a minute plus their minute and
 * hour aggregates, over the embedded broker with their own credentials, into the real app whose
 * clock follows the replay. The day holds an ammonia-slip exceedance (10:00–11:30), a CEMS outage
 * (03:00–04:00), a declared maintenance window with M-flagged data (14:00–15:00) and a flat-lined
 * NOx analyser (18:00–20:30); the registry's other sources stay silent. The alerts at the end are
 * exactly the ones the data implies.
 * A second run stops the server mid-hour and starts it again on the same data: the hour window and
 * the open alerts survive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { withEffectiveLimits } from '../../server/domain/limit-pack';
import type { Registry } from '../../server/domain/registry';
import { startFleet, type Fleet } from '../../simulators/fleet';
import type { Scenario } from '../../simulators/scenarios';
import { startTestApp } from '../helpers/test-app';

const NH3 = '370300NH3000000000000201'; // zichuan-cement SNCR, limit 8 mg/m³
const CEMS = '370300CEMS00000000000101'; // qilu-power unit 1
const VOCS = '370300VOCS00000000000501'; // lanshan-coating spray line
const BOILER = '370300CEMS00000000000601'; // gaoxin-heating gas boiler
const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const MIN = 60_000;
const H = 3_600_000;

const scenario: Scenario = {
  name: 'day',
  events: [
    { mn: NH3, effect: { type: 'exceedance', factor: 'a21001' }, startS: 10 * 3600, durationS: 90 * 60 },
    { mn: CEMS, effect: { type: 'offline' }, startS: 3 * 3600, durationS: 3600 },
    { mn: VOCS, effect: { type: 'flag', flag: 'M' }, startS: 14 * 3600, durationS: 3600 },
    { mn: BOILER, effect: { type: 'flatline', factor: 'a21002' }, startS: 18 * 3600, durationS: 150 * 60 },
  ],
};

/** The app, a virtual clock it runs on, and the demo loggers replaying the day minute by minute. */
async function replayRig(dataDir: string, clock: { now: number }) {
  const t = await startTestApp({ RULES_TICK_S: '600' }, { now: () => clock.now, dataDir });
  const registry: Registry = withEffectiveLimits(t.config.registry, t.config.limits);
  const fleet: Fleet = await startFleet({
    url: t.app.mqttUrl,
    registry: { ...registry, sources: registry.sources.filter((s) => [NH3, CEMS, VOCS, BOILER].includes(s.mn)) },
    intervalMs: MIN,
    scenario,
    seed: 20260701,
    autoStart: false,
    clock: () => DAY,
    clientIdPrefix: `day-${Date.now()}-`,
  });
  /** Publishes every minute in [from, to) with the app's clock a second behind each round, waits until
   * the server has taken the round (as a live logger's minute would be), then ticks the rules. */
  const replay = async (from: number, to: number) => {
    for (let at = from; at < to; at += MIN) {
      clock.now = at + 1_000;
      await fleet.round(at);
      for (let spins = 0; t.app.stats.accepted < fleet.counters.published; spins++) {
        if (spins > 10_000) throw new Error(`the server stopped taking messages at ${new Date(at).toISOString()}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      t.app.rules.tick();
    }
  };
  return { t, fleet, replay };
}

const keyOf = (a: Alert) => `${a.mn} ${a.factor} ${a.rule}`;

describe('a simulated day through the real pipeline', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('gives exactly the alerts the data implies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-day-'));
    dirs.push(dir);
    const clock = { now: DAY - MIN };
    const { t, fleet, replay } = await replayRig(dir, clock);
    try {
      const admin = await t.signIn('admin');
      const declared = await admin.call('POST', '/api/maintenance', {
        mn: VOCS,
        from: DAY + 13 * H + 55 * MIN,
        to: DAY + 15 * H + 5 * MIN,
        reason: '喷涂线 RTO 检修',
      });
      expect(declared.status).toBe(201);

      await replay(DAY, DAY + 24 * H + 10 * MIN); // past midnight: the day closes too
      const officer = await t.signIn('officer'); // the app's clock moved a day: sessions from before have expired
      const { items } = (await officer.call<{ items: Alert[] }>('GET', '/api/alerts?limit=500')).body;
      const loud = items.filter((a) => a.suppressed === null);
      const quiet = items.filter((a) => a.suppressed !== null);

      // The registry's other sources sent nothing all day: offline, as the data implies.
      const silent = t.config.registry.sources.map((s) => s.mn).filter((mn) => ![NH3, CEMS, VOCS, BOILER].includes(mn));
      expect(loud.map(keyOf).sort()).toEqual(
        [
          `${NH3} a21001 limit-instant`,
          `${NH3} a21001 limit-hour`,
          `${CEMS} * offline`,
          `${BOILER} a21002 flat-line`,
          ...silent.map((mn) => `${mn} * offline`),
        ].sort(),
      );
      // The maintenance flags inside the declared window: recorded, never announced.
      expect(quiet.length).toBeGreaterThan(0);
      expect(quiet.every((a) => a.mn === VOCS && a.rule === 'maintenance-flag' && a.suppressed === 'maintenance')).toBe(true);

      const byKey = new Map(items.map((a) => [keyOf(a), a]));
      const hour = byKey.get(`${NH3} a21001 limit-hour`) as Alert;
      expect(hour).toMatchObject({ severity: 'major', limit: 8, openedAt: DAY + 10 * H, state: 'cleared' });
      expect(hour.peak).toBeGreaterThan(8);
      expect(byKey.get(`${NH3} a21001 limit-instant`)).toMatchObject({ severity: 'warning', state: 'cleared' });
      const offline = byKey.get(`${CEMS} * offline`) as Alert;
      expect(offline.state).toBe('cleared');
      expect(offline.openedAt).toBeGreaterThanOrEqual(DAY + 3 * H);
      expect(offline.openedAt).toBeLessThan(DAY + 3 * H + 10 * MIN);
      const flat = byKey.get(`${BOILER} a21002 flat-line`) as Alert;
      expect(flat).toMatchObject({ severity: 'major', state: 'cleared' });
      expect(flat.evidence).toMatchObject({ samples: expect.any(Number), value: expect.any(Number) });
      expect(Number(flat.evidence?.['windowEnd']) - Number(flat.evidence?.['windowStart'])).toBeGreaterThanOrEqual(2 * H);
    } finally {
      await fleet.stop();
      await t.stop();
    }
  }, 300_000);

  it('a restart mid-hour keeps the hour window and the open alerts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-restart-'));
    dirs.push(dir);
    const clock = { now: DAY + 9 * H };
    const first = await replayRig(dir, clock);
    let openBefore: Alert;
    try {
      await first.replay(DAY + 9 * H, DAY + 10 * H + 30 * MIN); // half of the exceeding hour
      const officer = await first.t.signIn('officer');
      const open = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?open=true&mn=${NH3}`)).body.items;
      expect(open.map(keyOf)).toEqual([`${NH3} a21001 limit-instant`]); // the hour is not judged yet
      openBefore = open[0] as Alert;
    } finally {
      await first.fleet.stop();
      await first.t.stop(); // graceful: the rule state is saved
    }
    const second = await replayRig(dir, clock);
    try {
      // Past 11:05: the hour takes late data (its hour record, its last minute) until its end + grace (5 min).
      await second.replay(DAY + 10 * H + 30 * MIN, DAY + 11 * H + 6 * MIN);
      const officer = await second.t.signIn('officer');
      const { items } = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${NH3}`)).body;
      // Hour 10 had 30 minutes before the restart and 30 after: judged as one valid hour.
      expect(items.find((a) => a.rule === 'limit-hour')).toMatchObject({ openedAt: DAY + 10 * H, limit: 8 });
      // The early warning opened before the restart is the same alert, carried on.
      const instant = items.find((a) => a.rule === 'limit-instant') as Alert;
      expect(instant.id).toBe(openBefore.id);
      expect(instant.count).toBeGreaterThan(openBefore.count);
    } finally {
      await second.fleet.stop();
      await second.t.stop();
    }
  }, 300_000);
});
