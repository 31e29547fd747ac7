/**
 * The timed jobs part (server/parts/role-parts.ts): judges that run on a clock over every source,
 * from InfluxDB or the store rather than from live readings — the ambient-air alerts (爆表, hotspots,
 * the 8-h O3 mean), the watch on fuel stations' daytime unloading during special control, the cases
 * the product opens itself; the raw HJ 212 frames' retention. Each clock runs only while this
 * process holds the jobs lease (server/cluster/job-lease.ts: one process of a cluster, whichever role
 * took it; the embedded process always), so two processes never judge the same hour. Tests drive them
 * with `tick()`/`run()`, which always run. The other cluster-wide clocks are gated the same way where
 * their stage lives: outbox delivery and escalation (core), the warnings' and campaigns' sweeps, the
 * reminders, the responses' verifiers and the overdue cases (services).
 */
import { startAutoCases } from '../cases/auto-cases-stage';
import { startAmbientAlerts } from '../control/ambient-alerts-module';
import { UnloadingWatch } from '../control/unloading-watch';
import { startRawFramePruning } from '../storage/raw-frame-pruning';
import type { Core, PartContext } from './core-part';
import type { Services } from './services-part';

/** How often the product looks for sources due a case (a month's figures do not change faster). */
const AUTO_CASES_EVERY_MS = 6 * 3_600_000;
/** How often the raw frames past `hj212.archiveRetentionDays` are deleted. */
const RAW_PRUNE_EVERY_MS = 3_600_000;

export type Jobs = ReturnType<typeof startJobs>;

export function startJobs(ctx: PartContext, core: Core, services: Services) {
  const { config, log, now, stack } = ctx;
  const { registry, alerts, jobs } = core;
  // Ambient-air alerts as hours close (issue 17), every station's.
  const ambientAlerts = startAmbientAlerts(config, {
    registry,
    telemetry: core.telemetry.store,
    rules: { paramsOf: core.paramsOf, graceMs: core.graceMs },
    sink: alerts,
    jobs,
    log: log.child({ module: 'ambient-alerts' }),
    now,
  });
  stack.push(() => ambientAlerts.stop());
  // Daytime unloading at fuel stations while a campaign asks for night unloading (issue 18).
  const unloading = new UnloadingWatch({
    campaigns: services.control.campaigns,
    telemetry: core.telemetry.store,
    registry,
    sink: alerts,
    params: config.responses.unloading,
    lookbackMs: 2 * 3_600_000,
    utcOffsetMinutes: config.hj212.utcOffsetMinutes,
    tickMs: config.rules.tickS * 1000,
    when: () => jobs.held(),
    log: log.child({ module: 'unloading' }),
    now,
  });
  unloading.start();
  stack.push(() => unloading.stop());
  // Cases the product opens itself (issue 19): transmission below the pass mark last month, long outages.
  const autoCases = startAutoCases({
    quality: core.quality.service,
    cases: services.cases.service,
    users: core.auth.users,
    duty: core.duty.service,
    registry,
    jobs,
    everyMs: AUTO_CASES_EVERY_MS,
    utcOffsetMinutes: config.hj212.utcOffsetMinutes,
    log: log.child({ module: 'auto-cases' }),
    now,
  });
  stack.push(() => autoCases.stop());
  // Raw HJ 212 frames past their retention, in slices (raw-frame-archive.ts): in a cluster one
  // process prunes the shared table.
  const rawPruning = startRawFramePruning({
    archive: core.rawArchive,
    retentionDays: config.hj212.archiveRetentionDays,
    jobs,
    everyMs: RAW_PRUNE_EVERY_MS,
    log: log.child({ module: 'raw-archive' }),
    now,
  });
  stack.push(() => rawPruning.stop());
  return { ambientAlerts: ambientAlerts.service, unloading, autoCases };
}
