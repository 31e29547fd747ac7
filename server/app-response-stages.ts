/**
 * The heavy-pollution response stages as app.ts composes them (issue 18): the emission-reduction
 * lists (coverage, versions, acknowledgements, reminders), the responses planned from warnings and
 * verified as hours close, grade downgrade proposals from repeated non-compliance, and the watch on
 * fuel stations' daytime unloading during special control. Each stage's stop goes on `stack`.
 */
import type { JobLease } from './cluster/job-lease';
import type { AuditInput } from './auth/audit-log';
import type { Alert, Finding } from './domain/alert';
import type { Campaign } from './domain/campaign';
import type { EventBus } from './domain/internal-events';
import type { NotifyEnterprises } from './domain/markdown-notice';
import type { RegistryView } from './domain/registry-view';
import type { AppConfig } from './config';
import { UnloadingWatch } from './control/unloading-watch';
import type { WarningsModule } from './control/warnings-module';
import { startGrades } from './grades/grades-module';
import type { Logger } from './logger';
import { startReductions } from './reductions/reductions-module';
import type { RegistryAdmin } from './registry/registry-admin';
import { startResponses } from './responses/responses-module';
import type { TelemetryStore } from './storage/telemetry-store';

export interface ResponseStagesDeps {
  registry: RegistryView;
  registryAdmin: Pick<RegistryAdmin, 'changeGrade'>;
  audit: { record(input: AuditInput): Promise<unknown> };
  telemetry: TelemetryStore;
  events: EventBus;
  warnings: WarningsModule;
  campaigns: { list(): Promise<Campaign[]> };
  notifyEnterprises: NotifyEnterprises;
  /** Where findings go, and the non-compliance alerts the grade proposals weigh. */
  alerts: {
    apply(findings: readonly Finding[], enterpriseId: string): void;
    list(q: { rule: string; from: number; limit: number }): Promise<{ items: Alert[] }>;
  };
  /** How long after its end an hour is closed (the rule pack's hourly grace). */
  graceMs: () => number;
  /** The reminders run on the process holding it (a cluster's jobs lease). */
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
  // Daytime unloading at fuel stations while a campaign asks for night unloading.
  const unloading = new UnloadingWatch({
    campaigns: deps.campaigns,
    telemetry: deps.telemetry,
    registry,
    sink: alerts,
    params: config.responses.unloading,
    lookbackMs: 2 * 3_600_000,
    utcOffsetMinutes: config.hj212.utcOffsetMinutes,
    tickMs: config.rules.tickS * 1000,
    log: log.child({ module: 'unloading' }),
    now,
  });
  unloading.start();
  stack.push(() => unloading.stop());
  return { reductions, responses, grades, unloading };
}
