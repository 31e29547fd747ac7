import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRollupReport } from '../bench/phases/rollup-report';
const work = mkdtempSync(join(tmpdir(), 'o3-rr-'));
for (const n of [510, 20000]) console.log(JSON.stringify(await runRollupReport(work, n, console.log)));
