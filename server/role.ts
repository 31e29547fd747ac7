/**
 * One binary, roles by config (issue 15 item 5): `npm start` runs everything in one process; `--role
 * web|ingest|gateway` (or ROLE) runs one part. Only `gateway` is its own part so far (the HJ 212 TCP
 * listener forwarding to the broker, server/ingest/gateway/); `web` and `ingest` still run the whole
 * app until their slices land (each says so in its log), so a cluster can be laid out by role today.
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
  if (config.role !== 'all') {
    log.warn({ role: config.role }, 'the web and ingest roles run the whole app until their slices of issue 15 land');
  }
  return startApp(config, log);
}
