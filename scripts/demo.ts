/**
 * The demo as `npm start` composes it, callable by a test: the app on the loaded config and, when
 * the simulators are on (config.simulators.enabled), the demo's rule parameters
 * (simulators/demo-pack.ts), its records seed (demo-seed.ts) and reduction lists
 * (server/reductions/demo-lists.ts), the simulator fleet playing the 'demo' scenario on the registry
 * the server holds (its store, seeded from the YAML on the first start — not the YAML, which is
 * stale after any change made in the product) and the declared stop its simulators then break.
 *
 * One clock drives it all (simulators/scaled-clock.ts): real time for `npm start`; a test may run
 * the same demo faster.
 */
import { startApp, type RunningApp } from '../server/app';
import type { AppConfig } from '../server/config';
import { withEffectiveLimits } from '../server/domain/limit-pack';
import type { Registry } from '../server/domain/registry';
import type { Logger } from '../server/logger';
import { withDemoRulePack } from '../simulators/demo-pack';
import { startFleet, type Fleet } from '../simulators/fleet';
import { realClock, type DemoClock } from '../simulators/scaled-clock';
import { DEMO_DECLARED_STOP_S, DEMO_FACILITIES } from '../simulators/scenarios';
import { seedDemoReductionLists } from '../server/reductions/demo-lists';
import { seedDemoRecords } from './demo-seed';

export interface RunningDemo {
  app: RunningApp;
  /** The config the app runs on (with the demo's rule parameters when the simulators are on). */
  config: AppConfig;
  /** null when the simulators are off. */
  fleet: Fleet | null;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** The demo's clock (default real time); it is started when the simulators start. */
  clock?: DemoClock;
  /** Called once the app is up, before the seed and the simulators (a test connects its dashboard here). */
  beforeRun?: (app: RunningApp) => Promise<void>;
}

export async function startDemo(config: AppConfig, log: Logger, opts: DemoOptions = {}): Promise<RunningDemo> {
  const clock = opts.clock ?? realClock();
  const simulate = config.simulators.enabled;
  const demoConfig = simulate ? { ...config, rulePack: withDemoRulePack(config.rulePack, config.registry) } : config;
  const app = await startApp(demoConfig, log, clock.now);
  let fleet: Fleet | null = null;
  try {
    await opts.beforeRun?.(app);
    if (simulate) {
      const registry = app.registry.view.current();
      const demoLog = log.child({ module: 'demo' });
      await seedDemoRecords({
        records: app.records.service,
        registry,
        now: clock.now,
        utcOffsetMinutes: config.rulePack.utcOffsetMinutes,
        log: demoLog,
      });
      // The demo's emission-reduction lists (issue 18), when none were filed yet.
      const lists = await seedDemoReductionLists(app.reductions, registry);
      if (lists > 0) demoLog.info({ lists }, 'demo reduction lists filed');
      fleet = await startFleet({
        url: app.mqttUrl,
        registry: withEffectiveLimits(registry, config.limits),
        intervalMs: config.simulators.intervalMs,
        scenario: 'demo',
        logger: log.child({ module: 'simulators' }),
        clock: clock.now,
        timers: clock.timers,
        autoStart: false,
      });
      clock.start(); // the demo's 0:00: the scenario's times count from here
      fleet.start();
      await declareDemoStop(app, registry, clock.now);
    }
  } catch (err) {
    await app.stop();
    throw err;
  }
  return {
    app,
    config: demoConfig,
    fleet,
    async stop() {
      await fleet?.stop();
      await app.stop();
    },
  };
}

/**
 * The demo's declared stop: chaoyang-power's unit 2 is declared stopped (an approved maintenance
 * window on its outlet) for the first DEMO_DECLARED_STOP_S of the run, and the simulators run it
 * anyway for its first 7 min — the declared-stop-running alert (issue 16).
 */
async function declareDemoStop(app: RunningApp, registry: Registry, now: () => number): Promise<void> {
  const line = registry.facilities?.find((f) => f.id === DEMO_FACILITIES.stoppedUnit);
  const outlet = line?.outletMns?.[0];
  if (!line || outlet === undefined) return;
  const from = now();
  await app.maintenance.declareWindow(
    { enterpriseId: line.enterpriseId, mn: outlet, from, to: from + DEMO_DECLARED_STOP_S * 1000, reason: '演示：2号机组停机检修申报' },
    'system',
    { status: 'approved', by: 'system' },
  );
}
