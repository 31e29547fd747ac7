/** Where every transport's decoded readings go (the pipeline); its own file so no transport owns it. */
import type { Reading } from '../domain/reading';
import type { Logger } from '../logger';

export interface ReadingSink {
  /** Resolves once the reading is durable (in the spool or the store). */
  accept(reading: Reading): Promise<void>;
  /** null when the sink can take more; else resolves when it can (back-pressure). */
  ready(): Promise<void> | null;
}

/**
 * At log level `trace`, each reading handed to the sink is logged (`reading`: mn, cn, ts) in the
 * order it arrived: what a worker took, and in which order, when a partition moves. Otherwise the
 * sink itself (no cost on the hot path).
 */
export function tracedSink(sink: ReadingSink, log: Logger): ReadingSink {
  if (!log.isLevelEnabled('trace')) return sink;
  return {
    accept(reading) {
      log.trace({ mn: reading.mn, cn: reading.cn, ts: reading.ts }, 'reading');
      return sink.accept(reading);
    },
    ready: () => sink.ready(),
  };
}
