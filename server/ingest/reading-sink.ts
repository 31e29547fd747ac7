/** Where every transport's decoded readings go (the pipeline); its own file so no transport owns it. */
import type { Reading } from '../domain/reading';

export interface ReadingSink {
  /** Resolves once the reading is durable (in the spool or the store). */
  accept(reading: Reading): Promise<void>;
  /** null when the sink can take more; else resolves when it can (back-pressure). */
  ready(): Promise<void> | null;
}
