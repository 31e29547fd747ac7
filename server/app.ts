/**
 * Composition root: builds every stage from the validated config in the order data flows — auth,
 * telemetry, alerting, rules (and reports), ingest, control, realtime, HTTP — passing each the ports
 * of the stages before it, and stops them in reverse order. No singletons: tests build as many apps
 * as they like.
 */
import { mkdirSync } from 'node:fs';
import { smtpOf, startAlerting } from './alerts/alerting';
import { startDuty } from './alerts/duty-module';
import { startNotifyTargets } from './alerts/notify-targets';
import { startAuth } from './auth/auth-module';
import { startAutoCases } from './cases/auto-cases-stage';
import { startCases } from './cases/case-module';
import type { DemoAccount } from './auth/demo-accounts';
import type { Reading } from './domain/reading';
import type { AppConfig } from './config';
import type { SuppressionService } from './alerts/suppression-service';
import { startAmbientAlerts } from './control/ambient-alerts-module';
import { startControl } from './control/control-module';
import { startWarnings } from './control/warnings-module';
import type { UnloadingWatch } from './control/unloading-watch';
import { startResponseStages } from './app-response-stages';
import type { ResponsesModule } from './responses/responses-module';
import { startHttp } from './http/http-module';
import { ingestClusterOf, ownedFindings, workerNameOf } from './ingest-role';
import { startJobLease } from './cluster/job-lease';
import { prepareIngest, startIngest } from './ingest/ingest-module';
import type { IngestStats } from './ingest/ingest-stats';
import { EventBus, type InternalEvents } from './domain/internal-events';
import type { NotifyEnterprises } from './domain/markdown-notice';
import { writeDurationHistogram } from './observability/metrics';
import type { Logger } from './logger';
import { ReadingPipeline } from './pipeline';
import { startRealtime } from './realtime/realtime-module';
import type { ReductionService } from './reductions/reduction-service';
import { startRecords, type RecordsModule } from './records/records-module';
import { startRegistry, type RegistryModule } from './registry/registry-module';
import { startReports } from './reports/reports-module';
import { overseerOf } from './domain/site-register';
import { startQuality } from './quality/quality-module';
import { startRules } from './rules/rules-module';
import type { FrameSeen } from './rules/transport-rules';
import { startTransportWatch } from './rules/transport-watch';
import type { RulesService } from './rules/rules-service';
import { loadSourceDirectory } from './sources/load-directory';
import { SourceViewCache } from './sources/source-view-cache';
import { startTelemetry } from './storage/telemetry-module';
import { openAlertState } from './storage/sql/alert-store';
import { alertStateDatabase, reportsDatabase } from './storage/sql/database';
import { SqlHourlyRollup } from './storage/sql/rollup-store';

/** How often the product looks for sources due a case (a month's figures do not change faster). */
const AUTO_CASES_EVERY_MS = 6 * 3_600_000;

export interface RunningApp {
  httpPort: number;
  mqttUrl: string;
  /** Port of the HJ 212 TCP listener (null when disabled). */
  hj212Port: number | null;
  stats: IngestStats;
  /** The rules at run time (tick() runs the time-driven rules now; tests drive it with their clock). */
  rules: RulesService;
  /** Ambient-air alerts (tick() judges the hours closed by now; tests drive it with their clock). */
  ambientAlerts: { tick(): Promise<void> };
  /** Heavy-pollution responses: verifier.tick() judges the hours closed by now (tests drive it with their clock). */
  responses: Pick<ResponsesModule, 'service' | 'verifier' | 'peakShift' | 'powerImported'>;
  /** Daytime unloading during special control: tick() watches the stations now (tests drive it with their clock). */
  unloading: Pick<UnloadingWatch, 'tick'>;
  /** Transport signatures (tick() judges no-raw-hj212 and relay now; tests drive it with their clock). */
  transportWatch: { tick(): void };
  /** Demo accounts created at start (AUTH_DEMO_ACCOUNTS); empty otherwise. */
  demoAccounts: DemoAccount[];
  /** The live registry and its administration (the store is its source since issue 14). */
  registry: Pick<RegistryModule, 'view' | 'admin'>;
  /**
   * Facility records (issue 16 item 2): `rules.tick()` judges declared-stop-running, adsorbent-overdue
   * and unplanned-start-stop now; `useFacilityStates` gives them the facility engine's port; `service`
   * logs replacements and files plans (the demo's seed).
   */
  records: Pick<RecordsModule, 'rules' | 'useFacilityStates' | 'service'>;
  /** Maintenance declarations (the demo declares a stop its simulators then break: declared-stop-running). */
  maintenance: Pick<SuppressionService, 'declareWindow'>;
  /** Emission-reduction lists (issue 18): the demo files its lists through it at start. */
  reductions: Pick<ReductionService, 'isEmpty' | 'file' | 'today'>;
  /** Sends the reduction-list reminders due now (its timer does every hour); resolves with how many. */
  remindLists(): Promise<number>;
  /** Runs the escalation chain now (its timer does every alerts.checkIntervalS; tests drive it with their clock). */
  escalate(): Promise<number>;
  /** Runs the rectification cases' overdue ticker now (its timer does every alerts.checkIntervalS); resolves with the cases marked. */
  casesOverdue(): Promise<number>;
  /** Opens the cases the data-quality figures say are due (its timer does every 6 h); resolves with how many. */
  autoCases(): Promise<number>;
  stop(): Promise<void>;
}

