/**
 * The raw HJ 212 frames' retention (`hj212.archiveRetentionDays`): every `everyMs` (hourly), the
 * frames received before now − the period are deleted (in slices: the archive's prune). Only while
 * this process holds the jobs lease (server/cluster/job-lease.ts), so in a cluster one process
 * prunes the shared table; never two prunings at once; 0 days keeps every frame.
 */
import type { Logger } from '../logger';
import type { RawArchive } from './raw-archive';

export interface RawFramePruningDeps {
  archive: Pick<RawArchive, 'prune'>;
  retentionDays: number;
  /** The jobs lease: whether this process runs the cluster-wide jobs now. */
  jobs: { held(): boolean };
  everyMs: number;
  log: Logger;
  now: () => number;
}

export function startRawFramePruning(d: RawFramePruningDeps): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (d.retentionDays === 0 || running || !d.jobs.held()) return;
    running = true;
    d.archive
      .prune(d.now() - d.retentionDays * 86_400_000)
      .then((deleted) => deleted > 0 && d.log.info({ deleted }, 'raw frames past their retention deleted'))
      .catch((err: unknown) => d.log.error({ err }, 'raw archive prune failed; trying again at the next interval'))
      .finally(() => (running = false));
  }, d.everyMs).unref();
  return { stop: () => clearInterval(timer) };
}
