/**
 * Watches the spool's depth: past the alarm depth the store is falling behind (or down) and an
 * operator should know before the disk fills. Logged once on the way up and once on the way down;
 * `/healthz` and `/metrics` show it meanwhile.
 */
import type { Logger } from '../../logger';
import type { ReadingSpool } from './reading-spool';

export class SpoolAlarm {
  private raised = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly spool: ReadingSpool,
    private readonly alarmDepth: number,
    private readonly log: Logger,
    checkEveryMs = 5_000,
  ) {
    this.timer = setInterval(() => this.check(), checkEveryMs).unref();
  }

  get alarming(): boolean {
    return this.raised;
  }

  check(): void {
    const { depth, bytes, full } = this.spool;
    if (!this.raised && (depth >= this.alarmDepth || full)) {
      this.raised = true;
      this.log.error({ depth, bytes, full }, 'spool alarm: the store is not keeping up; readings are waiting on disk');
    } else if (this.raised && depth < this.alarmDepth / 2 && !full) {
      this.raised = false;
      this.log.info({ depth }, 'spool alarm cleared');
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
