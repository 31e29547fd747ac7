/**
 * The series a power-data import landed on (issue 16 → issue 18 item 4): per logger and power
 * signal, the span of the file's intervals. Kept in the import log so the responses' verification
 * knows which hours of a line's power came from the grid company's file. Pure.
 */
import type { Reading } from './reading';

export interface ImportedSeries {
  importId: string;
  mn: string;
  code: string;
  /** The first interval's start and the last interval's end, epoch ms [from, to). */
  from: number;
  to: number;
  /** When the import was applied. */
  at: number;
}

/** The series of an import's readings (each factor of each logger), with the span of its intervals. */
export function importedSeries(readings: readonly Reading[], intervalMs: number, importId: string, at: number): ImportedSeries[] {
  const out = new Map<string, ImportedSeries>();
  for (const r of readings)
    for (const code of Object.keys(r.factors)) {
      const key = `${r.mn}|${code}`;
      const s = out.get(key);
      if (!s) out.set(key, { importId, mn: r.mn, code, from: r.ts, to: r.ts + intervalMs, at });
      else {
        s.from = Math.min(s.from, r.ts);
        s.to = Math.max(s.to, r.ts + intervalMs);
      }
    }
  return [...out.values()];
}
