import { inject } from 'vitest';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { telemetryStoreContract } from './telemetry-store.contract';

telemetryStoreContract(
  'InfluxDB (real influxd)',
  async () => new InfluxTelemetryStore({ url: inject('influxUrl'), db: `contract_${Date.now()}`, timeoutMs: 10_000, createDb: true }),
);
// The same contract with each data kind in its own retention policy (as the product runs it; the
// durations long enough for the suite's fixed days of 2026, which InfluxDB judges by its own clock).
telemetryStoreContract(
  'InfluxDB with retention policies (real influxd)',
  async () =>
    new InfluxTelemetryStore({
      url: inject('influxUrl'),
      db: `contract_rp_${Date.now()}`,
      timeoutMs: 10_000,
      createDb: true,
      retention: { policies: true, realtimeDays: 3650, minuteDays: 3650 },
    }),
);
