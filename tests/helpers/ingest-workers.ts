/**
 * `--role ingest` worker processes for the cluster tests (tests/helpers/product-process.ts): the
 * product's own entry point under tsx in a child process, logging at `trace` so that the test reads
 * the partitions it acquires and releases and, in arrival order, every reading it takes.
 */
import { ProductProcess } from './product-process';

/** The parts of a worker's /healthz the tests read. */
export interface WorkerHealth {
  ingest: { accepted: number; backpressureWaits: number };
  writer: { buffered: number; written: number; retries: number };
  spool: { depth: number };
}

export class IngestWorkerProcess extends ProductProcess {
  constructor(name: string, httpPort: number, env: Record<string, string>) {
    super(name, { role: 'ingest', httpPort, env: { ...env, LOG_LEVEL: 'trace' } });
  }

  /** Its /healthz: what it took, held back and wrote. */
  async health(): Promise<WorkerHealth> {
    return (await fetch(`http://127.0.0.1:${this.httpPort}/healthz`)).json() as Promise<WorkerHealth>;
  }
}
