/**
 * The heavy-pollution response stages as the services part composes them (issue 18): the
 * emission-reduction lists (coverage, versions, acknowledgements, reminders), the responses planned
 * from warnings and verified as hours close, and grade downgrade proposals from repeated
 * non-compliance. The reminders' and verifiers' clocks run on the jobs lease's holder. Each stage's
 * stop goes on `stack`. (The watch on fuel stations' daytime unloading is a timed job:
 * server/parts/jobs-part.ts.)
 */
import type { JobLease } from '../cluster/job-lease';
import type { AuditInput } from '../auth/audit-log';
import type { Alert, Finding } from '../domain/alert';
import type { EventBus } from '../domain/internal-events';
import type { NotifyEnterprises } from '../domain/markdown-notice';
import type { RegistryView } from '../domain/registry-view';
import type { AppConfig } from '../config';
import type { WarningsModule } from '../control/warnings-module';
import { startGrades } from '../grades/grades-module';
import type { Logger } from '../logger';
import { startReductions } from '../reductions/reductions-module';
import type { RegistryAdmin } from '../registry/registry-admin';
import { startResponses } from '../responses/responses-module';
import type { TelemetryStore } from '../storage/telemetry-store';

export interface ResponseStagesDeps {
  registry: RegistryView;
  registryAdmin: Pick<RegistryAdmin, 'changeGrade'>;
  audit: { record(input: AuditInput): Promise<unknown> };
  telemetry: TelemetryStore;
  events: EventBus;
  warnings: WarningsModule;
  notifyEnterprises: NotifyEnterprises;
  /** Where findings go, and the non-compliance alerts the grade proposals weigh. */
  alerts: {
    apply(findings: readonly Finding[], enterpriseId: string): void;
    list(q: { rule: string; from: number; limit: number }): Promise<{ items: Alert[] }>;
  };
  /** How long after its end an hour is closed (the rule pack's hourly grace). */
  graceMs: () => number;
  /** The reminders and the verifiers run on the process holding it (a cluster's jobs lease). */
  jobs: Pick<JobLease, 'held'>;
  log: Logger;
  now: () => number;
}

export async function startResponseStages(config: AppConfig, stack: (() => void | Promise<void>)[], deps: ResponseStagesDeps) {
  const { registry, audit, events, notifyEnterprises, alerts, log, now } = deps;
  // Lists: in the registry's database; coverage, versions, acknowledgements, reminders from 1 August.
  const reductions = await startReductions(config, {
    registry,
    audit,
    notifyEnterprises,
    jobs: deps.jobs,
    log: log.child({ module: 'reductions' }),
    now,
  });
  stack.push(() => reductions.stop());
  // Responses: planned from the lists when a warning is issued, verified as hours close.
  const { warnings } = deps;
  const responses = await startResponses(config, {
    registry,
    lists: reductions.store,
    telemetry: deps.telemetry,
    events,
    warnings: () => warnings.warnings.list(),
    notifyEnterprises,
    sink: alerts,
    graceMs: deps.graceMs,
    ambientOf: async (warningId) =>
      (await warnings.warnings.get(warningId))?.status === 'lifted' ? warnings.notices.effect(warningId) : null,
    jobs: deps.jobs,
    log: log.child({ module: 'responses' }),
    now,
  });
  stack.push(() => responses.stop());
  // Grade downgrade proposals: repeated measure non-compliance proposes one grade lower, for an officer.
  const grades = await startGrades(config, {
    registry,
    admin: deps.registryAdmin,
    alerts,
    audit,
    events,
    notifyEnterprises,
    log: log.child({ module: 'grades' }),
    now,
  });
  stack.push(() => grades.stop());
  return { reductions, responses, grades };
}
