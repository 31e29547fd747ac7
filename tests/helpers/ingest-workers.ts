/**
 * `--role ingest` worker processes for the cluster tests (tests/helpers/product-process.ts): the
 * product's own entry point under tsx in a child process, logging at `trace` so that the test reads
 * the partitions it acquires and releases and, in arrival order, every reading it takes.
 */
import { ProductProcess } from './product-process';

export class IngestWorkerProcess extends ProductProcess {
  constructor(name: string, httpPort: number, env: Record<string, string>) {
    super(name, { role: 'ingest', httpPort, env: { ...env, LOG_LEVEL: 'trace' } });
  }
}
