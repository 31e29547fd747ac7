/**
 * The HTTP stage as app.ts builds it: the Express app (health, readiness, metrics, the session gate
 * with the audit trail, and every API router over the other stages' ports), mounted on the realtime
 * stage's server, and listening. /healthz and /metrics report on every stage.
 */
import { resolve } from 'node:path';
import type { Histogram } from 'prom-client';
import type { Alerting } from '../alerts/alerting';
import type { DutyService } from '../alerts/duty-service';
import type { NotifyTargets } from '../alerts/notify-targets';
import { auditTrail } from '../auth/audit-trail';
import type { AuthModule } from '../auth/auth-module';
import type { AppConfig } from '../config';
import type { ControlModule } from '../control/control-module';
import type { IngestModule } from '../ingest/ingest-module';
import type { Hj212Ingest } from '../ingest/hj212/hj212-ingest';
import type { Logger } from '../logger';
import { Metrics } from '../observability/metrics';
import type { RealtimeModule } from '../realtime/realtime-module';
import type { RegistryModule } from '../registry/registry-module';
import type { ReportsModule } from '../reports/reports-module';
import type { RulesModule } from '../rules/rules-module';
import type { SourceDirectory } from '../sources/source-directory';
import type { SourceViewCache } from '../sources/source-view-cache';
import type { TelemetryModule } from '../storage/telemetry-module';
import { alertsRouter } from './alerts-router';
import { apiTokensRouter } from './api-tokens-router';
import { assigneesRouter, isAssignable } from './assignees-router';
import { campaignsRouter } from './campaigns-router';
import { casesRouter } from './cases-router';
import { reductionListsRouter } from './reduction-lists-router';
import type { ReductionService } from '../reductions/reduction-service';
import { caseEvidenceRouter } from './case-evidence-router';
import type { CaseService } from '../cases/case-service';
import { createHttpApp } from './http-app';
import { maintenanceRouter, reviewPolicyOf } from './maintenance-router';
import { mapRouter } from './map-router';
import { dutyRouter, notifySettingsRouter } from './duty-router';
import { notifyTargetsRouter } from './notify-targets-router';
import { ozoneRouter } from './ozone-router';
import { airRouter } from './air-router';
import { preNoticesRouter } from './pre-notices-router';
import { warningsRouter } from './warnings-router';
import { responsesRouter } from '../responses/responses-router';
import { gradeProposalsRouter } from '../grades/grade-proposals-router';
import type { GradeProposalService } from '../grades/grade-proposal-service';
import type { ResponseService } from '../responses/response-service';
import type { ResponseEffects } from '../responses/response-effects';
import type { WarningNotices } from '../control/warning-notices';
import type { WarningService } from '../control/warning-service';
import { registryIoRouter, type RegistryAdminPort } from './registry-io-router';
import { powerImportRouter, type PowerImportJudge, type PowerImportLanded } from './power-import-router';
import { hj212LoggersRouter, rawFramesRouter } from './raw-frames-router';
import { enterprisesRouter, facilitiesRouter, registrySourcesRouter, sourceAdminRouter } from './registry-routers';
import { rulesRouter } from './rules-router';
import { silencesRouter } from './silences-router';
import { workingConditionRouter } from './working-condition-router';
import { sourcesRouter } from './sources-router';
import { seriesRouter } from './series-router';
import { SeriesReader } from '../reports/series-downsample';
import type { ReadingSink } from '../ingest/reading-sink';
import { exchangeRouter } from './exchange-router';
import { adsorbentRouter, startStopEventsRouter, startStopPlansRouter } from './facility-records-router';
import type { RecordsService } from '../records/records-service';
import { qualityRouter } from './quality-router';
import { enterpriseScorecardRouter, scorecardsRouter } from './scorecard-router';
import { ScorecardService } from '../quality/scorecard-service';
import type { QualityService } from '../quality/quality-service';
import { ExchangeService } from '../exchange/exchange-service';

