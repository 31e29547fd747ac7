/**
 * The ambient-air alerts stage as app.ts builds it (issue 17): the evaluator of 爆表, hotspots and
 * the 8-h O3 mean, ticked with the rules' tick, judging each closed hour from the telemetry store
 * with the stations' effective rule parameters, its findings going to the alert lifecycle. Its clock
 * runs on the process holding the jobs lease (one process of a cluster judges every station).
 */
import type { JobLease } from '../cluster/job-lease';
import type { AppConfig } from '../config';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { TelemetryStore } from '../storage/telemetry-store';
import { AmbientAlertService, type AmbientAlertsDeps } from './ambient-alerts';

export interface AmbientAlertsModule {
  service: AmbientAlertService;
  stop(): Promise<void>;
}

export function startAmbientAlerts(
  config: Pick<AppConfig, 'ozone' | 'rules'>,
  deps: {
    registry: RegistryView;
    telemetry: TelemetryStore;
    /** The rule book's view: a station's effective parameters, the pack's hour grace. */
    rules: { paramsOf: AmbientAlertsDeps['paramsOf']; graceMs: () => number };
    sink: AmbientAlertsDeps['sink'];
    jobs: Pick<JobLease, 'held'>;
    log: Logger;
    now: () => number;
  },
): AmbientAlertsModule {
  const service = new AmbientAlertService({
    store: deps.telemetry,
    registry: deps.registry,
    paramsOf: deps.rules.paramsOf,
    graceMs: deps.rules.graceMs,
    sink: deps.sink,
    utcOffsetMinutes: config.ozone.utcOffsetMinutes,
    minHourCoverage: config.ozone.status.minHourCoverage,
    tickMs: config.rules.tickS * 1000,
    when: () => deps.jobs.held(),
    log: deps.log,
    now: deps.now,
  });
  service.start();
  return { service, stop: () => service.stop() };
}
