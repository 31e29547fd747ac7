/**
 * The rule engine's cost per reading, in process (issue 20): the bench's sources (500 outlets:
 * CEMS, ammonia slip, VOCs; ten factors each, bench-registry.ts and payloads.ts) with the default
 * limit and rule packs, real-time readings (CN 2011) round-robin over the sources, each stamped
 * `--step` seconds of logger time after its previous one, through `RuleEngine.onReading`, the
 * clock's tick every `--tick` readings. Prints ns per reading, the garbage
 * collector's time and share, and the bytes allocated per reading (v8.GCProfiler: the heap grown
 * between collections). A warm-up of a tenth of the readings is not counted.
 *
 * `--check` prints instead a digest of every finding and of the final state (snapshot JSON), to
 * compare two versions of the engine for the same behaviour (its timing is not meaningful).
 *
 *   npx tsx bench/rule-engine-micro.ts [--sources 500] [--readings 1000000] [--step 10] [--tick 110000] [--check]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GCProfiler } from 'node:v8';
import { parse as parseYaml } from 'yaml';
import { limitPackSchema } from '../server/domain/limit-pack';
import type { Reading } from '../server/domain/reading';
import { parseRulePack } from '../server/domain/rule-pack';
import { RuleBook } from '../server/rules/rule-book';
import { RuleEngine } from '../server/rules/rule-engine';
import { benchFleet, type BenchKind } from './bench-registry';
import { loadTemplates, variantOf } from './payloads';

const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '500' },
    readings: { type: 'string', default: '1000000' },
    step: { type: 'string', default: '10' },
    tick: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});
const SOURCES = Number(args.sources);
const READINGS = Number(args.readings);
const STEP_MS = Number(args.step) * 1000;
/** The clock's tick every this many readings: 10 s (rules.tickS) at the bench's 11,000 readings/s; `--check`: often. */
const TICK_EVERY = Number(args.tick ?? (args.check ? 5_000 : 110_000));
const VARIANTS = 16;

const yaml = (file: string): unknown => parseYaml(readFileSync(new URL(`../config/rules/${file}`, import.meta.url), 'utf8'));
const fleet = benchFleet(SOURCES, 0);
const registry = { current: () => fleet.registry, version: () => 1 };
const t0 = Date.UTC(2026, 6, 1, 0, 0, 0);
const book = new RuleBook(registry, limitPackSchema.parse(yaml('limits.yaml')), parseRulePack(yaml('rules.yaml')), () => t0);
const engine = new RuleEngine(book.rulePack, (mn, at) => book.subject(mn, at), t0, book.mns());

// The payloads' factor values, parsed once (the server parses each message afresh; that is not the engine's cost).
const factorsOf = new Map<BenchKind, Reading['factors'][]>();
for (const kind of ['cems', 'ammonia', 'vocs'] as const) {
  const parsed = loadTemplates(kind, VARIANTS).map((t) => (JSON.parse(`${t.head}0${t.tail}`) as { factors: Reading['factors'] }).factors);
  factorsOf.set(kind, parsed);
}

/**
 * `--check`: some readings out of the ordinary, so that the digest covers more than a quiet load:
 * a factor flagged D, T or M now and then, values ten times over their limits for an hour or so,
 * a factor missing, minute records, a few sources silent for a while.
 */
function varied(factors: Reading['factors'], k: number, i: number): Reading['factors'] {
  const codes = Object.keys(factors);
  const code = codes[(k + i) % codes.length]!;
  const out = { ...factors };
  const fv = factors[code]!;
  if (k % 37 === 5) out[code] = { ...fv, flag: (['D', 'T', 'M'] as const)[k % 3]! };
  if (k % 1000 >= 600) for (const c of codes) out[c] = { ...factors[c]!, rtd: (factors[c]!.rtd ?? 0) * 10 };
  if (k % 211 === 7) delete out[code];
  return out;
}

let findings = 0;
const digest = createHash('sha256');
const rules = new Map<string, number>();
const count = (fs: readonly { rule: string; type: string }[]): number => {
  if (!args.check) return fs.length;
  for (const f of fs) {
    digest.update(JSON.stringify(f));
    rules.set(`${f.rule}:${f.type}`, (rules.get(`${f.rule}:${f.type}`) ?? 0) + 1);
  }
  return fs.length;
};
function feed(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const s = fleet.load[i % SOURCES]!;
    const k = Math.floor(i / SOURCES);
    const ts = t0 + k * STEP_MS + (i % SOURCES);
    const now = ts + 500;
    if (i % TICK_EVERY === TICK_EVERY - 1) findings += count(engine.tick(now));
    if (args.check && (i % SOURCES) % 50 === 0 && k >= 1200 && k < 1300) continue; // silent for a while: offline
    const variant = factorsOf.get(s.kind)![variantOf(k, VARIANTS)]!;
    const factors = args.check ? varied(variant, k, i) : variant;
    findings += count(engine.onReading({ mn: s.mn, enterpriseId: s.enterpriseId, kind: s.kind, cn: '2011', ts, factors }, now));
    if (args.check && (i % SOURCES) % 10 === 3 && k % 6 === 0) {
      // A tenth of the sources also send a minute record a minute (the hour window's minute data).
      const minute = Object.fromEntries(Object.entries(factors).map(([c, fv]) => [c, { avg: fv.rtd ?? 0, flag: fv.flag }]));
      const at = ts - (ts % 60_000);
      findings += count(
        engine.onReading({ mn: s.mn, enterpriseId: s.enterpriseId, kind: s.kind, cn: '2051', ts: at, factors: minute }, now),
      );
    }
  }
}

if (args.check) {
  feed(0, READINGS);
  const state = createHash('sha256').update(JSON.stringify(engine.snapshot())).digest('hex');
  process.stdout.write(
    `${JSON.stringify({ readings: READINGS, findings, findingsDigest: digest.digest('hex'), stateDigest: state, rules: Object.fromEntries(rules) })}\n`,
  );
  process.exit(0);
}

const warm = Math.floor(READINGS / 10);
feed(0, warm);
const profiler = new GCProfiler();
profiler.start();
const started = process.hrtime.bigint();
feed(warm, READINGS);
const elapsedNs = Number(process.hrtime.bigint() - started);
const { statistics } = profiler.stop();

// Bytes allocated: what the heap grew by between one collection's end and the next one's start.
let allocated = 0;
let gcUs = 0;
let after: number | null = null;
for (const gc of statistics) {
  if (after !== null) allocated += gc.beforeGC.heapStatistics.usedHeapSize - after;
  after = gc.afterGC.heapStatistics.usedHeapSize;
  gcUs += gc.cost;
}
const counted = READINGS - warm;
const line = {
  readings: counted,
  nsPerReading: Math.round(elapsedNs / counted),
  gcMs: Math.round(gcUs / 1000),
  gcSharePct: Math.round((gcUs * 1000 * 1000) / elapsedNs) / 10,
  gcs: statistics.length,
  bytesPerReading: Math.round(allocated / counted),
  findings,
};
process.stdout.write(`${JSON.stringify(line)}\n`);
