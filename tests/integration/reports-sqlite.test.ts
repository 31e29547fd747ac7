import { join } from 'node:path';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { reportsAppSuite } from './reports-app';

reportsAppSuite(
  'SQLite',
  () => ({}),
  async (t) => {
    const store = new SqliteTelemetryStore(join(t.config.dataDir, 'telemetry.db'));
    await store.init();
    return store;
  },
);
