/**
 * What a simulated logger hears back: the server's 9014 data replies (matched to uploads by QN),
 * 9011 refusals and 1012 commands. The byte stream is cut with the server's own scanner.
 */
import { decodeScanned } from '../../server/domain/hj212/decode';
import { FrameScanner } from '../../server/domain/hj212/stream-scanner';
import { CN } from '../../server/domain/hj212/types';

export interface ReplyCounters {
  /** 9014 data replies received. */
  dataReplies: number;
  /** 9011 refusals received (QnRtn ≠ 1). */
  refusals: number;
  commands: number;
  /** Uploads whose 9014 did not come in time. */
  timeouts: number;
  /** Bytes from the server that were not a valid frame. */
  badReplies: number;
}

export const emptyReplyCounters = (): ReplyCounters => ({ dataReplies: 0, refusals: 0, commands: 0, timeouts: 0, badReplies: 0 });

interface Waiter {
  resolve: () => void;
}

export class ReplyTracker {
  private readonly scanner = new FrameScanner();
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly counters: ReplyCounters) {}

  /** Bytes received from the server. */
  receive(chunk: Uint8Array): void {
    for (const event of this.scanner.push(chunk)) {
      const d = decodeScanned(event);
      if (!d.ok) {
        this.counters.badReplies++;
        continue;
      }
      const { cn, qn } = d.frame;
      if (cn === CN.dataReply) {
        this.counters.dataReplies++;
        if (qn !== undefined) {
          this.waiting.get(qn)?.resolve();
          this.waiting.delete(qn);
        }
      } else if (cn === CN.requestReply && d.frame.cp.params.QnRtn !== '1') {
        this.counters.refusals++;
      } else if (cn === CN.setTime) {
        this.counters.commands++;
      }
    }
  }

  /** Resolves when every QN got its 9014; rejects after `timeoutMs`. */
  expect(qns: readonly string[], timeoutMs: number): Promise<void> {
    if (qns.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let left = qns.length;
      const timer = setTimeout(() => {
        for (const qn of qns) this.waiting.delete(qn);
        this.counters.timeouts++;
        reject(new Error(`no 9014 for QN ${qns.join(', ')} within ${timeoutMs} ms`));
      }, timeoutMs);
      for (const qn of qns) {
        this.waiting.set(qn, {
          resolve: () => {
            if (--left > 0) return;
            clearTimeout(timer);
            resolve();
          },
        });
      }
    });
  }

  /** Uploads still waiting for their 9014. */
  get pending(): number {
    return this.waiting.size;
  }
}
