/** Counters of what ingest accepted and rejected (by reason); read by /metrics and tests. */
import { REJECTION_REASONS, type RejectionReason } from './json-payload';

export class IngestStats {
  accepted = 0;
  /** Times ingest paused because the store was behind. */
  backpressureWaits = 0;
  readonly rejected = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>;

  reject(reason: RejectionReason): void {
    this.rejected[reason]++;
  }

  get rejectedTotal(): number {
    return Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }
}