/** The largest attachment of a rectification case (10 MB). */
const CASE_ATTACHMENT_MAX_BYTES = 10 * 1_048_576;

const CLIENT_DIR = resolve(import.meta.dirname, '../../dist/client');

/**
 * What HTTP shows of the intake (health, metrics, the loggers' boards, raw frames): the ingest
 * stage's; a process without an intake (`--role web`, server/parts/front-part.ts) hands its own
 * empty counters and archive, and no broker.
 */
export interface IntakeView extends Pick<
  IngestModule,
  'stats' | 'rawArchive' | 'hj212Port' | 'brokerHealth' | 'brokerDrops' | 'partitions'
> {
  hj212: Pick<Hj212Ingest, 'stats' | 'unknown' | 'status'>;
  /** The ingest client is connected to the broker; null: this process has no broker connection. */
  connected: (() => boolean) | null;
}

export interface HttpDeps {
  auth: AuthModule;
  telemetry: TelemetryModule;
  /** Observed by the telemetry stage's writer; /metrics exposes it. */
  writeSeconds: Histogram;
  alerting: Alerting;
  rules: RulesModule;
  reports: ReportsModule;
  ingest: IntakeView;
  control: ControlModule;
  /** Heavy-pollution and ozone warnings (/api/warnings). */
  warnings: WarningService;
  /** Pre-notices, acknowledgements and effect reports (/api/pre-notices, /api/warnings/:id/…). */
  warningNotices: WarningNotices;
  /** Heavy-pollution responses (/api/responses). */
  responses: ResponseService;
  /** The responses' effect reports (/api/responses/:id/effect). */
  responseEffects: ResponseEffects;
  realtime: RealtimeModule;
  directory: SourceDirectory;
  /** Every source as the dashboard lists it, cached (server/sources/source-view-cache.ts). */
  views: SourceViewCache;
  /** The live registry and its administration (the registry REST routes). */
  registry: Pick<RegistryModule, 'view' | 'admin'>;
  /** Notification targets administered in the product (/api/notify-targets). */
  notifyTargets: NotifyTargets;
  /** Who gets what: roster, escalation chain, personal settings (/api/duty, /api/notify-settings; issue 21). */
  duty: DutyService;
  /** Facility records: adsorbent replacements, start/stop plans and events (issue 16 item 2). */
  records: RecordsService;
  /** Data quality (/api/quality; issue 19). */
  quality: QualityService;
  /** Where imported readings go (the pipeline, as live readings): the power-data import. */
  readings: ReadingSink;
  /** Judges a landed power-data import for the facility rules (the rules stage's port). */
  judgePowerImport?: PowerImportJudge;
  /** The responses' verification of a landed power import's hours (issue 18 item 4). */
  landedPowerImport?: PowerImportLanded;
  /** Rectification cases (/api/cases; issue 19). */
  cases: CaseService;
  /** Emission-reduction lists (/api/reduction-lists; issue 18). */
  reductions: ReductionService;
  /** Grade downgrade proposals (/api/grade-proposals; issue 18). */
  gradeProposals: GradeProposalService;
  log: Logger;
  now: () => number;
}

/** Series: raw points, or hourly / daily means of the rollup over long ranges (issue 20). */
function seriesReaderOf(config: AppConfig, deps: HttpDeps): SeriesReader {
  return new SeriesReader({
    telemetry: deps.telemetry.store,
    rollups: deps.reports.rollups,
    recentHours: async (mn, from, to) => (await deps.reports.service.rollupHours([mn], from, to)).get(mn) ?? new Map(),
    utcOffsetMinutes: config.rulePack.utcOffsetMinutes,
    now: deps.now,
  });
}

export interface HttpModule {
  port: number;
  /** The HTTP server closes with the realtime stage. */
  stop(): Promise<void>;
}

