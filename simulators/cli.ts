/**
 * `npm run simulate -- --url mqtt://localhost:1883 [--scenario demo] ...` (see USAGE): runs the
 * simulated data loggers of a registry against a broker until SIGINT / SIGTERM, or one round
 * with --once. Exit codes: 0 done, 1 runtime failure (broker unreachable, publish failed),
 * 2 bad arguments or registry.
 */
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { parseCliArgs, USAGE, type CliArgs } from './cli-args';
import { startFleet, type Fleet } from './fleet';
import { hj212MqttConnector, hj212TcpConnector } from './hj212/connectors';
import type { Connector } from './transport';
import { loadRegistry, RegistryFileError } from './registry-file';
import { buildScenario, ScenarioError, type Scenario } from './scenarios';
import type { Registry } from '../server/domain/registry';

const envSchema = z.object({
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
});

function fail(message: string): number {
  process.stderr.write(`simulate: ${message}\n\n${USAGE}`);
  return 2;
}

async function prepare(args: CliArgs, logger: Logger): Promise<{ registry: Registry; scenario: Scenario }> {
  const registry = await loadRegistry(args.registry, args.rules);
  const knobs = { mn: args.mn, factor: args.factor, value: args.value, startS: args.start, durationS: args.duration, everyS: args.every };
  if ((args.scenario === 'normal' || args.scenario === 'demo') && Object.values(knobs).some((v) => v !== undefined)) {
    logger.warn({ scenario: args.scenario }, 'the scenario has a fixed plan: --mn --factor --value --start --duration --every are ignored');
  }
  return { registry, scenario: buildScenario(args.scenario, registry, knobs) };
}

/** The fleet's connector for --protocol hj212-tcp / hj212-mqtt; the default MQTT JSON one otherwise. */
function hj212Connect(args: CliArgs, registry: Registry, env: z.infer<typeof envSchema>): { connect?: Connector } {
  const common = { registry, faultRate: args['fault-rate'], ...(args.seed !== undefined ? { seed: args.seed } : {}) };
  if (args.protocol === 'hj212-tcp') {
    const [host = 'localhost', port = '6212'] = args.hj212.split(':');
    return { connect: hj212TcpConnector({ ...common, host, port: Number(port) }).connect };
  }
  if (args.protocol === 'hj212-mqtt') {
    return { connect: hj212MqttConnector({ ...common, url: args.url, username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD }).connect };
  }
  return {};
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

async function run(fleet: Fleet, args: CliArgs, logger: Logger): Promise<number> {
  if (args.once) {
    await fleet.round();
    await fleet.stop();
    logger.info({ ...fleet.counters }, 'one round published');
    return fleet.counters.failed > 0 ? 1 : 0;
  }
  const signal = await untilSignal();
  logger.info({ signal }, 'stopping simulators');
  await fleet.stop();
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') return fail(parsed.error);
  const { args } = parsed;
  const logger = pino({ level: args['log-level'], base: { module: 'simulators' }, redact: ['password', 'mqttOptions.password'] });
  let prepared: { registry: Registry; scenario: Scenario };
  try {
    prepared = await prepare(args, logger);
  } catch (err) {
    if (err instanceof RegistryFileError || err instanceof ScenarioError) return fail(err.message);
    throw err;
  }
  const env = envSchema.parse(process.env);
  let fleet: Fleet;
  try {
    fleet = await startFleet({
      url: args.url,
      registry: prepared.registry,
      intervalMs: args.interval,
      scenario: prepared.scenario,
      seed: args.seed,
      logger,
      connections: args.connections,
      autoStart: !args.once,
      mqttOptions: { username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD },
      ...hj212Connect(args, prepared.registry, env),
    });
  } catch (err) {
    logger.error({ err }, 'cannot start the simulators');
    return 1;
  }
  return run(fleet, args, logger);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`simulate: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
