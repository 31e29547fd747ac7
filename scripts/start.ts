/**
 * `npm start`: the whole product on one machine with nothing installed beforehand — builds the
 * dashboard if needed, starts the server with the embedded MQTT broker and store (unless MQTT_URL /
 * INFLUX_URL say otherwise), the demo accounts (AUTH_DEMO_ACCOUNTS=false turns them off) and the
 * demo simulators (SIMULATE=false turns them off). The simulators play the registry the server
 * holds (its store, seeded from the YAML on the first start), not the YAML, which is stale after
 * any change made in the product.
 */
import type { RunningApp } from '../server/app';
import { withEffectiveLimits } from '../server/domain/limit-pack';
import type { Registry } from '../server/domain/registry';
import { runServer } from '../server/main';
import { sendsData, startFleet } from '../simulators/fleet';
import { DEMO_DECLARED_STOP_S, DEMO_FACILITIES } from '../simulators/scenarios';
import { buildClientIfStale } from './client-build';
import { seedDemoReductionLists } from '../server/reductions/demo-lists';

const env = { ...process.env, SIMULATE: process.env.SIMULATE ?? 'true', AUTH_DEMO_ACCOUNTS: process.env.AUTH_DEMO_ACCOUNTS ?? 'true' };

// Built in a child process before the server starts, so the server never holds Vite's memory.
if (process.env.O3_SKIP_CLIENT_BUILD !== '1') {
  const built = await buildClientIfStale().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
  if (built) process.stdout.write('dashboard built into dist/client\n');
}

await runServer(env, async (config, app, log) => {
  const url = `http://localhost:${app.httpPort}`;
  const registry = app.registry.view.current();
  const fleet = config.simulators.enabled
    ? await startFleet({
        url: app.mqttUrl,
        registry: withEffectiveLimits(registry, config.limits),
        intervalMs: config.simulators.intervalMs,
        scenario: 'demo',
        logger: log.child({ module: 'simulators' }),
      })
    : null;
  if (fleet) declareDemoStop(app, registry);
  // The demo's emission-reduction lists (issue 18), when none were filed yet.
  const lists = await seedDemoReductionLists(app.reductions, registry);
  if (lists > 0) log.info({ lists }, 'demo reduction lists filed');
  const loggers = registry.sources.filter(sendsData).length;
  const simulated =
    `${loggers} demo loggers, every ${config.simulators.intervalMs / 1000} s; ` + 'an ammonia-slip exceedance starts within a minute';
  process.stdout.write(
    [
      '',
      '  O3 Sentinel is running',
      `  Dashboard   ${url}`,
      `  MQTT        ${app.mqttUrl}${config.mqtt.url ? '' : ' (embedded broker)'}`,
      `  Telemetry   ${config.influx.url ? `InfluxDB ${config.influx.url} db=${config.influx.db}` : `embedded SQLite in ${config.dataDir}`}`,
      `  Simulators  ${fleet ? simulated : 'off'}`,
      ...(app.demoAccounts.length > 0
        ? [
            '  Accounts    (demo; role · username / password)',
            ...app.demoAccounts.map((a) => `              ${a.role.padEnd(10)} ${a.username} / ${a.password}`),
            ...(config.auth.forcePasswordChange
              ? ['              each sets its own password at its first sign-in (these then no longer work)']
              : []),
          ]
        : ['  Accounts    sign in with your account (first administrator: O3S_ADMIN_USERNAME / O3S_ADMIN_PASSWORD)']),
      '  Stop with Ctrl+C',
      '',
    ].join('\n') + '\n',
  );
  return fleet;
});

/**
 * The demo's declared stop: chaoyang-power's unit 2 is declared stopped (an approved maintenance
 * window on its outlet) for the first DEMO_DECLARED_STOP_S of the run, and the simulators run it
 * anyway from 5:30 to 11:30 — the declared-stop-running alert (issue 16).
 */
function declareDemoStop(app: RunningApp, registry: Registry): void {
  const line = registry.facilities?.find((f) => f.id === DEMO_FACILITIES.stoppedUnit);
  const outlet = line?.outletMns?.[0];
  if (!line || outlet === undefined) return;
  const from = Date.now();
  app.maintenance.declareWindow(
    { enterpriseId: line.enterpriseId, mn: outlet, from, to: from + DEMO_DECLARED_STOP_S * 1000, reason: '演示：2号机组停机检修申报' },
    'system',
    { status: 'approved', by: 'system' },
  );
}
