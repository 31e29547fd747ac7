/**
 * An ingest worker (`--role ingest`) keeps no spool: a reading is durable once InfluxDB has it, and
 * until then the broker keeps it (docs/scale-out.md "Durability"). A data dir of an earlier version,
 * which acknowledged readings once spooled, may still hold some the store never got: they are
 * written through the writer (each batch resolved once stored), the checkpoint moves over them, and
 * the spool is closed and not used again.
 */
import { existsSync } from 'node:fs';
import type { Logger } from '../../logger';
import { ReadingSpool, type SpoolOptions } from './reading-spool';

/** What writes the readings (as spooled: encoded): resolves once each is in the store. */
export interface StoreWrites {
  writeEncoded(line: string): Promise<void>;
}

/**
 * Writes what a spool left in `opts.dir` holds beyond its checkpoint, `batch` readings at a time;
 * resolves when done (or at once when there is none), rejects if the writer closed first (the rest
 * stays in the spool for the next start).
 */
export async function drainLeftoverSpool(opts: SpoolOptions, writes: StoreWrites, batch: number, log: Logger): Promise<number> {
  if (!existsSync(opts.dir)) return 0;
  const spool = ReadingSpool.open({ ...opts, syncIntervalMs: 0 }, log);
  let written = 0;
  try {
    if (spool.depth === 0) return 0;
    log.warn({ readings: spool.depth, dir: opts.dir }, 'a spool from an earlier version: writing its readings to the store');
    while (spool.depth > 0) {
      const from = spool.committed + 1;
      const lines = spool.read(from, batch);
      if (lines.length === 0) break;
      await Promise.all(lines.map((line) => writes.writeEncoded(line)));
      spool.commit(from + lines.length - 1);
      written += lines.length;
    }
    log.info({ readings: written }, 'the earlier spool is in the store');
    return written;
  } finally {
    spool.close();
  }
}
