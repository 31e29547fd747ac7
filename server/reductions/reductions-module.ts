/**
 * The emission-reduction lists stage (issue 18) as app.ts builds it: the list store in the
 * registry's database (migration history `reduction_lists`) and the service over the live registry.
 */
import type { AuditInput } from '../auth/audit-log';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openReductionListStore, type ReductionListStore } from '../storage/sql/reduction-list-store';
import { ReductionService } from './reduction-service';

export interface ReductionsModule {
  service: ReductionService;
  /** The list store (the responses stage reads the lists through it). */
  store: ReductionListStore;
  stop(): Promise<void>;
}

export interface ReductionsDeps {
  registry: RegistryView;
  audit: { record(input: AuditInput): Promise<unknown> };
  utcOffsetMinutes: number;
  log: Logger;
  now: () => number;
}

export async function startReductions(config: StoreLocations, deps: ReductionsDeps): Promise<ReductionsModule> {
  const location = registryDatabase(config);
  const opened = await openReductionListStore(location);
  if (opened.migrated.length > 0)
    deps.log.info({ file: describeLocation(location), migrations: opened.migrated }, 'reduction-list store migrated');
  const service = new ReductionService({ store: opened.store, ...deps });
  return { service, store: opened.store, stop: () => opened.close() };
}
