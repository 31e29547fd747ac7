/**
 * One binary, roles by config (issue 15 item 5): `npm start` runs everything in one process; `--role
 * web|ingest|gateway` (or ROLE) runs one part. `gateway` is its own part (the HJ 212 TCP listener
 * forwarding to the broker, server/ingest/gateway/). `ingest` is the app whose MQTT intake reads only
 * the partitions the worker owns (PostgreSQL leases, one persistent broker session per partition) and
 * whose time-driven rules judge only their sources (server/ingest-role.ts); it still serves the rest
 * of the app over HTTP. `web` still runs the whole app until its slice lands (it says so in its log).
 */
import { parseArgs } from 'node:util';
import { startApp } from './app';
import type { AppConfig } from './config';
import { startGateway } from './ingest/gateway/gateway-module';
import type { Logger } from './logger';

/** The environment with ROLE set from `--role <role>` when the command line has it (it wins over ROLE). */
export function withRoleArgument(argv: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { values } = parseArgs({ args: [...argv], options: { role: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.role === 'string' ? { ...env, ROLE: values.role } : env;
}

/** Starts what the configured role runs. */
export async function startRole(config: AppConfig, log: Logger): Promise<{ stop(): Promise<void> }> {
  if (config.role === 'gateway') return startGateway(config, log);
  if (config.role === 'web') log.warn({ role: config.role }, 'the web role runs the whole app until its slice of issue 15 lands');
  return startApp(config, log);
}
