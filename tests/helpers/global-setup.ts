/**
 * Vitest global setup for tests/: one real influxd and one real PostgreSQL for the whole run (each
 * test file writes its own InfluxDB database and makes its own PostgreSQL databases:
 * tests/helpers/sql-engines.ts). No Mosquitto is shared: files run in parallel, and each that needs
 * an external broker starts its own (tests/helpers/own-broker.ts).
 */
import type { TestProject } from 'vitest/node';
import { startInfluxd, startPostgres, type Service } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    /** The PostgreSQL server's `postgres` database as its superuser: make a database of your own (freshPgDatabase). */
    pgUrl: string;
  }
}

let services: Service[] = [];

export async function setup(project: TestProject): Promise<void> {
  const [influx, postgres] = await Promise.all([startInfluxd(), startPostgres()]);
  services = [influx, postgres];
  project.provide('influxUrl', influx.url);
  project.provide('pgUrl', postgres.url);
}

export async function teardown(): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}
