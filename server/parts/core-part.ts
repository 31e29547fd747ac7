/**
 * The core part (server/parts/role-parts.ts): what every role but the gateway builds first — the
 * event map, the registry, auth, the notification targets, the jobs lease, the alert state, the raw
 * HJ 212 frame archive, the alert service with its notifier and duty chain, the telemetry store and
 * its writer, the source directory, the rule book (not judging: the intake starts that), the reports
 * and data quality.
 * Each stage's stop goes on `stack`.
 */
import { mkdirSync } from 'node:fs';
import { smtpOf, startAlerting } from '../alerts/alerting';
import { startDuty } from '../alerts/duty-module';
import { startNotifyTargets } from '../alerts/notify-targets';
import { startAuth } from '../auth/auth-module';
import { startJobLease } from '../cluster/job-lease';
import type { AppConfig } from '../config';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import type { NotifyEnterprises } from '../domain/markdown-notice';
import type { RuleParams } from '../domain/rule-pack';
import { durabilityOf, ingestClusterOf, ownedFindings, workerNameOf } from '../ingest-role';
import { prepareIngest } from '../ingest/ingest-module';
import type { Logger } from '../logger';
import { writeDurationHistogram } from '../observability/metrics';
import { startQuality } from '../quality/quality-module';
import { startRegistry } from '../registry/registry-module';
import { startReports } from '../reports/reports-module';
import { startRules } from '../rules/rules-module';
import { reloadOnAcquire } from '../cluster/cluster-bus';
import { loadSourceDirectory } from '../sources/load-directory';
import { openAlertState } from '../storage/sql/alert-store';
import { alertStateDatabase, rawArchiveDatabase, reportsDatabase } from '../storage/sql/database';
import { openRawArchive } from '../storage/sql/raw-frame-archive';
import { SqlHourlyRollup } from '../storage/sql/rollup-store';
import { startTelemetry } from '../storage/telemetry-module';

/** What to stop, in start order; stopped last first (app.ts). */
export type StopStack = (() => void | Promise<void>)[];

/** The context every part is built in. */
export interface PartContext {
  config: AppConfig;
  log: Logger;
  now: () => number;
  stack: StopStack;
}

export type Core = Awaited<ReturnType<typeof startCore>>;

/** Registry, auth, targets, the jobs lease, alert state and the alert service, telemetry, directory, duty. */
async function startFoundation({ config, log, now, stack }: PartContext) {
  mkdirSync(config.dataDir, { recursive: true });
  const events = new EventBus<InternalEvents>((err, event) => log.error({ err, event }, 'internal event listener failed'));
  const registryStage = await startRegistry(config, { events, log: log.child({ module: 'registry' }), now });
  stack.push(() => registryStage.stop());
  const registry = registryStage.view;
  const auth = await startAuth(config.auth, config, registry, log.child({ module: 'auth' }), now, events);
  stack.push(() => auth.close());
  // Expired sessions and this process's sign-in delays (in memory: every process prunes its own).
  const prune = setInterval(() => void auth.prune().catch((err: unknown) => log.error({ err }, 'auth prune failed')), 3_600_000).unref();
  stack.push(() => clearInterval(prune));
  // Notification targets: in the registry's database (DATABASE_URL or registry.db), seeded once from alerts.notify.targets (issue 14).
  const notify = await startNotifyTargets(
    { dataDir: config.dataDir, database: config.database, seed: config.alerts.notify.targets },
    { audit: auth.audit, log: log.child({ module: 'notify-targets' }), now },
  );
  stack.push(() => notify.stop());
  // The cluster-wide jobs (outbox delivery, escalation, the timed judges: server/parts/jobs-part.ts)
  // run on the one process holding the jobs lease; the embedded process always holds it.
  const jobs = await startJobLease(config.database?.url, workerNameOf(config), log);
  stack.push(() => jobs.stop());
  // The alert state: state.db (adopted from the hand-written store), or PostgreSQL with DATABASE_URL.
  const stateStore = await openAlertState(alertStateDatabase(config));
  stack.push(() => stateStore.close());
  // The raw HJ 212 frames: raw-frames.db, or the table every process of a cluster shares with
  // DATABASE_URL (the intake archives into it, the API and evidence packages read it; pruned by the jobs part).
  const rawArchive = await openRawArchive(rawArchiveDatabase(config), log.child({ module: 'raw-archive' }));
  stack.push(() => rawArchive.close());
  // Built before telemetry, whose writer hands them what the store refuses and how long writes take.
  // Without the intake the MQTT client never connects: a refused reading is counted and logged.
  const outlet = prepareIngest(config, log, now);
  stack.push(() => outlet.stop());
  const writeSeconds = writeDurationHistogram();
  const observeWrite = (seconds: number) => writeSeconds.observe(seconds);
  const telemetry = await startTelemetry(config, log, { deadLetters: outlet.deadLetters, observeWrite, now }, durabilityOf(config));
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
  const { checkIntervalS } = config.alerts;
  duty.watch({ alerts: alerting.alerts, notifier: alerting.notifier, store: stateStore, events, checkIntervalS, jobs });
  return {
    events,
    registryStage,
    registry,
    auth,
    notify,
    jobs,
    stateStore,
    rawArchive,
    outlet,
    writeSeconds,
    telemetry,
    directory,
    duty,
    alerting,
  };
}

