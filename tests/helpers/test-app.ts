/** Starts the real app for a test: real config loading, temp data dir, free ports, silent logs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startApp, type RunningApp } from '../../server/app';
import { loadConfig, type AppConfig } from '../../server/config';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/domain/events';
import { createLogger } from '../../server/logger';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface TestApp {
  app: RunningApp;
  config: AppConfig;
  baseUrl: string;
  stop(): Promise<void>;
}

/** env: any of the config's environment overrides (INFLUX_URL, MQTT_URL, …). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'o3-app-'));
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      HJ212_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      INFLUX_FLUSH_MS: '20',
      REALTIME_BATCH_MS: '100',
      MQTT_CLIENT_ID: `o3-test-${process.pid}-${Date.now()}`,
      ...env,
    },
    ROOT,
  );
  const app = await startApp(config, createLogger(config.log.level));
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${app.httpPort}`,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectDashboard(baseUrl: string): Promise<DashboardSocket> {
  const socket: DashboardSocket = io(baseUrl, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((res, rej) => {
    socket.once('state:snapshot', () => res());
    socket.once('connect_error', rej);
  });
  return socket;
}

/** Resolves with the first event for which `match` holds; rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: DashboardSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
  ms = 15_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (socket.off(event, handler as never), reject(new Error(`no matching ${event} within ${ms} ms`))), ms);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}
