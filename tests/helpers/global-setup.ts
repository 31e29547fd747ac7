/**
 * Vitest global setup for tests/: one real influxd, one real Mosquitto and one real PostgreSQL for
 * the whole run (each test makes its own PostgreSQL database: tests/helpers/sql-engines.ts).
 */
import type { TestProject } from 'vitest/node';
import { startInfluxd, startMosquitto, startPostgres, type Service } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    mqttUrl: string;
    /** The PostgreSQL server's `postgres` database as its superuser: make a database of your own (freshPgDatabase). */
    pgUrl: string;
  }
}

let services: Service[] = [];

export async function setup(project: TestProject): Promise<void> {
  const [influx, mosquitto, postgres] = await Promise.all([startInfluxd(), startMosquitto(), startPostgres()]);
  services = [influx, mosquitto, postgres];
  project.provide('influxUrl', influx.url);
  project.provide('mqttUrl', mosquitto.url);
  project.provide('pgUrl', postgres.url);
}

export async function teardown(): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}
