/**
 * The emission-reduction lists stage (issue 18) as app.ts builds it: the list store in the
 * registry's database (migration history `reduction_lists`), the service over the live registry, and
 * the reminders from 1 August (checked at start and every hour on the app's clock).
 */
import type { JobLease } from '../cluster/job-lease';
import type { AuditInput } from '../auth/audit-log';
import type { NotifyEnterprises } from '../domain/markdown-notice';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openReductionListStore, type ReductionListStore } from '../storage/sql/reduction-list-store';
import { tickedJob } from '../ticked-job';
import { ListReminders } from './list-reminders';
import { ReductionService } from './reduction-service';

/** How often the reminders are looked for (a day's standing does not change faster). */
const REMIND_EVERY_MS = 3_600_000;

export interface ReductionsModule {
  service: ReductionService;
  /** The list store (the responses stage reads the lists through it). */
  store: ReductionListStore;
  /** tick() sends the reminders due now (tests drive it with their clock). */
  reminders: ListReminders;
  stop(): Promise<void>;
}

export interface ReductionsDeps {
  registry: RegistryView;
  audit: { record(input: AuditInput): Promise<unknown> };
  notifyEnterprises: NotifyEnterprises;
  /** The reminders' clock runs only while this process holds it (a cluster's jobs lease; default always). */
  jobs?: Pick<JobLease, 'held'>;
  log: Logger;
  now: () => number;
}

export async function startReductions(
  config: StoreLocations & { hj212: { utcOffsetMinutes: number } },
  deps: ReductionsDeps,
): Promise<ReductionsModule> {
  const location = registryDatabase(config);
  const opened = await openReductionListStore(location);
  if (opened.migrated.length > 0)
    deps.log.info({ file: describeLocation(location), migrations: opened.migrated }, 'reduction-list store migrated');
  const utcOffsetMinutes = config.hj212.utcOffsetMinutes;
  const service = new ReductionService({ store: opened.store, utcOffsetMinutes, ...deps });
  const reminders = new ListReminders({ store: opened.store, utcOffsetMinutes, ...deps });
  const held = () => deps.jobs?.held() ?? true;
  const remind = tickedJob({
    name: 'reduction-list reminders',
    everyMs: REMIND_EVERY_MS,
    run: () => reminders.tick(),
    log: deps.log,
    when: held,
  });
  if (held()) await remind.tick(); // before the later stages open their stores on the same database
  remind.start();
  return {
    service,
    store: opened.store,
    reminders,
    async stop() {
      await remind.stop();
      await opened.close();
    },
  };
}
