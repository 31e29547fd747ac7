/**
 * `npx tsx bench/registry-import.ts [--enterprises 5000] [--sources 20000]`: bulk registry import
 * and export at a city-wide scale. Builds a registry of N enterprises and M sources (every field
 * kind the workbook carries, limits on most sources), writes it as the bureau's workbook, then
 * imports it into an empty registry — dry run, then apply (credentials generated, the holder's
 * validation and diff) — and once more unchanged, and exports XLSX and YAML. Prints wall time,
 * peak RSS and heap, and the event loop's delay while each step runs (a timer that should fire
 * every 10 ms: how late it was), i.e. how responsive the process stays.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EventBus, type InternalEvents } from '../server/domain/internal-events';
import { registrySchema, type Enterprise, type Registry, type Source } from '../server/domain/registry';
import { RegistryHolder } from '../server/registry/registry-holder';
import { credit } from '../server/registry/registry-fixture';
import { exportRegistryXlsx, importRegistry } from '../server/registry/registry-sheet';
import { exportRegistryYaml } from '../server/registry/registry-yaml';

const args = z
  .object({ enterprises: z.coerce.number().int().min(1).default(5000), sources: z.coerce.number().int().min(1).default(20_000) })
  .parse(parseArgs({ options: { enterprises: { type: 'string' }, sources: { type: 'string' } } }).values);

const DISTRICTS = ['双塔区', '龙城区', '北票市', '凌源市', '朝阳县', '建平县', '喀左县'];
const KINDS = ['cems', 'vocs', 'ammonia', 'vapour', 'ambient'] as const;

function build(nE: number, nS: number): Registry {
  const enterprises: Enterprise[] = Array.from({ length: nE }, (_, i) => ({
    id: `ent-${i}`,
    name: `朝阳示范企业${i}有限公司`,
    district: DISTRICTS[i % 7] as string,
    creditCode: credit(`912113${String(i).padStart(6, '0')}MA0AB`),
    industry: { code: 'C3011', name: '水泥制造' },
    park: '朝阳经济技术开发区',
    keyUnit: i % 2 === 0,
    grade: (['A', 'B', 'C', 'ungraded'] as const)[i % 4],
    contacts: [{ name: '张伟', role: '环保主管', phone: '13800000000' }],
    omContractor: '辽宁蓝天运维有限公司',
  }));
  const sources: Source[] = Array.from({ length: nS }, (_, i) => {
    const kind = KINDS[i % 5] as Source['kind'];
    return {
      mn: `211300BNCH${String(i).padStart(14, '0')}`,
      enterpriseId: `ent-${i % nE}`,
      name: `${i}号排口`,
      kind,
      lat: 41.2 + (i % 1000) / 1000,
      lon: 119.5 + (i % 997) / 1000,
      position: 'outlet',
      intervalS: 30,
      o2Ref: kind === 'cems' ? 6 : undefined,
      stackHeightM: 60,
      fuel: '燃煤',
      treatment: 'SCR',
      limits:
        kind === 'cems'
          ? { a21002: { max: 50, o2Converted: true, severity: 'major' }, a34013: { max: 10, o2Converted: true, severity: 'critical' } }
          : {},
      ...(kind === 'vapour' ? { nozzleCount: 12, annualFuelSalesT: 6000 } : {}),
    } as Source;
  });
  return registrySchema.parse({ enterprises, sources, facilities: [] });
}

interface Figures {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** Runs `fn` while sampling memory and the event loop's delay. */
async function measure<T>(fn: () => Promise<T> | T): Promise<[T, Figures]> {
  globalThis.gc?.();
  const h = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  h.enable();
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  h.disable();
  clearInterval(timer);
  sample();
  const mb = (b: number) => Math.round(b / 1_048_576);
  return [
    out,
    {
      ms: Math.round(ms),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      loopDelayP99Ms: Math.round(h.percentile(99) / 1e6),
      loopDelayMaxMs: Math.round(h.max / 1e6),
    },
  ];
}

const EMPTY = { enterprises: [], sources: [], facilities: [] };
const reg = build(args.enterprises, args.sources);
const rows: Record<string, Figures & { note?: string }> = {};
const [xlsx, exportFig] = await measure(() => exportRegistryXlsx(reg));
rows['export XLSX'] = { ...exportFig, note: `${(xlsx.length / 1_048_576).toFixed(1)} MB` };
const [dry, dryFig] = await measure(() => importRegistry(xlsx, EMPTY, { generateCredentials: false }));
rows['import dry run'] = { ...dryFig, note: `${dry.summary.sources.added} sources, ${dry.refused.length} refused` };
const holder = new RegistryHolder(reg, new EventBus<InternalEvents>());
const [, applyFig] = await measure(async () => {
  const r = await importRegistry(xlsx, EMPTY, { generateCredentials: true });
  return new RegistryHolder(registrySchema.parse(r.next), new EventBus<InternalEvents>()).replace(reg, 'bench');
});
rows['import apply (into empty, + validate, diff)'] = applyFig;
const [again, againFig] = await measure(() => importRegistry(xlsx, holder.current(), { generateCredentials: true }));
rows['import unchanged (into itself)'] = { ...againFig, note: `${again.summary.sources.unchanged} unchanged` };
const [yaml, yamlFig] = await measure(() => exportRegistryYaml(reg));
rows['export YAML'] = { ...yamlFig, note: `${(yaml.length / 1_048_576).toFixed(1)} MB` };

console.log(`registry import/export: ${args.enterprises} enterprises, ${args.sources} sources (node ${process.version})`);
console.table(rows);
