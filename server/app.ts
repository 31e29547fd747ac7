/**
 * Composition root: builds every module from the validated config, wires them, starts and stops
 * them in order. No singletons: tests build as many apps as they like.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { startAlerting } from './alerts/alerting';
import { startAuth } from './auth/auth-module';
import type { DemoAccount } from './auth/demo-accounts';
import { socketOriginAllowed, type TrustProxyFn } from './auth/socket-auth';
import { auditTrail } from './auth/audit-trail';
import { canSeeEnterprise } from './domain/principal';
import type { AppConfig } from './config';
import { alertsRouter } from './http/alerts-router';
import { maintenanceRouter, reviewPolicyOf } from './http/maintenance-router';
import { alertForEnterprise } from './domain/enterprise-view';
import { assigneesRouter, isAssignable } from './http/assignees-router';
import { silencesRouter } from './http/silences-router';
import { hj212LoggersRouter, rawFramesRouter } from './http/raw-frames-router';
import { createHttpApp } from './http/http-app';
import { rulesRouter } from './http/rules-router';
import { sourcesRouter } from './http/sources-router';
import { ozoneRouter } from './http/ozone-router';
import { campaignsRouter } from './http/campaigns-router';
import type { IngestStats } from './ingest/ingest-stats';
import { startIngest } from './ingest/ingest-module';
import type { Logger } from './logger';
import { ReadingPipeline } from './pipeline';
import { startReports } from './reports/reports-module';
import { RealtimeHub } from './realtime/realtime-hub';
import type { RulesService } from './rules/rules-service';
import { startRules } from './rules/rules-module';
import { startControl } from './control/control-module';
import { SourceDirectory } from './sources/source-directory';
import { sourceViews } from './sources/source-views';
import { Metrics } from './observability/metrics';
import { SqliteStateStore } from './storage/embedded/sqlite-state-store';
import { startTelemetry } from './storage/telemetry-module';

export interface RunningApp {
  httpPort: number;
  mqttUrl: string;
  /** Port of the HJ 212 TCP listener (null when disabled). */
  hj212Port: number | null;
  stats: IngestStats;
  /** The rules at run time (tick() runs the time-driven rules now; tests drive it with their clock). */
  rules: RulesService;
  /** Demo accounts created at start (AUTH_DEMO_ACCOUNTS); empty otherwise. */
  demoAccounts: DemoAccount[];
  stop(): Promise<void>;
}

const CLIENT_DIR = resolve(import.meta.dirname, '../dist/client');

