/**
 * The services part (server/parts/role-parts.ts): what officers and enterprises work with, over the
 * core — the ozone control centre (status, forecasts, campaigns), warnings and their notices,
 * facility records, the emission-reduction lists, responses and grade proposals, rectification
 * cases. Their own clocks (the warnings' and campaigns' sweeps, reminders, verifiers, overdue cases)
 * run on the process holding the jobs lease; the record rules, which read the facility engine's
 * states, are started by the intake.
 */
import { startCases } from '../cases/case-module';
import { startControl } from '../control/control-module';
import { startWarnings } from '../control/warnings-module';
import { startRecords } from '../records/records-module';
import type { Core, PartContext } from './core-part';
import { startResponseStages } from './response-stages';

export type Services = Awaited<ReturnType<typeof startServices>>;

export async function startServices(ctx: PartContext, core: Core) {
  const { config, log, now, stack } = ctx;
  const { registry, events, alerts, alerting, jobs, auth } = core;
  // The ozone control centre: status from stored data, forecasts, special-control campaigns.
  const control = await startControl(config, { registry, telemetry: core.telemetry.store, events, jobs, log, now });
  stack.push(() => control.stop());
  // Facility records (issue 16 item 2): adsorbent replacements, start/stop plans and events, in the
  // registry's database; their rules, on the rules' tick, read the facility engine's states.
  const records = await startRecords(config, {
    registry,
    audit: auth.audit,
    windows: () => alerts.suppressions.approvedWindows(true),
    paramsOf: (mn) => (mn !== undefined ? core.paramsOf(mn) : undefined) ?? core.rules.book.rulePack,
    facilityStates: () => core.rules.facilityStates(),
    sink: core.owned,
    log: log.child({ module: 'records' }),
    now,
  });
  stack.push(() => records.stop());
  // Heavy-pollution and ozone warnings (issue 17): in the registry's database, sent through the targets.
  const warnings = await startWarnings(config, {
    forecasts: control.store,
    notify: (event, refId, bodyOf) => {
      if (alerting.notifier.enqueueMessage(event, refId, bodyOf) > 0) alerting.notifier.kick();
    },
    notifyEnterprises: core.notifyEnterprises,
    events,
    registry,
    air: control.airQuality,
    jobs,
    log: log.child({ module: 'warnings' }),
    now,
  });
  stack.push(() => warnings.stop());
  // Emission-reduction lists, heavy-pollution responses, grade proposals (issue 18).
  const { reductions, responses, grades } = await startResponseStages(config, stack, {
    registry,
    registryAdmin: core.registryStage.admin,
    audit: auth.audit,
    telemetry: core.telemetry.store,
    events,
    warnings,
    notifyEnterprises: core.notifyEnterprises,
    alerts: { apply: (findings, enterpriseId) => alerts.apply(findings, enterpriseId), list: (q) => alerts.list(q) },
    graceMs: core.graceMs,
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
      duty: core.duty.service,
      notifier: alerting.notifier,
      log: log.child({ module: 'cases' }),
      now,
      utcOffsetMinutes: config.hj212.utcOffsetMinutes,
      checkIntervalMs: config.alerts.checkIntervalS * 1000,
      jobs,
    },
  );
  stack.push(() => cases.stop());
  return { control, records, warnings, reductions, responses, grades, cases };
}
