import { inject } from 'vitest';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { telemetryStoreContract } from './telemetry-store.contract';

telemetryStoreContract(
  'InfluxDB (real influxd)',
  async () => new InfluxTelemetryStore({ url: inject('influxUrl'), db: `contract_${Date.now()}`, timeoutMs: 10_000, createDb: true }),
);