/** The data-exchange API (/api/exchange/v1) over the registry, latest values, reports, raw hour data and alerts. */
function exchangeOf(deps: HttpDeps) {
  const reports = deps.reports.service;
  const service = new ExchangeService({
    sources: () => deps.registry.view.current().sources,
    enterprises: () => deps.registry.view.current().enterprises,
    limitsOf: (mn) => deps.rules.book.subject(mn)?.limits ?? {},
    latestOf: (mn) => deps.directory.latestOf(mn),
    reports,
    hourRecords: (mn, from, to) => deps.telemetry.store.records({ mn, cn: '2061', from, to }),
    alerts: deps.alerting.alerts,
    nameOf: (u) => deps.duty.nameForEnterprise(u),
    utcOffsetMinutes: reports.utcOffsetMinutes,
    now: deps.now,
  });
  return exchangeRouter({ service, source: (mn) => deps.directory.get(mn), utcOffsetMinutes: reports.utcOffsetMinutes });
}

function registryIoOptions(config: AppConfig, deps: HttpDeps, auth: AuthModule) {
  const { maxMb, bounds } = config.registryImport;
  const log = deps.log.child({ module: 'registry-io' });
  const maxBytes = Math.round(maxMb * 1_048_576);
  return { maxBytes, bounds: bounds ?? undefined, audit: auth.audit, log, now: deps.now, utcOffsetMinutes: config.hj212.utcOffsetMinutes };
}

/** Power-data import (issue 16): the registry import's size bound; 200,000 rows (a month of 15-min data of 67 meters). */
function powerImportOf(config: AppConfig, deps: HttpDeps, auth: AuthModule) {
  const maxBytes = Math.round(config.registryImport.maxMb * 1_048_576);
  const log = deps.log.child({ module: 'power-import' });
  const utcOffsetMinutes = config.hj212.utcOffsetMinutes;
  const opts = { maxBytes, maxRows: 200_000, utcOffsetMinutes, audit: auth.audit, log, now: deps.now };
  return powerImportRouter(
    { registry: deps.registry.view, sink: deps.readings, judge: deps.judgePowerImport, landed: deps.landedPowerImport },
    opts,
  );
}

/** Enterprises' credit scorecards over the data-quality figures, the alert store and the case ledger. */
function scorecardsOf(config: AppConfig, deps: HttpDeps): ScorecardService {
  const { alerts } = deps.alerting;
  return new ScorecardService({
    quality: deps.quality,
    registry: deps.registry.view,
    alertsOpened: async (from, to, enterpriseId) => (await alerts.list({ from, to, enterpriseId, limit: 1_000_000 })).items,
    cases: (enterprise) => deps.cases.ledger({ enterprise }, null),
    now: deps.now,
    utcOffsetMinutes: config.hj212.utcOffsetMinutes,
  });
}

