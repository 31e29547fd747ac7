/**
 * The cases the product opens itself (issue 19), as app.ts runs them: every `everyMs`, the sources
 * whose transmission last month was below the pass mark or that were out too long get a case,
 * assigned to the primary duty officer, unless one of that type is open for them. In a cluster the
 * clock runs on the process holding the jobs lease only (server/cluster/job-lease.ts).
 */
import type { DutyService } from '../alerts/duty-service';
import type { UserStore } from '../auth/user-store';
import type { JobLease } from '../cluster/job-lease';
import { parseQualityPeriod } from '../domain/quality';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { QualityService } from '../quality/quality-service';
import { tickedJob } from '../ticked-job';
import { lastEndedMonth, openDueCases } from './auto-cases';
import type { CaseService } from './case-service';

export interface AutoCasesStageDeps {
  quality: Pick<QualityService, 'transmission'>;
  cases: Pick<CaseService, 'list' | 'create'>;
  users: Pick<UserStore, 'list'>;
  duty: Pick<DutyService, 'holderOf'>;
  registry: RegistryView;
  jobs: Pick<JobLease, 'held'>;
  everyMs: number;
  utcOffsetMinutes: number;
  log: Logger;
  now: () => number;
}

export interface AutoCasesStage {
  /** Opens the cases due now; resolves with how many. */
  run(): Promise<number>;
  /** Ends the clock; resolves when the run under way, if any, has ended. */
  stop(): Promise<void>;
}

export function startAutoCases(d: AutoCasesStageDeps): AutoCasesStage {
  const { now, utcOffsetMinutes } = d;
  const run = (): Promise<number> =>
    openDueCases({
      due: async () => {
        const period = parseQualityPeriod(lastEndedMonth(now(), utcOffsetMinutes), utcOffsetMinutes);
        return period ? (await d.quality.transmission(period, d.registry.current().sources)).caseDue : [];
      },
      openCaseSources: async (type) => {
        const open = new Set<string>();
        for (let offset = 0; ; offset += 500) {
          const page = await d.cases.list({ type, limit: 500, offset }, null);
          for (const c of page.items) if (c.status !== 'closed') for (const mn of c.sources) open.add(mn);
          if (offset + 500 >= page.total) return open;
        }
      },
      officer: async () => {
        const users = (await d.users.list()).filter((u) => !u.disabled && (u.role === 'officer' || u.role === 'admin'));
        const primary = d.duty.holderOf({ kind: 'position', position: 'primary' }, now());
        return users.find((u) => u.username === primary)?.username ?? users.find((u) => u.role === 'officer')?.username ?? null;
      },
      create: (input) => d.cases.create(input, { principal: { username: 'system' }, tenant: null, ip: null }),
      now,
      utcOffsetMinutes,
      log: d.log,
    });
  const job = tickedJob({ name: 'automatic cases', everyMs: d.everyMs, run, log: d.log, when: () => d.jobs.held() });
  job.start();
  return { run, stop: () => job.stop() };
}
