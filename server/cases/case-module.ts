/**
 * The rectification-case stage (issue 19 item 3) as app.ts builds it: the case store in the
 * registry's database, the attachments' directory under the data dir (`<dataDir>/case-attachments`,
 * files by random name), the service, and the overdue ticker (every `checkIntervalMs`; tests run
 * `tick()` with their clock). An overdue case is notified once: to its officer in charge and the
 * officer on duty (their own email), and the administered targets.
 */
import type { JobLease } from '../cluster/job-lease';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { personalTargets, type PersonalReach } from '../alerts/alert-routing';
import type { Notifier } from '../alerts/notifier';
import type { AuditSink } from '../alerts/notify-targets';
import type { RectificationCase } from '../domain/case';
import type { Contacts } from '../domain/duty';
import type { EventBus, InternalEvents } from '../domain/internal-events';
import type { NotifyTarget } from '../alerts/notifier';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openCaseStore } from '../storage/sql/case-store';
import { formatOverdueNotice } from './case-notice';
import { CaseService, type CaseServiceDeps } from './case-service';
import { tickedJob } from '../ticked-job';
import { enterpriseById } from '../domain/registry';

/** What the duty stage tells about people: who is on duty, their contacts and names, how messages go. */
export interface CaseDutyPort {
  holderOf(to: { kind: 'position'; position: 'primary' }, at: number): string | null;
  contactsOf(username: string): Contacts | undefined;
  displayName(username: string): string;
  /** The bureau's staff by display name, enterprise users as they are (what an enterprise reads). */
  nameForEnterprise(username: string): string;
  reach(): PersonalReach;
}

export interface CasesDeps extends Pick<CaseServiceDeps, 'alerts' | 'isStaff'> {
  registry: RegistryView;
  audit: AuditSink;
  events: EventBus<InternalEvents>;
  duty: CaseDutyPort;
  notifier: Pick<Notifier, 'enqueueMessage' | 'enqueueMessageTo' | 'kick'>;
  log: Logger;
  now: () => number;
  utcOffsetMinutes: number;
  /** How often the overdue ticker runs (default a minute). */
  checkIntervalMs?: number;
  /** The overdue ticker's clock runs only while this process holds it (a cluster's jobs lease; default always). */
  jobs?: Pick<JobLease, 'held'>;
}

export interface CasesModule {
  service: CaseService;
  /** Runs the overdue ticker now; resolves with the cases newly marked. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export async function startCases(config: StoreLocations, deps: CasesDeps): Promise<CasesModule> {
  const { log, now } = deps;
  const location = registryDatabase(config);
  const opened = await openCaseStore(location);
  if (opened.migrated.length > 0) log.info({ file: describeLocation(location), migrations: opened.migrated }, 'case store migrated');
  const filesDir = join(config.dataDir, 'case-attachments');
  mkdirSync(filesDir, { recursive: true, mode: 0o700 });

  const notifyOverdue = (c: RectificationCase) => {
    const reach = { ...deps.duty.reach(), sms: null };
    const people = [
      ...new Set([c.officer, deps.duty.holderOf({ kind: 'position', position: 'primary' }, now())].filter((u): u is string => u !== null)),
    ];
    const personal: NotifyTarget[] = people.flatMap((u) => personalTargets(u, deps.duty.contactsOf(u), reach));
    const enterpriseName = enterpriseById(deps.registry.current().enterprises, c.enterpriseId)?.name ?? c.enterpriseId;
    const facts = { enterpriseName, officerName: deps.duty.displayName(c.officer) };
    const bodyOf = (channel: Parameters<typeof formatOverdueNotice>[0]) => formatOverdueNotice(channel, c, facts);
    const n =
      deps.notifier.enqueueMessageTo(personal, 'case_overdue', c.id, bodyOf) + deps.notifier.enqueueMessage('case_overdue', c.id, bodyOf);
    if (n > 0) deps.notifier.kick();
    log.info({ case: c.id, officer: c.officer, notified: n }, 'case overdue');
  };

  const service = new CaseService({
    ...deps,
    store: opened.store,
    filesDir,
    notifyOverdue,
    displayName: (u) => deps.duty.displayName(u),
    nameForEnterprise: (u) => deps.duty.nameForEnterprise(u),
  });
  const overdue = tickedJob({
    name: 'case overdue',
    everyMs: deps.checkIntervalMs ?? 60_000,
    run: () => service.tickOverdue(),
    log,
    when: () => deps.jobs?.held() !== false,
  });
  overdue.start();
  return {
    service,
    tick: async () => (await overdue.tick()) ?? 0,
    async stop() {
      await overdue.stop();
      await opened.close();
    },
  };
}
