/**
 * Where a decoded reading goes: to the batch writer (spooled at once, stored in the background)
 * and, at once, through the rules — whose findings move the alerts — and into the latest-values
 * board. Data flows one way: ingest → pipeline → store + rules → alerts → realtime/http.
 */
import type { LatestValues } from './domain/events';
import { EventBus } from './domain/internal-events';
import type { Reading } from './domain/reading';
import type { ReadingSink } from './ingest/reading-sink';
import type { SourceDirectory } from './sources/source-directory';
import type { BatchWriter } from './storage/batch-writer';

export interface ReadingRules {
  onReading(reading: Reading): void;
}

export class ReadingPipeline implements ReadingSink {
  constructor(
    private readonly directory: SourceDirectory,
    private readonly writer: BatchWriter,
    private readonly rules: ReadingRules,
    /** Announces `reading:latest` when a source's latest values move forward. */
    private readonly events: EventBus = new EventBus(),
  ) {}

  ready(): Promise<void> | null {
    return this.writer.ready();
  }

  accept(reading: Reading): Promise<void> {
    const durable = this.writer.write(reading);
    this.rules.onReading(reading);
    if (reading.cn === '2011') {
      const lv: LatestValues = { mn: reading.mn, cn: reading.cn, ts: reading.ts, factors: reading.factors };
      if (this.directory.noteLatest(lv)) this.events.emit('reading:latest', lv);
    }
    return durable;
  }
}
