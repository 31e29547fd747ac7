/**
 * The front part (server/parts/role-parts.ts): the HTTP server with socket.io (the realtime hub,
 * through Redis with `realtime.redisUrl`) and the Express app — health, readiness, metrics and every
 * API router over the other parts' ports.
 *
 * Without the intake (`--role web`) it stands in for it: its own, empty, loggers' boards, the raw-frame
 * archive of core (in a cluster the PostgreSQL table the gateways and ingest workers archive into),
 * no broker (readiness is the store's), and the power-data import's readings land through a pipeline
 * of their own — the telemetry writer and the reports (late hours dropped from the rollup), no live rules.
 */
import type { Reading } from '../domain/reading';
import { overseerOf } from '../domain/site-register';
import { startHttp, type IntakeView } from '../http/http-module';
import { Hj212Stats } from '../ingest/hj212/hj212-stats';
import { LoggerStatusBoard } from '../ingest/hj212/status-board';
import { UnknownMnList } from '../ingest/hj212/unknown-mns';
import type { ReadingSink } from '../ingest/reading-sink';
import { ReadingPipeline } from '../pipeline';
import { startRealtime } from '../realtime/realtime-module';
import { SourceViewCache } from '../sources/source-view-cache';
import type { Core, PartContext } from './core-part';
import type { Intake } from './intake-part';
import type { Services } from './services-part';
import { enterpriseById } from '../domain/registry';

export type Front = Awaited<ReturnType<typeof startFront>>;

/** What stands in for the intake in a process without one: empty boards, core's archive, no broker, readings to the writer. */
function noIntake(core: Core): { view: IntakeView; readings: ReadingSink } {
  const view: IntakeView = {
    stats: core.outlet.stats,
    hj212: { stats: new Hj212Stats(), unknown: new UnknownMnList(), status: new LoggerStatusBoard() },
    rawArchive: core.rawArchive,
    hj212Port: null,
    connected: null,
    brokerHealth: null,
    brokerDrops: null,
    partitions: null,
  };
  const onReading = (r: Reading) => core.reports.onReading(r);
  return { view, readings: new ReadingPipeline(core.directory, core.telemetry.writer, { onReading }, core.events) };
}

export async function startFront(ctx: PartContext, core: Core, services: Services, intake: Intake | null) {
  const { config, log, now, stack } = ctx;
  const { directory, registry, alerts, events, auth, duty } = core;
  const { view, readings } = intake ? { view: intake.ingest, readings: intake.pipeline } : noIntake(core);
  const views = new SourceViewCache(directory, () => registry.version(), config.realtime.offlineAfterIntervals, now);
  views.seed(alerts.active());
  events.on('alert:changed', (e) => views.noteAlert(e.alert));
  // Built off any request: after the start, and after each registry change (a turn later, once the holder has it).
  const warm = () => void setImmediate(() => views.warm());
  warm();
  events.on('registry:changed', warm);
  const realtime = await startRealtime(config, {
    auth,
    alerts,
    events,
    views,
    enterpriseOf: (mn) => directory.get(mn)?.enterpriseId,
    overseerOf: (mn) => {
      const source = directory.get(mn);
      return source && overseerOf(source);
    },
    warnings: () => services.warnings.warnings.open(),
    districtOf: (id) => enterpriseById(registry.current().enterprises, id)?.district,
    nameOf: (u) => duty.service.nameForEnterprise(u),
    log: log.child({ module: 'realtime' }),
    now,
  });
  stack.push(() => realtime.stop()); // closes the HTTP server too
  const { responses } = services;
  const http = await startHttp(config, {
    auth,
    telemetry: core.telemetry,
    writeSeconds: core.writeSeconds,
    alerting: core.alerting,
    rules: core.rules,
    reports: core.reports,
    ingest: view,
    control: services.control,
    warnings: services.warnings.warnings,
    warningNotices: services.warnings.notices,
    responses: responses.service,
    responseEffects: responses.effects,
    realtime,
    directory,
    views,
    registry: core.registryStage,
    notifyTargets: core.notify.targets,
    duty: duty.service,
    records: services.records.service,
    quality: core.quality.service,
    readings,
    judgePowerImport: core.rules.judgeImport,
    landedPowerImport: (batch) => responses.powerImported(batch),
    cases: services.cases.service,
    reductions: services.reductions.service,
    gradeProposals: services.grades.service,
    log: log.child({ module: 'http' }),
    now,
  });
  stack.push(() => http.stop());
  return { httpPort: http.port, realtime, views };
}
