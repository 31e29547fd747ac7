import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { telemetryStoreContract } from './telemetry-store.contract';

telemetryStoreContract('SQLite', async () => new SqliteTelemetryStore(join(mkdtempSync(join(tmpdir(), 'o3-sqlite-')), 'telemetry.db')));
