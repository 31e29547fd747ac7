/**
 * The responses stage as app.ts builds it (issue 18 items 3, 4): the response store and the lists
 * in the registry's database, the service following the warnings (plan, re-plan, end; notices to
 * each enterprise of its own measures) and the verifier judging each closed hour on the rules'
 * tick (on the jobs lease's holder), its non-compliance alerts going to the alert lifecycle.
 */
import type { JobLease } from '../cluster/job-lease';
import type { AppConfig } from '../config';
import type { Finding } from '../domain/alert';
import type { EventBus } from '../domain/internal-events';
import type { MessageChannel } from '../domain/notify-target';
import type { RegistryView } from '../domain/registry-view';
import type { Warning } from '../domain/warning';
import type { WarningEffect } from '../domain/warning-effect';
import type { Logger } from '../logger';
import { registryDatabase } from '../storage/sql/database';
import type { ReductionListStore } from '../storage/sql/reduction-list-store';
import { openResponseStore } from '../storage/sql/response-store';
import { openPowerImportLog } from '../storage/sql/power-import-log';
import type { ImportedSeries } from '../domain/power-import-series';
import type { Reading } from '../domain/reading';
import type { TelemetryStore } from '../storage/telemetry-store';
import { formatResponseNotice, NOTICE_EVENTS, type ResponseNotice } from './response-notice';
import { ResponseService } from './response-service';
import { ResponseVerifier } from './response-verifier';
import { ResponseEffects } from './response-effects';
import { PeakShiftVerifier } from './peak-shift-verifier';

export interface ResponsesModule {
  service: ResponseService;
  /** tick() judges the hours closed by now (tests drive it with their clock). */
  verifier: ResponseVerifier;
  /** The effect reports (GET /api/responses/:id/effect). */
  effects: ResponseEffects;
  /** Peak-shift schedules (错峰生产): tick() judges the hour closed by now. */
  peakShift: PeakShiftVerifier;
  /** A power-data import landed: its series logged, the hours of responses it covers judged again. */
  powerImported(batch: { series: readonly ImportedSeries[]; readings: readonly Reading[] }): Promise<{ rejudged: number }>;
  stop(): Promise<void>;
}

export interface ResponsesDeps {
  registry: RegistryView;
  /** The lists (the reductions stage's store: one handle on the registry's database). */
  lists: ReductionListStore;
  telemetry: TelemetryStore;
  events: EventBus;
  /** Every warning now (a restart brings the responses in line). */
  warnings: () => Promise<Warning[]>;
  notifyEnterprises: (enterpriseIds: readonly string[], event: string, refId: number, bodyOf: (channel: MessageChannel) => unknown) => void;
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  graceMs: () => number;
  /** The warning effect report of a lifted warning (null: not lifted), for a response's ambient effect. */
  ambientOf: (warningId: number) => Promise<WarningEffect | null>;
  /** The verifiers' clocks run only while this process holds it (a cluster's jobs lease; default always). */
  jobs?: Pick<JobLease, 'held'>;
  log: Logger;
  now: () => number;
}

export async function startResponses(
  config: Pick<AppConfig, 'dataDir' | 'database' | 'ozone' | 'responses' | 'rules'>,
  deps: ResponsesDeps,
): Promise<ResponsesModule> {
  const location = registryDatabase(config);
  const opened = await openResponseStore(location);
  if (opened.migrated.length > 0) deps.log.info({ migrations: opened.migrated }, 'response store migrated');
  const imports = await openPowerImportLog(location);
  if (imports.migrated.length > 0) deps.log.info({ migrations: imports.migrated }, 'power import log migrated');
  // A peak-shift notice is about no response: its outbox reference is 0.
  const notify = (enterpriseId: string, n: ResponseNotice) =>
    deps.notifyEnterprises([enterpriseId], NOTICE_EVENTS[n.kind], n.kind === 'peakShift' ? 0 : n.responseId, (format) =>
      formatResponseNotice(format, n),
    );
  const utcOffsetMinutes = config.ozone.utcOffsetMinutes;
  const when = () => deps.jobs?.held() ?? true;
  const service = new ResponseService({
    store: opened.store,
    lists: deps.lists,
    registry: deps.registry,
    cityTonnesPerYear: config.responses.cityTonnesPerYear,
    notify,
    events: deps.events,
    utcOffsetMinutes,
    log: deps.log,
    now: deps.now,
  });
  const verifier = new ResponseVerifier({
    store: opened.store,
    lists: deps.lists,
    telemetry: deps.telemetry,
    imports: imports.log,
    registry: deps.registry,
    sink: deps.sink,
    notify,
    events: deps.events,
    failHours: config.responses.failHours,
    baselineDays: config.responses.baselineDays,
    minHourCoverage: config.ozone.status.minHourCoverage,
    utcOffsetMinutes,
    graceMs: deps.graceMs,
    tickMs: config.rules.tickS * 1000,
    when,
    log: deps.log,
    now: deps.now,
  });
  const peakShift = new PeakShiftVerifier({
    lists: deps.lists,
    telemetry: deps.telemetry,
    imports: imports.log,
    registry: deps.registry,
    sink: deps.sink,
    notify,
    failHours: config.responses.failHours,
    minHourCoverage: config.ozone.status.minHourCoverage,
    utcOffsetMinutes,
    graceMs: deps.graceMs,
    tickMs: config.rules.tickS * 1000,
    when,
    log: deps.log,
    now: deps.now,
  });
  // An ended response's open non-compliance alerts return to normal.
  const unsubscribe = deps.events.on('response:changed', (r) => {
    if (r.status === 'ended')
      verifier.ended(r).catch((err: unknown) => deps.log.error({ err, response: r.id }, 'response alerts not cleared'));
  });
  const effects = new ResponseEffects({
    responses: service,
    verifier,
    ambientOf: deps.ambientOf,
    graceMs: deps.graceMs,
    utcOffsetMinutes,
    now: deps.now,
  });
  await service.start(await deps.warnings());
  verifier.start();
  peakShift.start();
  return {
    service,
    verifier,
    effects,
    peakShift,
    async powerImported({ series, readings }) {
      await imports.log.record(series);
      return { rejudged: await verifier.rejudge(series, readings) };
    },
    async stop() {
      unsubscribe();
      await Promise.all([verifier.stop(), peakShift.stop()]);
      service.stop();
      await opened.close();
      await imports.close();
    },
  };
}