export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  /** What to stop, in start order; stopped last first. */
  const stack: (() => void | Promise<void>)[] = [];
  mkdirSync(config.dataDir, { recursive: true });
  const events = new EventBus<InternalEvents>((err, event) => log.error({ err, event }, 'internal event listener failed'));
  const registryStage = await startRegistry(config, { events, log: log.child({ module: 'registry' }), now });
  stack.push(() => registryStage.stop());
  const registry = registryStage.view;
  const auth = await startAuth(config.auth, config, registry, log.child({ module: 'auth' }), now, events);
  stack.push(() => auth.close());
  // Notification targets: in the registry's database (DATABASE_URL or registry.db), seeded once from alerts.notify.targets (issue 14).
  const notify = await startNotifyTargets(
    { dataDir: config.dataDir, database: config.database, seed: config.alerts.notify.targets },
    { audit: auth.audit, log: log.child({ module: 'notify-targets' }), now },
  );
  stack.push(() => notify.stop());
  // The alert state: state.db (adopted from the hand-written store), or PostgreSQL with DATABASE_URL.
  // The cluster-wide jobs (outbox delivery, escalation) run on the one process holding the jobs lease.
  const jobs = await startJobLease(config.database?.url, workerNameOf(config), log);
  stack.push(() => jobs.stop());
  const stateStore = await openAlertState(alertStateDatabase(config));
  stack.push(() => stateStore.close());
  // Built before telemetry, whose writer hands them what the store refuses and how long writes take.
  const outlet = prepareIngest(config, log, now);
  stack.push(() => outlet.stop());
  const writeSeconds = writeDurationHistogram();
  const observeWrite = (seconds: number) => writeSeconds.observe(seconds);
  const telemetry = await startTelemetry(config, log, { deadLetters: outlet.deadLetters, observeWrite, now });
  stack.push(() => telemetry.stop());
  const directory = await loadSourceDirectory(registry, telemetry.store, log);
  // Who gets what (issue 21): contacts, subscriptions, the roster and the escalation chain, in the registry's database.
  const duty = await startDuty(
    { dataDir: config.dataDir, database: config.database },
    {
      registry,
      audit: auth.audit,
      users: () => auth.users.list(),
      targets: () => notify.targets.list(),
      canEmail: () => smtpOf(config.alerts.notify.email) !== null,
      canSms: () => Boolean(config.alerts.notify.sms?.accessKeyId && config.alerts.notify.sms.accessKeySecret),
      log: log.child({ module: 'duty' }),
      now,
    },
  );
  stack.push(() => duty.stop());
  const personal = { targets: duty.service.personal, route: duty.service.route };
  const alertingDeps = {
    store: stateStore,
    events,
    log: log.child({ module: 'alerts' }),
    now,
    targets: notify.targets.live,
    personal,
    jobs,
  };
  const alerting = await startAlerting(config.alerts, registry, alertingDeps);
  stack.push(() => alerting.stop());
  duty.watch({
    alerts: alerting.alerts,
    notifier: alerting.notifier,
    store: stateStore,
    events,
    checkIntervalS: config.alerts.checkIntervalS,
    jobs,
  });
  const { alerts } = alerting;
  const windows = () => alerts.suppressions.approvedWindows();
  // An ingest worker (`--role ingest`) judges, on the clock, only the sources of the partitions it owns.
  const cluster = ingestClusterOf(config, log, now);
  const ownership = cluster ? { ownership: cluster.owned } : {};
  const judged = ownedFindings(alerts, cluster); // the other time-driven judges' findings, of its sources only
  // A worker's partitions carry their sources' rule state: loaded as acquired, saved as released.
  const partitionRules = cluster ? { partitions: cluster.intake.ownership } : {};
  const rulesDeps = { registry, sink: alerts, events, log: log.child({ module: 'rules' }), now, windows, ...ownership, ...partitionRules };
  const rules = await startRules(config, rulesDeps);
  stack.push(() => rules.stop()); // saves the rule state (hour windows, counters) for the next start
  // Reports: the hourly rollup written as hours close (reports.db or PostgreSQL); late data recomputes its hour.
  const reports = await startReports({
    records: telemetry.store,
    rollups: new SqlHourlyRollup(reportsDatabase(config)),
    registry,
    ruleBook: rules.book,
    now,
    log: log.child({ module: 'reports' }),
    alertsOpened: async (from, to) => (await alerts.list({ from, to, limit: 1_000_000 })).items,
  });
  stack.push(() => reports.stop());
  // Data quality (issue 19): transmission ranked by district, contractors, cases due; comparison tests.
  const quality = await startQuality(
    { dataDir: config.dataDir, database: config.database },
    {
      registry,
      rollupHours: (mns, from, to) => reports.service.rollupHours(mns, from, to),
      alertsOpened: async (from, to) => (await alerts.list({ from, to, limit: 1_000_000 })).items,
      openAlerts: () => alerts.openAlerts(),
      paramsOf: (mn) => rules.book.subject(mn)?.params,
      telemetry: telemetry.store,
      rules: config.quality,
      log: log.child({ module: 'quality' }),
      now,
    },
  );
  stack.push(() => quality.stop());
  // Transport signatures (issue 19): no raw HJ 212, relays — from what the ingest saw, on the rules' tick.
  const transportWatch = startTransportWatch(config, {
    registry,
    paramsOf: (mn) => rules.book.subject(mn)?.params,
    sink: alerts,
    now,
    ...ownership,
  });
  stack.push(() => transportWatch.stop());
  const onReading = (r: Reading) => (rules.service.onReading(r), reports.onReading(r), transportWatch.onReading(r.mn));
  const pipeline = new ReadingPipeline(directory, telemetry.writer, { onReading }, events);
  const lookup = (mn: string) => directory.get(mn);
  const ready = () => pipeline.ready();
  const onFrame = (f: FrameSeen) => transportWatch.onFrame(f);
  const partitions = cluster ? { partitions: cluster.intake } : {};
  const ingestDeps = { registry, outlet, lookup, sink: pipeline, ready, auth, events, onFrame, log, now, ...partitions };
  const ingest = await startIngest(config, ingestDeps);
  stack.push(() => ingest.stop()); // first: replies for readings already durable can still go out
  // The ozone control centre: status from stored data, forecasts, special-control campaigns.
  const control = await startControl(config, { registry, telemetry: telemetry.store, events, log, now });
  stack.push(() => control.stop());
  // Ambient-air alerts as hours close (issue 17): 爆表, hotspots with the sources nearby, the 8-h O3 mean.
  const ambientAlerts = startAmbientAlerts(config, {
    registry,
    telemetry: telemetry.store,
    rules: {
      paramsOf: (mn) => rules.book.subject(mn)?.params,
      graceMs: () => rules.book.rulePack.limitHour.graceS * 1000,
    },
    sink: judged,
    log: log.child({ module: 'ambient-alerts' }),
    now,
  });
  stack.push(() => ambientAlerts.stop());
  // Facility records (issue 16 item 2): adsorbent replacements, start/stop plans and events, in the
  // registry's database; their rules on the rules' tick, read from the facility engine's states.
  const records = await startRecords(config, {
    registry,
    audit: auth.audit,
    windows: () => alerts.suppressions.approvedWindows(true),
    paramsOf: (mn) => (mn !== undefined ? rules.book.subject(mn)?.params : undefined) ?? rules.book.rulePack,
    facilityStates: () => rules.facilityStates(),
    sink: judged,
    log: log.child({ module: 'records' }),
    now,
  });
  stack.push(() => records.stop());
  // Notices to enterprises: their users' email through the duty stage's routing, via the outbox.
  const notifyEnterprises: NotifyEnterprises = (ids, event, refId, bodyOf) => {
    if (alerting.notifier.enqueueMessageTo(duty.service.noticeTargets(ids), event, refId, bodyOf) > 0) alerting.notifier.kick();
  };
  // Heavy-pollution and ozone warnings (issue 17): in the registry's database, sent through the targets.
  const warningsStage = await startWarnings(config, {
    forecasts: control.store,
    notify: (event, refId, bodyOf) => {
      if (alerting.notifier.enqueueMessage(event, refId, bodyOf) > 0) alerting.notifier.kick();
    },
    notifyEnterprises,
    events,
    registry,
    air: control.airQuality,
    log: log.child({ module: 'warnings' }),
    now,
  });
  stack.push(() => warningsStage.stop());
  // Emission-reduction lists, heavy-pollution responses, grade proposals, station unloading (issue 18).
  const { reductions, responses, grades, unloading } = await startResponseStages(config, stack, {
    registry,
    registryAdmin: registryStage.admin,
    audit: auth.audit,
    telemetry: telemetry.store,
    events,
    warnings: warningsStage,
    campaigns: control.campaigns,
    notifyEnterprises,
    alerts: { apply: (findings, enterpriseId) => judged.apply(findings, enterpriseId), list: (q) => alerts.list(q) },
    graceMs: () => rules.book.rulePack.limitHour.graceS * 1000,
    jobs,
    log,
    now,
  });
  // Rectification cases (issue 19): in the registry's database; overdue ones notified through the duty stage's people and the targets.
  const cases = await startCases(
    { dataDir: config.dataDir, database: config.database },
    {
      alerts,
      registry,
      isStaff: async (username) => {
        const u = await auth.users.findByUsername(username);
        return u !== undefined && !u.disabled && (u.role === 'admin' || u.role === 'officer');
      },
      audit: auth.audit,
      events,
      duty: duty.service,
      notifier: alerting.notifier,
      log: log.child({ module: 'cases' }),
      now,
      utcOffsetMinutes: config.hj212.utcOffsetMinutes,
      checkIntervalMs: config.alerts.checkIntervalS * 1000,
      jobs,
    },
  );
  stack.push(() => cases.stop());
  // Cases the product opens itself (issue 19): transmission below the pass mark last month, long outages.
  const autoCases = startAutoCases({
    quality: quality.service,
    cases: cases.service,
    users: auth.users,
    duty: duty.service,
    registry,
    jobs,
    everyMs: AUTO_CASES_EVERY_MS,
    utcOffsetMinutes: config.hj212.utcOffsetMinutes,
    log: log.child({ module: 'auto-cases' }),
    now,
  });
  stack.push(() => autoCases.stop());
  const enterpriseDistrict = (id: string) => registry.current().enterprises.find((e) => e.id === id)?.district;
  const views = new SourceViewCache(directory, () => registry.version(), config.realtime.offlineAfterIntervals, now);
  views.seed(alerts.active());
  events.on('alert:changed', (e) => views.noteAlert(e.alert));
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
    warnings: () => warningsStage.warnings.open(),
    districtOf: enterpriseDistrict,
    nameOf: (u) => duty.service.nameForEnterprise(u),
    log: log.child({ module: 'realtime' }),
    now,
  });
  stack.push(() => realtime.stop()); // closes the HTTP server too
  const http = await startHttp(config, {
    auth,
    telemetry,
    writeSeconds,
    alerting,
    rules,
    reports,
    ingest,
    control,
    warnings: warningsStage.warnings,
    warningNotices: warningsStage.notices,
    responses: responses.service,
    responseEffects: responses.effects,
    realtime,
    directory,
    views,
    registry: registryStage,
    notifyTargets: notify.targets,
    duty: duty.service,
    records: records.service,
    quality: quality.service,
    readings: pipeline,
    judgePowerImport: rules.judgeImport,
    landedPowerImport: (batch) => responses.powerImported(batch),
    cases: cases.service,
    reductions: reductions.service,
    gradeProposals: grades.service,
    log: log.child({ module: 'http' }),
    now,
  });
  stack.push(() => http.stop());
  const prune = setInterval(() => void auth.prune().catch((err: unknown) => log.error({ err }, 'auth prune failed')), 3_600_000).unref();
  stack.push(() => clearInterval(prune));
  log.info({ port: http.port, mqtt: ingest.mqttUrl, hj212: ingest.hj212Port }, 'O3 Sentinel listening');

  return {
    httpPort: http.port,
    mqttUrl: ingest.mqttUrl,
    hj212Port: ingest.hj212Port,
    stats: ingest.stats,
    rules: rules.service,
    ambientAlerts: ambientAlerts.service,
    responses,
    unloading,
    transportWatch,
    demoAccounts: auth.demo,
    registry: registryStage,
    records,
    maintenance: alerts.suppressions,
    reductions: reductions.service,
    remindLists: () => reductions.reminders.tick(),
    escalate: () => duty.escalate(),
    casesOverdue: () => cases.tick(),
    autoCases: () => autoCases.run(),
    async stop() {
      for (let stop = stack.pop(); stop; stop = stack.pop()) await stop();
      log.info('stopped');
    },
  };
}
