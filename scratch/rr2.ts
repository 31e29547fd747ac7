import { SqlHourlyRollup } from '../server/storage/sql/rollup-store';
import { readdirSync } from 'node:fs';
const dir = process.argv[2]!;
const store = new SqlHourlyRollup(`${dir}/rollup-510.db`);
await store.init();
const day = Date.parse('2026-07-01T00:00:00+08:00');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await store.get(null, day, day + 86400000);
  console.log('get', r.length, performance.now() - t);
}
