/**
 * Readings as the write path carries them (telemetry-store.ts `encode`): InfluxDB's line protocol
 * or JSON, one line each. A line of either is read back here (the spool may hold lines of an
 * earlier version, JSON, or of the other store): JSON begins with `{`, line protocol with the
 * measurement.
 */
import type { Reading } from '../domain/reading';
import { lineToReading } from './influx/line-protocol';
import { PermanentWriteError } from './telemetry-store';

export const encodeJson = (reading: Reading): string => JSON.stringify(reading);

/** The reading a line of either encoding holds. */
export function decodeReading(line: string): Reading {
  return line.startsWith('{') ? (JSON.parse(line) as Reading) : lineToReading(line);
}

/** `decodeReading`, or null for a line that holds none (a spool file damaged on disk). */
export function readingOf(line: string): Reading | null {
  try {
    const r = decodeReading(line);
    const whole = typeof r.mn === 'string' && r.mn !== '' && Number.isFinite(r.ts) && typeof r.factors === 'object' && r.factors !== null;
    return whole ? r : null;
  } catch {
    return null;
  }
}

/** `decodeReading` for a store's write: a line that holds no reading is refused for good (the writer isolates it). */
export function storedReading(line: string): Reading {
  const r = readingOf(line);
  if (!r) throw new PermanentWriteError(`not a reading: ${line.slice(0, 120)}`);
  return r;
}
