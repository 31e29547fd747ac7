/**
 * Readings as the write path carries them (telemetry-store.ts `encode`): InfluxDB's line protocol
 * or JSON, one line each. A line of either is read back here (the spool may hold lines of an
 * earlier version, JSON, or of the other store): JSON begins with `{`, line protocol with the
 * measurement.
 */
import type { Reading } from '../domain/reading';
import { lineToReading } from './influx/line-protocol';

export const encodeJson = (reading: Reading): string => JSON.stringify(reading);

/** The reading a line of either encoding holds. */
export function decodeReading(line: string): Reading {
  return line.startsWith('{') ? (JSON.parse(line) as Reading) : lineToReading(line);
}