export async function startHttp(config: AppConfig, deps: HttpDeps): Promise<HttpModule> {
  const { auth, telemetry: tel, ingest, directory, views, now } = deps;
  const { alerts } = deps.alerting;
  const { hub, server } = deps.realtime;
  const { store: telemetry, spool, writer, spoolAlarm } = tel;
  const { stats, hj212, rawArchive, hj212Port, brokerHealth, brokerDrops } = ingest;
  const { store: controlStore, ozoneStatus, airQuality, airAssessment, campaigns } = deps.control;
  const port: RegistryAdminPort = {
    view: deps.registry.view,
    apply: (next, actor, action, detail, ip) =>
      deps.registry.admin.apply(next, actor, action, detail as Record<string, unknown> | undefined, { ip: ip ?? null }),
  };
  const registryIo = registryIoRouter(port, registryIoOptions(config, deps, auth));
  const records = { records: deps.records, utcOffsetMinutes: config.rulePack.utcOffsetMinutes, now };
  const scorecards = scorecardsOf(config, deps);
  const metrics = new Metrics({
    ingest: stats,
    hj212: hj212.stats,
    writer: writer.stats,
    spool,
    writeSeconds: deps.writeSeconds,
    ...(ingest.connected ? { brokerConnected: () => ingest.connected?.() === true } : {}),
    brokerDropped: () => brokerDrops?.droppedSinceStart ?? 0,
    ...(ingest.partitions ? { partitions: ingest.partitions } : {}),
    openAlerts: () => alerts.active().length,
    realtimeClients: () => hub.clients,
    rollup: () => deps.reports.rollupStats(),
    refusals: () => ({
      ...(brokerHealth ? { mqtt_broker: brokerHealth().refused } : {}),
      socket_handshake: hub.stats.handshakesRefused,
      socket_resync: { rate_limited: hub.stats.resyncsRefused },
      sign_in_web: auth.guard.refused,
      sign_in_mqtt: auth.deviceGuard.refused,
      api_token: auth.tokens.refused,
      registry_import: { file: registryIo.stats.refusedFiles, row: registryIo.stats.refusedRows },
      case_attachment: { ...deps.cases.refused },
    }),
  });
  /** The broker as this process sees it (none: a process without an intake). */
  const broker = () => (ingest.connected ? (ingest.connected() ? 'connected' : 'disconnected') : 'none');
  const httpApp = createHttpApp(
    {
      health: (_req, res) => {
        res.json({
          status: 'ok',
          store: telemetry.name,
          broker: broker(),
          ...(brokerDrops ? { brokerDropped: { ...brokerDrops } } : {}),
          ingest: { accepted: stats.accepted, rejected: stats.rejected, backpressureWaits: stats.backpressureWaits },
          realtime: { ...hub.stats, revocations: auth.revocationCounts() },
          signIn: { refused: { web: auth.guard.refused, mqtt: auth.deviceGuard.refused } },
          writer: writer.stats,
          spool: { depth: spool.depth, bytes: spool.bytes, full: spool.full, alarm: spoolAlarm.alarming },
          hj212: { port: hj212Port, ...hj212.stats.snapshot() },
          ...(brokerHealth ? { mqttBroker: brokerHealth() } : {}),
          ...(ingest.partitions ? { partitions: ingest.partitions() } : {}),
        });
      },
      metrics: (req, res, next) => metrics.handler(config.server.metricsToken)(req, res, next),
      ready: async (_req, res) => {
        const store = await telemetry.ping();
        const ready = store && broker() !== 'disconnected';
        res.status(ready ? 200 : 503).json({ ready, store: store ? 'up' : 'down', broker: broker() });
      },
      publicRouters: auth.routers,
      gate: [auth.authenticate, auditTrail(auth.audit, deps.log.child({ module: 'audit' }))],
      routers: {
        '/api/alerts': alertsRouter(alerts, now, {
          isAssignable: async (u) => isAssignable(await auth.users.findByUsername(u)),
          sources: directory,
          nameOf: (u) => deps.duty.nameForEnterprise(u),
        }),
        '/api/assignees': assigneesRouter(() => auth.users.list()),
        '/api/rules': rulesRouter(deps.rules.service, deps.rules.book, directory),
        '/api/silences': silencesRouter(alerts.suppressions, (mn) => directory.get(mn) !== undefined, now),
        '/api/maintenance': maintenanceRouter(alerts.suppressions, deps.registry.view, {
          nameOf: (u) => deps.duty.nameForEnterprise(u),
          policy: reviewPolicyOf(config.alerts.maintenance),
          now,
        }),
        '/api/sources': sourcesRouter({
          views,
          industryOf: (id) => directory.enterprise(id)?.industry,
          openAlerts: () => alerts.openAlerts(),
        })
          .use(seriesRouter(directory, seriesReaderOf(config, deps), now))
          .use(rawFramesRouter(rawArchive, (mn) => directory.get(mn), now))
          .use(sourceAdminRouter(deps.registry)),
        '/api/enterprises': enterprisesRouter(deps.registry)
          .use(enterpriseScorecardRouter(scorecards, config.hj212.utcOffsetMinutes))
          .use(
            workingConditionRouter({
              registry: deps.registry.view,
              telemetry,
              alerts,
              limitOf: (mn, factor) => deps.rules.book.subject(mn)?.limits[factor]?.max,
              now,
            }),
          ),
        '/api/facilities': facilitiesRouter(deps.registry).use(adsorbentRouter(records)),
        '/api/start-stop-plans': startStopPlansRouter(records),
        '/api/start-stop-events': startStopEventsRouter(records),
        '/api/hj212': hj212LoggersRouter(
          () => hj212.unknown.list(),
          () => hj212.status.all(),
        ),
        '/api/ozone': ozoneRouter({ status: ozoneStatus, store: controlStore, rules: config.ozone, now }),
        '/api/air': airRouter(airQuality, airAssessment, config.cityMap.city.zh),
        '/api/campaigns': campaignsRouter(campaigns, deps.registry.view, config.ozone, now),
        '/api/warnings': warningsRouter(
          deps.warnings,
          deps.registry.view,
          deps.warningNotices,
          config.ozone.utcOffsetMinutes,
          async (id) => {
            const [r] = await deps.responses.list({ warningId: id }, null);
            return r ?? null;
          },
        ),
        '/api/pre-notices': preNoticesRouter(deps.warningNotices),
        '/api/responses': responsesRouter(deps.responses, deps.responseEffects, config.ozone.utcOffsetMinutes),
        '/api/reports': deps.reports.router,
        '/api/map': mapRouter(config.cityMap),
        '/api/registry': registryIo.use(registrySourcesRouter(deps.registry.view)),
        '/api/power-imports': powerImportOf(config, deps, auth),
        '/api/notify-targets': notifyTargetsRouter({ targets: deps.notifyTargets, notifier: deps.alerting.notifier }),
        '/api/tokens': apiTokensRouter(auth.tokens),
        '/api/exchange/v1': exchangeOf(deps),
        '/api/duty': dutyRouter({ duty: deps.duty, now }),
        '/api/notify-settings': notifySettingsRouter({ duty: deps.duty }),
        '/api/quality': qualityRouter({
          quality: deps.quality,
          source: (mn) => directory.get(mn),
          allSources: () => deps.registry.view.current().sources,
          utcOffsetMinutes: deps.reports.service.utcOffsetMinutes,
        }).use(scorecardsRouter(scorecards, config.hj212.utcOffsetMinutes)),
        '/api/cases': casesRouter(deps.cases, { maxBytes: CASE_ATTACHMENT_MAX_BYTES, utcOffsetMinutes: config.hj212.utcOffsetMinutes }).use(
          caseEvidenceRouter({
            cases: deps.cases,
            alerts,
            telemetry,
            frames: rawArchive,
            audit: auth.audit,
            auditSink: auth.audit,
            registry: deps.registry.view,
            log: deps.log.child({ module: 'case-evidence' }),
            now,
            utcOffsetMinutes: config.hj212.utcOffsetMinutes,
          }),
        ),
        '/api/reduction-lists': reductionListsRouter(deps.reductions, deps.registry.view, {
          maxBytes: Math.round(config.registryImport.maxMb * 1_048_576),
          log: deps.log.child({ module: 'reduction-lists' }),
        }),
        '/api/grade-proposals': gradeProposalsRouter(deps.gradeProposals),
      },
      clientDir: CLIENT_DIR,
      trustProxy: config.server.trustProxy,
      forceSecureCookie: config.server.forceSecureCookie,
    },
    deps.log,
  );
  deps.realtime.mount(httpApp);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(config.server.port, config.server.host, () => res());
  });
  return { port: (server.address() as { port: number }).port, stop: async () => undefined };
}
