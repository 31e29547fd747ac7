import { inject } from 'vitest';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { reportsAppSuite } from './reports-app';

const db = `reports_${process.pid}_${Date.now()}`;
reportsAppSuite(
  'InfluxDB (real influxd)',
  () => ({ INFLUX_URL: inject('influxUrl'), INFLUX_DB: db }),
  async () => {
    const store = new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true });
    await store.init();
    return store;
  },
);
