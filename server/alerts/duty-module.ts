/**
 * The "who gets what" stage (issue 21) as app.ts builds it: the duty store in the registry's
 * database, the service that routes new alerts to people (handed to the alerting stage as its
 * personal routing), and the escalation chain, ticked with the alert escalation's clock
 * (`alerts.checkIntervalS`) once `watch` is given the alerting stage.
 */
import type { EventBus } from '../domain/internal-events';
import { derived } from '../domain/registry-derived';
import { sourceDistrict } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { JobLease } from '../cluster/job-lease';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openDutyStore } from '../storage/sql/duty-store';
import type { AlertState } from '../storage/sql/alert-store';
import type { AlertService } from './alert-service';
import type { RoutingUser } from './alert-routing';
import { DutyService, type DutyServiceDeps } from './duty-service';
import { EscalationChain } from './escalation-chain';
import type { Notifier } from './notifier';
import type { AuditSink } from './notify-targets';

export interface DutyDeps extends Pick<DutyServiceDeps, 'targets' | 'canEmail' | 'canSms'> {
  registry: RegistryView;
  audit: AuditSink;
  users: () => Promise<readonly RoutingUser[]>;
  log: Logger;
  now: () => number;
}

export interface DutyModule {
  service: DutyService;
  /** Starts the escalation chain over the alerting stage's open alerts. */
  watch(a: {
    alerts: AlertService;
    notifier: Notifier;
    store: AlertState;
    events: EventBus;
    checkIntervalS: number;
    /** The chain's clock runs only while this process holds it (a cluster's jobs lease). */
    jobs: Pick<JobLease, 'held'>;
  }): void;
  /** Runs the chain now (its timer does this every checkIntervalS; tests drive it with their clock). Returns the steps recorded. */
  escalate(): Promise<number>;
  stop(): Promise<void>;
}

const RELOAD_MS = 60_000;

export async function startDuty(config: StoreLocations, deps: DutyDeps): Promise<DutyModule> {
  const { log, now } = deps;
  const location = registryDatabase(config);
  const opened = await openDutyStore(location);
  if (opened.migrated.length > 0) log.info({ file: describeLocation(location), migrations: opened.migrated }, 'duty store migrated');
  const sources = derived(
    deps.registry,
    (r) =>
      new Map(
        r.sources.map((s) => [s.mn, { district: sourceDistrict(s, r.enterprises), kind: s.kind, ownerDepartment: s.ownerDepartment }]),
      ),
  );
  const service = new DutyService({ ...deps, store: opened.store, sourceOf: (mn) => sources().get(mn) });
  try {
    await service.reload();
  } catch (err) {
    await opened.close();
    throw err;
  }
  const reload = () => void service.reload().catch((err: unknown) => log.error({ err }, 'duty reload failed'));
  const timers: NodeJS.Timeout[] = [setInterval(reload, RELOAD_MS).unref()];
  let chain: EscalationChain | null = null;
  return {
    service,
    watch({ alerts, notifier, store, events, checkIntervalS, jobs }) {
      chain = new EscalationChain({
        alerts,
        history: (id) => store.alerts.forAlert(id),
        open: () => alerts.openAlerts(),
        policy: () => service.escalation(),
        reach: () => service.reach(),
        holderOf: (to, at) => service.holderOf(to, at),
        contactsOf: (u) => service.contactsOf(u),
        displayName: (u) => service.displayName(u),
        enqueue: (targets, alert) => notifier.itemsTo(targets, 'escalated', alert),
        recorded: (touched) => {
          notifier.kick();
          for (const alert of touched) events.emit('alert:changed', { kind: 'updated', alert });
        },
        log: log.child({ module: 'escalation' }),
      });
      const tick = () => {
        if (jobs.held()) chain?.tick(now()).catch((err: unknown) => log.error({ err }, 'escalation chain tick failed'));
      };
      timers.push(setInterval(tick, checkIntervalS * 1000).unref());
    },
    escalate: async () => (chain ? chain.tick(now()) : 0),
    async stop() {
      for (const t of timers) clearInterval(t);
      await opened.close();
    },
  };
}
