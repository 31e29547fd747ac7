/** Counters of the HJ 212 ingest (TCP and MQTT): frames, rejections by reason, replies, connections. */
import { HJ212_REJECTION_REASONS, type Hj212RejectionReason } from './rejections';

export interface ReplyCounters {
  /** 9014s owed: accepted uploads whose Flag asked for an answer. */
  requested: number;
  /** 9014s written to the connection (or published on MQTT). */
  sent: number;
  /** 9014s that could not be sent: the connection was gone. */
  dropped: number;
  /** 9011 refusals sent. */
  refusals: number;
  /** 1012 time commands sent in answer to 1013. */
  commands: number;
}

export class Hj212Stats {
  /** Everything the scanner handed out: frames and refused byte runs. */
  received = 0;
  /** Frames taken (data, status, logger replies, time requests). */
  accepted = 0;
  /** Readings handed to the pipeline (a split upload is one reading). */
  readings = 0;
  /** Split uploads handed out incomplete after the reassembly timeout. */
  splitTimeouts = 0;
  /** Refusals counted into a peer's aggregate archive row instead of archived verbatim (hj212.archiveRefusalsPerMin). */
  refusalsAggregated = 0;
  /** TCP connections cut for password guessing (more than PASSWORD_GUESSES_PER_MIN wrong PWs a minute from one address). */
  passwordCutoffs = 0;
  /** Factors left out of taken frames for a bad value or flag (the frame's other factors were kept). */
  factorsRefused = 0;
  readonly rejected = Object.fromEntries(HJ212_REJECTION_REASONS.map((r) => [r, 0])) as Record<Hj212RejectionReason, number>;
  readonly replies: ReplyCounters = { requested: 0, sent: 0, dropped: 0, refusals: 0, commands: 0 };
  /** refusedPerAddress: closed at once (hj212.maxConnectionsPerAddress); frameDeadlines: cut (hj212.frameDeadlineS). */
  readonly connections = { open: 0, total: 0, idleTimeouts: 0, refusedPerAddress: 0, frameDeadlines: 0 };

  reject(reason: Hj212RejectionReason): void {
    this.rejected[reason]++;
  }

  get rejectedTotal(): number {
    let n = 0;
    for (const r of HJ212_REJECTION_REASONS) n += this.rejected[r];
    return n;
  }

  snapshot() {
    return {
      received: this.received,
      accepted: this.accepted,
      readings: this.readings,
      splitTimeouts: this.splitTimeouts,
      refusalsAggregated: this.refusalsAggregated,
      factorsRefused: this.factorsRefused,
      passwordCutoffs: this.passwordCutoffs,
      rejected: { ...this.rejected },
      replies: { ...this.replies },
      connections: { ...this.connections },
    };
  }
}
