import { runRollupReport } from './phases/rollup-report';
for (const n of [200, 20_000]) {
  const r = await runRollupReport('/tmp/dr', n, console.log);
  console.log(JSON.stringify(r));
}
