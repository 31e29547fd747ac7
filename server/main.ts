/**
 * Server entry point: load and validate the config (on failure print every problem, exit 2),
 * start the app, stop cleanly on SIGINT/SIGTERM. `scripts/start.ts` reuses `runServer` with the
 * demo's composition (scripts/demo.ts: the app, its simulators and seed).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';
import { startRole, withRoleArgument } from './role';

/**
 * What runServer starts from the loaded config (default: what its role runs, server/role.ts);
 * stopped on SIGINT/SIGTERM. `--role <role>` on the command line sets ROLE.
 */
export type Starter = (config: AppConfig, log: Logger) => Promise<{ stop(): Promise<void> }>;

export async function runServer(env: NodeJS.ProcessEnv = process.env, start: Starter = startRole): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(withRoleArgument(process.argv.slice(2), env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.log.level, process.stdout.isTTY === true);
  const running = await start(config, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

// Run directly (`tsx server/main.ts`, with any relative path): start; imported (scripts/start.ts): not.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runServer().catch((err: unknown) => {
    process.stderr.write(`failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
