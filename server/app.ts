/**
 * Composition root: builds the parts a role runs (server/parts/role-parts.ts) from the validated
 * config in the order data flows — core (registry, auth, alerts, telemetry, rule book, reports),
 * services (the officers' and enterprises' stages), the timed jobs, the intake (ingest, pipeline,
 * rules on the clock) and the front (realtime, HTTP) — passing each the ports of the parts before it,
 * and stops them in reverse order. No singletons: tests build as many apps as they like.
 */
import type { DemoAccount } from './auth/demo-accounts';
import type { SuppressionService } from './alerts/suppression-service';
import type { AppConfig } from './config';
import type { UnloadingWatch } from './control/unloading-watch';
import type { IngestStats } from './ingest/ingest-stats';
import type { Logger } from './logger';
import { joinClusterBus } from './app-cluster-bus';
import { startCore, type PartContext, type StopStack } from './parts/core-part';
import { startFront } from './parts/front-part';
import { startIntake } from './parts/intake-part';
import { startJobs } from './parts/jobs-part';
import { ROLE_PARTS, type Part } from './parts/role-parts';
import { startServices } from './parts/services-part';
import type { RecordsModule } from './records/records-module';
import type { ReductionService } from './reductions/reduction-service';
import type { RegistryModule } from './registry/registry-module';
import type { ResponsesModule } from './responses/responses-module';
import type { RulesService } from './rules/rules-service';

/** A process without the intake (`--role web`): what it serves, and the clocks tests drive. */
export interface RunningWeb {
  httpPort: number;
  /** Ambient-air alerts (tick() judges the hours closed by now; tests drive it with their clock). */
  ambientAlerts: { tick(): Promise<void> };
  /** Heavy-pollution responses: verifier.tick() judges the hours closed by now (tests drive it with their clock). */
  responses: Pick<ResponsesModule, 'service' | 'verifier' | 'peakShift' | 'powerImported'>;
  /** Daytime unloading during special control: tick() watches the stations now (tests drive it with their clock). */
  unloading: Pick<UnloadingWatch, 'tick'>;
  /** Demo accounts created at start (AUTH_DEMO_ACCOUNTS); empty otherwise. */
  demoAccounts: DemoAccount[];
  /** The live registry and its administration (the store is its source since issue 14). */
  registry: Pick<RegistryModule, 'view' | 'admin'>;
  /**
   * Facility records (issue 16 item 2): `rules.tick()` judges declared-stop-running, adsorbent-overdue
   * and unplanned-start-stop now (their clock runs with the intake); `useFacilityStates` gives them the
   * facility engine's port; `service` logs replacements and files plans (the demo's seed).
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

/** A process with the intake (`all`, `--role ingest`): the web's, and what hears and judges the readings. */
export interface RunningApp extends RunningWeb {
  mqttUrl: string;
  /** Port of the HJ 212 TCP listener (null when disabled). */
  hj212Port: number | null;
  stats: IngestStats;
  /** The rules at run time (tick() runs the time-driven rules now; tests drive it with their clock). */
  rules: RulesService;
  /** Transport signatures (tick() judges no-raw-hj212 and relay now; tests drive it with their clock). */
  transportWatch: { tick(): void };
}

/** Starts the parts listed (core and services always; jobs, intake and front as listed). */
async function composeParts(config: AppConfig, log: Logger, now: () => number, parts: readonly Part[]) {
  const stack: StopStack = [];
  const ctx: PartContext = { config, log, now, stack };
  const has = (part: Part) => parts.includes(part);
  const core = await startCore(ctx, { writesRollup: has('intake') });
  const services = await startServices(ctx, core);
  const jobs = has('jobs') ? startJobs(ctx, core, services) : null;
  const intake = has('intake') ? await startIntake(ctx, core, services) : null;
  const front = has('front') ? await startFront(ctx, core, services, intake) : null;
  if (front) {
    // In a cluster (REDIS_URL and DATABASE_URL) other processes' changes reach this one's memory.
    const { events, alerting, registryStage: registry, rules } = core;
    await joinClusterBus(config, stack, {
      events,
      alerting,
      views: front.views,
      directory: core.directory,
      registry,
      rules,
      hub: front.realtime.hub,
      log,
    });
  }
  const { reductions, responses, cases, records } = services;
  const stop = async () => {
    for (let next = stack.pop(); next; next = stack.pop()) await next();
    log.info('stopped');
  };
  if (!jobs || !front) {
    await stop();
    throw new Error(`role ${config.role}: an app process runs the timed jobs and the front (server/parts/role-parts.ts)`);
  }
  log.info(
    { role: config.role, parts, port: front.httpPort, mqtt: intake?.ingest.mqttUrl, hj212: intake?.ingest.hj212Port },
    'O3 Sentinel listening',
  );
  const web: RunningWeb = {
    httpPort: front.httpPort,
    ambientAlerts: jobs.ambientAlerts,
    responses,
    unloading: jobs.unloading,
    demoAccounts: core.auth.demo,
    registry: core.registryStage,
    records,
    maintenance: core.alerts.suppressions,
    reductions: reductions.service,
    remindLists: () => reductions.reminders.tick(),
    escalate: () => core.duty.escalate(),
    casesOverdue: () => cases.tick(),
    autoCases: () => jobs.autoCases.run(),
    stop,
  };
  return { web, core, intake };
}

/** Starts a process with the intake: the parts of `config.role` (`all`, `ingest`). */
export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  const { web, core, intake } = await composeParts(config, log, now, ROLE_PARTS[config.role]);
  if (!intake) {
    await web.stop();
    throw new Error(`role ${config.role} runs no intake: start it with startWeb`);
  }
  const { ingest, transportWatch } = intake;
  return { ...web, mqttUrl: ingest.mqttUrl, hj212Port: ingest.hj212Port, stats: ingest.stats, rules: core.rules.service, transportWatch };
}

/** Starts a process without the intake (`--role web`): the parts of `config.role`, which must list none. */
export async function startWeb(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningWeb> {
  const { web, intake } = await composeParts(config, log, now, ROLE_PARTS[config.role]);
  if (intake) {
    await web.stop();
    throw new Error(`role ${config.role} runs the intake: start it with startApp`);
  }
  return web;
}
