/** What every run of the bench shares: flags, services, sources, the load plan, a logger. */
import type { Service } from '../tests/helpers/services';
import type { BenchFleet } from './bench-registry';
import type { BenchArgs } from './cli-args';
import type { LoadOptions } from './load/load-generator';

export interface BenchContext {
  args: BenchArgs;
  influx: Service;
  mqtt: Service;
  fleet: BenchFleet;
  /** The ingest load; the pipe and the server get the same one. */
  load: Omit<LoadOptions, 'name'>;
  /** The readings are stamped in the 24 h before this instant. */
  runStart: number;
  /** Scratch directory (registry, server data), removed at the end. */
  work: string;
  results: string;
  log: (line: string) => void;
  /** Registers something to stop at the end, or on failure or Ctrl-C. */
  defer: (stop: () => Promise<unknown>) => void;
}

export const DAY = 24 * 3_600_000;
