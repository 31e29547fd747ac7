/** Vitest global setup for tests/: one real influxd and one real Mosquitto for the whole run. */
import type { TestProject } from 'vitest/node';
import { startInfluxd, startMosquitto, type Service } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    mqttUrl: string;
  }
}

let services: Service[] = [];

export async function setup(project: TestProject): Promise<void> {
  const [influx, mosquitto] = await Promise.all([startInfluxd(), startMosquitto()]);
  services = [influx, mosquitto];
  project.provide('influxUrl', influx.url);
  project.provide('mqttUrl', mosquitto.url);
}

export async function teardown(): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}