/**
 * The core. `writesRollup`: this process hears the live readings (it runs the intake), so it closes
 * the reports' hours; without it the rollup is only read.
 */
export async function startCore(ctx: PartContext, { writesRollup }: { writesRollup: boolean }) {
  const { config, log, now, stack } = ctx;
  const base = await startFoundation(ctx);
  const { registry, events, alerting } = base;
  const { alerts } = alerting;
  const windows = () => alerts.suppressions.approvedWindows();
  // An ingest worker (`--role ingest`) judges, on the clock, only the sources of the partitions it owns.
  const cluster = ingestClusterOf(config, log, now);
  if (cluster) reloadOnAcquire(cluster.intake.ownership, alerts); // a partition taken: its alerts as stored
  const ownership = cluster ? { ownership: cluster.owned } : {};
  // A worker's partitions carry their sources' rule state: loaded as acquired, saved as released.
  const partitions = cluster ? { partitions: cluster.intake.ownership } : {};
  const rulesDeps = { registry, sink: alerts, events, log: log.child({ module: 'rules' }), now, windows, ...ownership, ...partitions };
  const rules = await startRules(config, rulesDeps);
  stack.push(() => rules.stop()); // saves the rule state (hour windows, counters) for the next start
  const paramsOf = (mn: string): RuleParams | undefined => rules.book.subject(mn)?.params;
  const graceMs = () => rules.book.rulePack.limitHour.graceS * 1000;
  // Reports: the hourly rollup written as hours close (reports.db or PostgreSQL); late data recomputes its hour.
  const reports = await startReports({
    records: base.telemetry.store,
    rollups: new SqlHourlyRollup(reportsDatabase(config)),
    registry,
    ruleBook: rules.book,
    now,
    log: log.child({ module: 'reports' }),
    alertCounts: (from, to, mns) => alerts.countByRule({ from, to, ...(mns ? { mns } : {}) }),
    writesRollup,
    ...(cluster ? { heardSince: (mn: string) => cluster.owned.ownedSince(mn) } : {}),
    intakeBehind: () => base.telemetry.writer.behind,
  });
  stack.push(() => reports.stop());
  // Data quality (issue 19): transmission ranked by district, contractors, cases due; comparison tests.
  const quality = await startQuality(
    { dataDir: config.dataDir, database: config.database },
    {
      registry,
      rollupHours: (mns, from, to) => reports.service.rollupHours(mns, from, to),
      alertCounts: (from, to) => alerts.countByRule({ from, to }),
      openAlerts: () => alerts.openAlerts(),
      paramsOf,
      telemetry: base.telemetry.store,
      rules: config.quality,
      log: log.child({ module: 'quality' }),
      now,
    },
  );
  stack.push(() => quality.stop());
  // Notices to enterprises: their users' email through the duty stage's routing, via the outbox.
  const notifyEnterprises: NotifyEnterprises = (ids, event, refId, bodyOf) => {
    if (alerting.notifier.enqueueMessageTo(base.duty.service.noticeTargets(ids), event, refId, bodyOf) > 0) alerting.notifier.kick();
  };
  return {
    ...base,
    alerts,
    cluster,
    /** The findings of the judges of the sources this process owns (an ingest worker: its partitions'; else every source). */
    owned: ownedFindings(alerts, cluster),
    rules,
    paramsOf,
    graceMs,
    reports,
    quality,
    notifyEnterprises,
  };
}
