/**
 * The grade-proposals stage as app.ts builds it (issue 18 item 4): the proposal store in the
 * registry's database (migration history `grade_proposals`), the service following the alerts
 * (each measure-noncompliance alert recorded, its enterprise weighed), and a sweep at start of the
 * window's alerts (those raised while the stage was down are weighed too).
 */
import type { AuditInput } from '../auth/audit-log';
import type { Alert } from '../domain/alert';
import type { DowngradePolicy } from '../domain/grade-downgrade';
import type { EventBus } from '../domain/internal-events';
import type { NotifyEnterprises } from '../domain/markdown-notice';
import type { RegistryView } from '../domain/registry-view';
import { RULE_IDS } from '../domain/rule-ids';
import type { Logger } from '../logger';
import type { RegistryAdmin } from '../registry/registry-admin';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openGradeProposalStore } from '../storage/sql/grade-proposal-store';
import { GradeProposalService } from './grade-proposal-service';

export interface GradesModule {
  service: GradeProposalService;
  stop(): Promise<void>;
}

export interface GradesDeps {
  registry: RegistryView;
  admin: Pick<RegistryAdmin, 'changeGrade'>;
  alerts: { list(q: { rule: string; from: number; limit: number }): Promise<{ items: Alert[] }> };
  audit: { record(input: AuditInput): Promise<unknown> };
  events: EventBus;
  notifyEnterprises: NotifyEnterprises;
  log: Logger;
  now: () => number;
}

export async function startGrades(config: StoreLocations & { gradeDowngrade: DowngradePolicy }, deps: GradesDeps): Promise<GradesModule> {
  const location = registryDatabase(config);
  const opened = await openGradeProposalStore(location);
  if (opened.migrated.length > 0)
    deps.log.info({ file: describeLocation(location), migrations: opened.migrated }, 'grade-proposal store migrated');
  const service = new GradeProposalService({
    store: opened.store,
    registry: deps.registry,
    changeGrade: (...args) => deps.admin.changeGrade(...args),
    noncomplianceSince: async (from) => (await deps.alerts.list({ rule: RULE_IDS.measureNoncompliance, from, limit: 1_000_000 })).items,
    audit: deps.audit,
    events: deps.events,
    notifyEnterprises: deps.notifyEnterprises,
    policy: config.gradeDowngrade,
    log: deps.log,
    now: deps.now,
  });
  const unsubscribe = deps.events.on('alert:changed', ({ alert }) => {
    service.onAlert(alert).catch((err: unknown) => deps.log.error({ err, alert: alert.id }, 'measure non-compliance not weighed'));
  });
  await service.sweep();
  return {
    service,
    async stop() {
      unsubscribe();
      await service.idle();
      await opened.close();
    },
  };
}
