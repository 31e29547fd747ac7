/**
 * The server's write and intake settings as configured in config/default.yaml, so the minimal pipe batches
 * and writes the way the server does (the server itself runs on its defaults). Read here rather
 * than through server/config.ts, which loads and checks the whole configuration.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const defaultsSchema = z.object({
  influx: z.object({
    batchSize: z.number().int().positive(),
    flushIntervalMs: z.number().int().positive(),
    /** Absent in versions that wrote one batch at a time. */
    concurrency: z.number().int().positive().default(1),
  }),
  ingest: z.object({
    /** Absent in versions that buffered without bound. */
    maxBufferedReadings: z.number().int().positive().optional(),
  }),
});

export interface WriteSettings {
  batchSize: number;
  flushMs: number;
  concurrency: number;
  /** Readings buffered before intake stops; undefined for no bound. */
  maxBuffered: number | undefined;
}

export function serverWriteSettings(root: string): WriteSettings {
  const file = resolve(root, 'config/default.yaml');
  const parsed = defaultsSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const { batchSize, flushIntervalMs, concurrency } = parsed.data.influx;
  return { batchSize, flushMs: flushIntervalMs, concurrency, maxBuffered: parsed.data.ingest.maxBufferedReadings };
}
