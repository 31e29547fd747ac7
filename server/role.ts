/**
 * One binary, roles by config (issue 15 item 5): `npm start` runs everything in one process; `--role
 * web|ingest|gateway` (or ROLE) runs a part of it. Which parts each role runs is the table ROLE_PARTS
 * (server/parts/role-parts.ts; docs/scale-out.md "What runs where"):
 * - `all`: core, services, timed jobs, intake, front — everything, embedded.
 * - `web`: core, services, timed jobs, front — HTTP and socket.io and everything officers and
 *   enterprises do; no MQTT intake (no client at all: the product publishes only HJ 212 replies and
 *   dead letters, both the intake's), no HJ 212 listener, no judging of live readings, no partitions.
 * - `ingest`: the same parts as `all`, its MQTT intake reading only the partitions the worker owns
 *   (PostgreSQL leases, one persistent broker session per partition) and its rules judging only
 *   their sources (server/ingest-role.ts); its front answers health, readiness and metrics.
 * - `gateway`: the HJ 212 TCP listener forwarding to the broker, alone (server/ingest/gateway/).
 * The timed jobs over every source run on whichever web or ingest process holds the jobs lease.
 */
import { parseArgs } from 'node:util';
import { startApp, startWeb } from './app';
import type { AppConfig } from './config';
import { startGateway } from './ingest/gateway/gateway-module';
import type { Logger } from './logger';
import { runs } from './parts/role-parts';

/** The environment with ROLE set from `--role <role>` when the command line has it (it wins over ROLE). */
export function withRoleArgument(argv: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { values } = parseArgs({ args: [...argv], options: { role: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.role === 'string' ? { ...env, ROLE: values.role } : env;
}

/** Starts what the configured role runs. */
export async function startRole(config: AppConfig, log: Logger): Promise<{ stop(): Promise<void> }> {
  if (runs(config.role, 'gateway')) return startGateway(config, log);
  return runs(config.role, 'intake') ? startApp(config, log) : startWeb(config, log);
}