export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  mkdirSync(config.dataDir, { recursive: true });
  const auth = await startAuth(config.auth, config.dataDir, config.registry, log.child({ module: 'auth' }), now);
  const stateStore = new SqliteStateStore(join(config.dataDir, 'state.db'));
  const tel = await startTelemetry(config, log);
  const { store: telemetry, spool, writer, spoolAlarm } = tel;

  const directory = new SourceDirectory(config.registry);
  // The store may be down at start: ingest still runs (the writer retries), and the latest values
  // fill in as readings arrive.
  try {
    for (const lv of await telemetry.latest('2011')) directory.noteLatest(lv);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store unreachable at start: latest values will fill in as readings arrive');
  }

  const alerting = startAlerting(config.alerts, config.registry, { store: stateStore, log: log.child({ module: 'alerts' }), now });
  const { alerts } = alerting;
  const ruled = startRules(config, { sink: alerts, log: log.child({ module: 'rules' }), now });
  const { book: ruleBook, service: rules } = ruled;
  // Reports: hourly rollup beside the telemetry store; a late reading drops its (closed) hour.
  const reports = await startReports({
    records: telemetry, rollups: tel.openRollups(), registry: config.registry, ruleBook, now, log: log.child({ module: 'reports' }),
    alertsOpened: (from, to) => alerts.list({ from, to, limit: 1_000_000 }).items,
  });
  const pipeline = new ReadingPipeline(directory, writer, { onReading: (r) => (rules.onReading(r), reports.onReading(r)) });
  const ingested = await startIngest(config, {
    lookup: (mn) => directory.get(mn), sink: pipeline, auth, onRefused: tel.onRefused, log, now,
  });
  const { stats, hj212, rawArchive, hj212Port, mqttUrl, brokerHealth } = ingested;
  // The ozone control centre: status from stored data, forecasts, special-control campaigns.
  const control = startControl(config, { telemetry, log, now });
  const { store: controlStore, ozoneStatus, campaigns } = control;
  const views = () => sourceViews(directory, alerts, now(), config.realtime.offlineAfterIntervals);
  const httpApp = createHttpApp(
    {
      health: (_req, res) => {
        res.json({
          status: 'ok',
          store: telemetry.name,
          broker: ingested.connected() ? 'connected' : 'disconnected',
          ingest: { accepted: stats.accepted, rejected: stats.rejected, backpressureWaits: stats.backpressureWaits },
          realtime: { ...hub.stats, revocations: auth.revocationCounts() },
          signIn: { refused: { web: auth.guard.refused, mqtt: auth.deviceGuard.refused } },
          writer: writer.stats,
          spool: { depth: spool.depth, bytes: spool.bytes, full: spool.full, alarm: spoolAlarm.alarming },
          hj212: { port: hj212Port, ...hj212.stats.snapshot() },
          ...(brokerHealth ? { mqttBroker: brokerHealth() } : {}),
        });
      },
      metrics: (req, res, next) => metrics.handler(config.server.metricsToken)(req, res, next),
      ready: async (_req, res) => {
        const store = await telemetry.ping();
        const broker = ingested.connected();
        res.status(store && broker ? 200 : 503).json({ ready: store && broker, store: store ? 'up' : 'down', broker: broker ? 'connected' : 'disconnected' });
      },
      publicRouters: auth.routers,
      gate: [auth.authenticate, auditTrail(auth.audit)],
      routers: {
        '/api/alerts': alertsRouter(alerts, now, { isAssignable: (u) => isAssignable(auth.users.findByUsername(u)) }),
        '/api/assignees': assigneesRouter(() => auth.users.list()),
        '/api/rules': rulesRouter(rules, ruleBook, directory),
        '/api/silences': silencesRouter(alerts.suppressions, (mn) => directory.get(mn) !== undefined, now),
        '/api/maintenance': maintenanceRouter(alerts.suppressions, config.registry, {
          policy: reviewPolicyOf(config.alerts.maintenance),
          now,
        }),
        '/api/sources': sourcesRouter(directory, telemetry, views, now).use(rawFramesRouter(rawArchive, (mn) => directory.get(mn), now)),
        '/api/hj212': hj212LoggersRouter(() => hj212.unknown.list(), () => hj212.status.all()),
        '/api/ozone': ozoneRouter({ status: ozoneStatus, store: controlStore, rules: config.ozone, now }),
        '/api/campaigns': campaignsRouter(campaigns, config.registry, config.ozone, now),
        '/api/reports': reports.router,
      },
      clientDir: CLIENT_DIR,
      trustProxy: config.server.trustProxy,
      forceSecureCookie: config.server.forceSecureCookie,
    },
    log.child({ module: 'http' }),
  );
  const server: Server = createServer(httpApp);
  const hub = new RealtimeHub(server, {
    snapshot: (p) => {
      const visible = (a: { enterpriseId: string }) => canSeeEnterprise(p, a.enterpriseId);
      const recent = alerts.list({ open: false, limit: 50, ...(p.role === 'enterprise' ? { enterpriseId: p.enterpriseId ?? '-' } : {}) }).items;
      const shown = [...alerts.openAlerts().filter(visible), ...recent.filter(visible)];
      return { alerts: p.role === 'enterprise' ? shown.map(alertForEnterprise) : shown, sources: views().filter(visible) };
    },
    authenticate: (cookie) => auth.socketIdentity(cookie),
    allowRequest: (req) => socketOriginAllowed(req, httpApp.get('trust proxy fn') as TrustProxyFn),
    now,
    enterpriseOf: (mn) => directory.get(mn)?.enterpriseId,
    batchMs: config.realtime.readingBatchMs,
    log: log.child({ module: 'realtime' }),
  });
  auth.onRevoked((e) => hub.revoke(e));
  alerts.onChange((kind, alert) => hub.alert(kind, alert));
  alerts.suppressions.onChange((c) => ('silence' in c ? hub.silence(c.silence) : hub.maintenance(c.window)));
  pipeline.onLatest((lv) => hub.latest(lv));
  rules.onChange((c) => hub.rules({ kind: c.kind, mn: c.kind === 'override' ? c.mn : null }));
  campaigns.onCampaign((c) => hub.campaign(c));
  campaigns.onNotice((kind, c, n) => hub.notice(kind, c, n));
  const metrics = new Metrics({
    ingest: stats,
    hj212: hj212.stats,
    writer: writer.stats,
    spool,
    brokerConnected: () => ingested.connected(),
    openAlerts: () => alerts.active().length,
    realtimeClients: () => hub.clients,
    refusals: () => ({
      ...(brokerHealth ? { mqtt_broker: brokerHealth().refused } : {}),
      socket_handshake: hub.stats.handshakesRefused,
      socket_resync: { rate_limited: hub.stats.resyncsRefused },
      sign_in_web: auth.guard.refused,
      sign_in_mqtt: auth.deviceGuard.refused,
    }),
  });
  tel.onWriteTimed((seconds) => metrics.writeSeconds.observe(seconds));

  const prune = setInterval(() => {
    auth.prune();
  }, 3_600_000).unref();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(config.server.port, config.server.host, () => res());
  });
  const httpPort = (server.address() as { port: number }).port;
  log.info({ port: httpPort, mqtt: mqttUrl, hj212: hj212Port }, 'O3 Sentinel listening');

  return {
    httpPort,
    mqttUrl,
    hj212Port,
    stats,
    rules,
    demoAccounts: auth.demo,
    async stop() {
      clearInterval(prune);
      await ingested.stop(); // first: replies for readings already durable can still go out
      ruled.stop(); // saves the rule state (hour windows, counters) for the next start
      control.stop();
      await hub.close(); // closes the HTTP server too
      await reports.stop();
      await tel.stop();
      await alerting.stop();
      stateStore.close();
      auth.close();
      log.info('stopped');
    },
  };
}
