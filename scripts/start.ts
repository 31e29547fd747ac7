/**
 * `npm start`: the whole product on one machine with nothing installed beforehand — builds the
 * dashboard if needed, starts the server with the embedded MQTT broker and store (unless MQTT_URL /
 * INFLUX_URL say otherwise), the demo accounts (AUTH_DEMO_ACCOUNTS=false turns them off) and the
 * demo (SIMULATE=false turns it off): its simulators, rule parameters and records seed, composed
 * by scripts/demo.ts (which the demo-run test calls too).
 */
import { runServer } from '../server/main';
import { withRoleArgument } from '../server/role';
import { sendsData } from '../simulators/fleet';
import { startDemo } from './demo';
import { buildClientIfStale } from './client-build';

// `npm start -- --role web|ingest|gateway` (or ROLE): that role alone, without the demo (server/role.ts).
const role = withRoleArgument(process.argv.slice(2), process.env).ROLE ?? 'all';
if (role !== 'all') {
  if (role !== 'gateway' && process.env.O3_SKIP_CLIENT_BUILD !== '1') await buildClientIfStale();
  await runServer();
} else {
  await startAll();
}

async function startAll(): Promise<void> {
  const env = { ...process.env, SIMULATE: process.env.SIMULATE ?? 'true', AUTH_DEMO_ACCOUNTS: process.env.AUTH_DEMO_ACCOUNTS ?? 'true' };

  // Built in a child process before the server starts, so the server never holds Vite's memory.
  if (process.env.O3_SKIP_CLIENT_BUILD !== '1') {
    const built = await buildClientIfStale().catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
    if (built) process.stdout.write('dashboard built into dist/client\n');
  }

  await runServer(env, async (config, log) => {
    const demo = await startDemo(config, log);
    const { app, fleet } = demo;
    const url = `http://localhost:${app.httpPort}`;
    const loggers = app.registry.view.current().sources.filter(sendsData).length;
    const simulated =
      `${loggers} demo loggers, every ${config.simulators.intervalMs / 1000} s; ` +
      'an ammonia-slip exceedance within a minute, each working-condition rule within ten (README: Simulators)';
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
    return demo;
  });
}
