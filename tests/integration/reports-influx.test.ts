import { inject } from 'vitest';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { influxRetentionOf } from '../../server/storage/influx/influx-retention';
import { reportsAppSuite } from './reports-app';

const db = `reports_${process.pid}_${Date.now()}`;
reportsAppSuite(
  'InfluxDB (real influxd)',
  () => ({ INFLUX_URL: inject('influxUrl'), INFLUX_DB: db }),
  // Written as the app writes (each data kind to its retention policy), so the app reads it where it looks.
  async (t) => {
    const retention = influxRetentionOf(t.config.retention);
    const store = new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true, retention });
    await store.init();
    return store;
  },
);
