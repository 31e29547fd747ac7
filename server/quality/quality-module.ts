/**
 * The data-quality stage (issue 19) as app.ts builds it: the comparison store in the registry's
 * database (DATABASE_URL or registry.db, its own migrations) and the service over the reports'
 * rollup, the alerts, the rule book and the telemetry store.
 */
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openComparisonStore } from '../storage/sql/comparison-store';
import { QualityService, type QualityServiceDeps } from './quality-service';

export interface QualityModule {
  service: QualityService;
  stop(): Promise<void>;
}

export async function startQuality(
  config: StoreLocations,
  deps: Omit<QualityServiceDeps, 'store'> & { log: Logger },
): Promise<QualityModule> {
  const location = registryDatabase(config);
  const opened = await openComparisonStore(location);
  if (opened.migrated.length > 0)
    deps.log.info({ file: describeLocation(location), migrations: opened.migrated }, 'quality store migrated');
  return { service: new QualityService({ ...deps, store: opened.store }), stop: () => opened.close() };
}
