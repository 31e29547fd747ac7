/**
 * The warnings stage as app.ts builds it (issue 17 item 3): the warning store in the registry's
 * database (Kysely, migration history `warnings`), the service (issue, change, lift, cancel, the
 * start sweep, proposals from the control centre's forecasts) and its notices through the
 * notification targets; pre-notices, acknowledgements and effect reports (warning-notices.ts).
 */
import type { JobLease } from '../cluster/job-lease';
import type { AppConfig } from '../config';
import type { ControlStore } from '../domain/control-store';
import type { EventBus } from '../domain/internal-events';
import type { Logger } from '../logger';
import type { MessageChannel } from '../domain/notify-target';
import { registryDatabase } from '../storage/sql/database';
import { openWarningStore } from '../storage/sql/warning-store';
import type { RegistryView } from '../domain/registry-view';
import type { AqiQuery, AqiResponse } from '../domain/air-quality';
import { formatPreNoticeNotice } from './prenotice-notice';
import { formatWarningNotice } from './warning-notice';
import { WarningNotices } from './warning-notices';
import { WarningService } from './warning-service';

export interface WarningsModule {
  warnings: WarningService;
  /** Pre-notices, acknowledgements and effect reports. */
  notices: WarningNotices;
  stop(): Promise<void>;
}

export interface WarningsDeps {
  /** The control centre's forecasts. */
  forecasts: Pick<ControlStore, 'forecasts'>;
  /** Queues a notification for every enabled target (the alerting stage's notifier). */
  notify: (event: string, refId: number, bodyOf: (channel: MessageChannel) => unknown) => void;
  /** Queues a notice for the users of these enterprises (their own email: the duty stage's routing). */
  notifyEnterprises: (enterpriseIds: readonly string[], event: string, refId: number, bodyOf: (channel: MessageChannel) => unknown) => void;
  events: EventBus;
  /** The registry (who a notice goes to). */
  registry: RegistryView;
  /** The observed AQI (the effect report). */
  air: { aqi(q: AqiQuery): Promise<AqiResponse> };
  /** The sweep runs on the process holding it (a cluster's jobs lease; default always). */
  jobs?: Pick<JobLease, 'held'>;
  log: Logger;
  now: () => number;
}

export async function startWarnings(
  config: Pick<AppConfig, 'dataDir' | 'database' | 'ozone' | 'cityMap'>,
  deps: WarningsDeps,
): Promise<WarningsModule> {
  // Beside the registry: registry.db, or the PostgreSQL database of database.url.
  const opened = await openWarningStore(registryDatabase(config));
  if (opened.migrated.length > 0) deps.log.info({ migrations: opened.migrated }, 'warning store migrated');
  const districts = config.cityMap.boundary.features.map((f) => f.properties.name);
  const warnings = new WarningService({
    store: opened.store,
    rules: config.ozone,
    districts: () => districts,
    forecasts: (from, to) => deps.forecasts.forecasts(from, to),
    notify: (event, w) => deps.notify(`warning_${event}`, w.id, (format) => formatWarningNotice(format, event, w)),
    events: deps.events,
    log: deps.log,
    now: deps.now,
    when: () => deps.jobs?.held() ?? true,
  });
  const notices = new WarningNotices({
    store: opened.notices,
    warnings,
    registry: deps.registry,
    rules: config.ozone,
    districts: () => districts,
    forecasts: (from, to) => deps.forecasts.forecasts(from, to),
    air: deps.air,
    notify: (p) => {
      const bodyOf = (format: MessageChannel) => formatPreNoticeNotice(format, p);
      deps.notify('prenotice_issued', p.id, bodyOf);
      deps.notifyEnterprises(
        p.recipients.map((r) => r.enterpriseId),
        'prenotice_issued',
        p.id,
        bodyOf,
      );
    },
    events: deps.events,
    log: deps.log,
    now: deps.now,
  });
  // A newly issued warning's notice goes to the enterprises of its districts: record them, and tell
  // their users by email.
  const unsubscribe = deps.events.on('warning:changed', (w) => {
    if (w.version === 1)
      notices
        .recordWarning(w)
        .then((enterpriseIds) =>
          deps.notifyEnterprises(enterpriseIds, 'warning_issued', w.id, (format) => formatWarningNotice(format, 'issued', w)),
        )
        .catch((err: unknown) => deps.log.error({ err, warning: w.id }, 'warning recipients not recorded'));
  });
  try {
    await warnings.start();
  } catch (err) {
    unsubscribe();
    await opened.close();
    throw err;
  }
  return {
    warnings,
    notices,
    async stop() {
      unsubscribe();
      await warnings.stop();
      await opened.close();
    },
  };
}
