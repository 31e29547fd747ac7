/**
 * Server entry point: load and validate the config (on failure print every problem, exit 2),
 * start the app, stop cleanly on SIGINT/SIGTERM. `scripts/start.ts` reuses `runServer` to add the
 * demo simulators.
 */
import { startApp, type RunningApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';

/** Something started beside the server (the demo simulators) that stops before it. */
export type Companion = (config: AppConfig, app: RunningApp, log: Logger) => Promise<{ stop(): Promise<void> } | null>;

export async function runServer(env: NodeJS.ProcessEnv = process.env, companion?: Companion): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.log.level, process.stdout.isTTY === true);
  const app = await startApp(config, log);
  const extra = companion ? await companion(config, app, log) : null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await extra?.stop();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runServer().catch((err: unknown) => {
    process.stderr.write(`failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
