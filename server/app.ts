/**
 * Composition root: builds every stage from the validated config in the order data flows — auth,
 * telemetry, alerting, rules (and reports), ingest, control, realtime, HTTP — passing each the ports
 * of the stages before it, and stops them in reverse order. No singletons: tests build as many apps
 * as they like.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAlerting } from './alerts/alerting';
import { startAuth } from './auth/auth-module';
import type { DemoAccount } from './auth/demo-accounts';
import type { Reading } from './domain/reading';
import type { AppConfig } from './config';
import { startControl } from './control/control-module';
import { startHttp } from './http/http-module';
import { startIngest } from './ingest/ingest-module';
import type { IngestStats } from './ingest/ingest-stats';
import { EventBus, type InternalEvents } from './domain/internal-events';
import type { Logger } from './logger';
import { ReadingPipeline } from './pipeline';
import { startRealtime } from './realtime/realtime-module';
import { startRegistry, type RegistryModule } from './registry/registry-module';
import { startReports } from './reports/reports-module';
import { startRules } from './rules/rules-module';
import type { RulesService } from './rules/rules-service';
import { SourceDirectory } from './sources/source-directory';
import { sourceViews } from './sources/source-views';
import { SqliteStateStore } from './storage/embedded/sqlite-state-store';
import { startTelemetry, type TelemetryModule } from './storage/telemetry-module';

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
  /** The live registry and its administration (the store is its source since issue 14). */
  registry: Pick<RegistryModule, 'view' | 'admin'>;
  stop(): Promise<void>;
}

/** The sources with their last stored values; the store may be down at start (they fill in as readings arrive). */
async function sourceDirectory(config: AppConfig, telemetry: TelemetryModule['store'], log: Logger): Promise<SourceDirectory> {
  const directory = new SourceDirectory(config.registry);
  try {
    for (const lv of await telemetry.latest('2011')) directory.noteLatest(lv);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store unreachable at start: latest values will fill in as readings arrive');
  }
  return directory;
}

export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  /** What to stop, in start order; stopped last first. */
  const stack: (() => void | Promise<void>)[] = [];
  mkdirSync(config.dataDir, { recursive: true });
  const events = new EventBus<InternalEvents>((err, event) => log.error({ err, event }, 'internal event listener failed'));
  const registry = await startRegistry(config, { events, log: log.child({ module: 'registry' }), now });
  stack.push(() => registry.stop());
  config = { ...config, registry: registry.view.current() }; // every stage below starts from the stored registry, not the YAML
  const auth = await startAuth(config.auth, config.dataDir, config.registry, log.child({ module: 'auth' }), now, events);
  stack.push(() => auth.close());
  const stateStore = new SqliteStateStore(join(config.dataDir, 'state.db'));
  stack.push(() => stateStore.close());
  const telemetry = await startTelemetry(config, log);
  stack.push(() => telemetry.stop());
  const directory = await sourceDirectory(config, telemetry.store, log);
  const alerting = startAlerting(config.alerts, config.registry, { store: stateStore, events, log: log.child({ module: 'alerts' }), now });
  stack.push(() => alerting.stop());
  const { alerts } = alerting;
  const rules = startRules(config, { sink: alerts, events, log: log.child({ module: 'rules' }), now });
  stack.push(() => rules.stop()); // saves the rule state (hour windows, counters) for the next start
  // Reports: hourly rollup beside the telemetry store; a late reading drops its (closed) hour.
  const reports = await startReports({
    records: telemetry.store, rollups: telemetry.openRollups(), registry: config.registry, ruleBook: rules.book, now,
    log: log.child({ module: 'reports' }), alertsOpened: (from, to) => alerts.list({ from, to, limit: 1_000_000 }).items,
  });
  stack.push(() => reports.stop());
  const onReading = (r: Reading) => (rules.service.onReading(r), reports.onReading(r));
  const pipeline = new ReadingPipeline(directory, telemetry.writer, { onReading }, events);
  const lookup = (mn: string) => directory.get(mn);
  const ready = () => pipeline.ready();
  const ingest = await startIngest(config, { lookup, sink: pipeline, ready, auth, events, onRefused: telemetry.onRefused, log, now });
  stack.push(() => ingest.stop()); // first: replies for readings already durable can still go out
  // The ozone control centre: status from stored data, forecasts, special-control campaigns.
  const control = startControl(config, { telemetry: telemetry.store, events, log, now });
  stack.push(() => control.stop());
  const views = () => sourceViews(directory, alerts, now(), config.realtime.offlineAfterIntervals);
  const realtime = startRealtime(config, {
    auth, alerts, events, views,
    enterpriseOf: (mn) => directory.get(mn)?.enterpriseId, log: log.child({ module: 'realtime' }), now,
  });
  stack.push(() => realtime.stop()); // closes the HTTP server too
  const http = await startHttp(config, {
    auth, telemetry, alerting, rules, reports, ingest, control, realtime, directory, views, registry,
    log: log.child({ module: 'http' }), now,
  });
  stack.push(() => http.stop());
  const prune = setInterval(() => auth.prune(), 3_600_000).unref();
  stack.push(() => clearInterval(prune));
  log.info({ port: http.port, mqtt: ingest.mqttUrl, hj212: ingest.hj212Port }, 'O3 Sentinel listening');

  return {
    httpPort: http.port,
    mqttUrl: ingest.mqttUrl,
    hj212Port: ingest.hj212Port,
    stats: ingest.stats,
    rules: rules.service,
    demoAccounts: auth.demo,
    registry,
    async stop() {
      for (let stop = stack.pop(); stop; stop = stack.pop()) await stop();
      log.info('stopped');
    },
  };
}
