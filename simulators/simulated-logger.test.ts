import { describe, expect, it } from 'vitest';
import { loggerPayloadSchema, type LoggerMessage } from '../server/domain/mqtt-contract';
import { createRng } from './random';
import { buildScenario, type Scenario } from './scenarios';
import { SimulatedLogger, type OutgoingMessage } from './simulated-logger';
import { chinaTime, testRegistry, testSource } from './test-registry';

const registry = testRegistry();
const NH3 = testSource('TESTNH300000000000000001');
const BOILER = testSource('TESTCEMS0000000000000002');
const STEP = 5000;

interface Tick {
  at: number;
  messages: OutgoingMessage[];
}

function run(source: typeof NH3, scenario: Scenario, from: number, ticks: number, seed = 1): Tick[] {
  const logger = new SimulatedLogger({ source, rng: createRng(seed), scenario, intervalMs: STEP });
  return Array.from({ length: ticks }, (_, i) => {
    const at = from + i * STEP;
    return { at, messages: logger.tick(at, at - from) };
  });
}
const parse = (m: OutgoingMessage): LoggerMessage => JSON.parse(m.payload) as LoggerMessage;
const realtime = (ticks: Tick[]): LoggerMessage[] => ticks.flatMap((t) => t.messages.filter((m) => m.cn === '2011').map(parse));
const stddev = (xs: number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};
const normal = buildScenario('normal', registry);

describe('simulated logger: aggregates', () => {
  // 10:59:30 → 11:01:05 China time, every 5 s.
  const ticks = run(BOILER, normal, chinaTime('2026-07-01T10:59') + 30_000, 20);
  const at = (local: string): Tick => ticks.find((t) => t.at === Date.parse(`${local}+08:00`))!;

  it('publishes 2051 then 2061 then 2011 at the hour boundary, stamped with the interval starts', () => {
    const boundary = at('2026-07-01T11:00:00').messages;
    expect(boundary.map((m) => m.cn)).toEqual(['2051', '2061', '2011']);
    expect(boundary.map((m) => parse(m).ts)).toEqual([
      '2026-07-01T10:59:00+08:00',
      '2026-07-01T10:00:00+08:00',
      '2026-07-01T11:00:00+08:00',
    ]);
    expect(at('2026-07-01T11:01:00').messages.map((m) => [m.cn, parse(m).ts])).toEqual([
      ['2051', '2026-07-01T11:00:00+08:00'],
      ['2011', '2026-07-01T11:01:00+08:00'],
    ]);
    expect(at('2026-07-01T11:00:05').messages.map((m) => m.cn)).toEqual(['2011']);
  });

  it("aggregates the minute's real-time values: avg, min, max, zs and cou", () => {
    const minute = ticks.filter((t) => t.at >= chinaTime('2026-07-01T11:00') && t.at < chinaTime('2026-07-01T11:01'));
    const rtds = realtime(minute).map((m) => m.factors.a21002!.rtd!);
    expect(rtds).toHaveLength(12);
    const agg = parse(at('2026-07-01T11:01:00').messages[0]!).factors;
    expect(agg.a21002!.avg).toBeCloseTo(rtds.reduce((a, b) => a + b, 0) / 12, 3);
    expect(agg.a21002!.min).toBe(Math.min(...rtds));
    expect(agg.a21002!.max).toBe(Math.max(...rtds));
    expect(agg.a21002!.zs).toBeGreaterThan(0);
    expect(agg.a21002!.flag).toBe('N');
    const flows = realtime(minute).map((m) => m.factors.a00000!.rtd!);
    expect(agg.a00000!.cou).toBeCloseTo(flows.reduce((a, b) => a + b, 0) * 5, 1);
  });

  it('publishes only payloads the contract accepts', () => {
    for (const m of ticks.flatMap((t) => t.messages)) {
      expect(m.topic).toBe(`sentinel/v1/${BOILER.mn}/data`);
      expect(loggerPayloadSchema.safeParse(parse(m)).success).toBe(true);
    }
  });
});

describe('simulated logger: scenarios', () => {
  const from = chinaTime('2026-07-01T10:00');

  it('exceedance: a21001 above 8 mg/m³ while the event lasts (120 s), normal after', () => {
    const values = realtime(run(NH3, buildScenario('exceedance', registry), from, 36)).map((m) => m.factors.a21001!.rtd!);
    expect(values.slice(0, 24).every((v) => v > 8 && v < 12.1)).toBe(true);
    expect(values.slice(24).every((v) => v < 3.01)).toBe(true);
  });

  it('flatline: the target factor has standard deviation 0, the others still vary', () => {
    const messages = realtime(run(BOILER, buildScenario('flatline', registry, { mn: BOILER.mn }), from, 60));
    const stuck = messages.map((m) => m.factors.a21002!.rtd!);
    expect(new Set(stuck).size).toBe(1);
    expect(stddev(stuck)).toBeCloseTo(0, 9);
    expect(stddev(messages.map((m) => m.factors.a21026!.rtd!))).toBeGreaterThan(0);
  });

  it('maintenance: every factor flagged M, and the minute aggregate too', () => {
    const ticks = run(NH3, buildScenario('maintenance', registry, { mn: NH3.mn }), from, 13);
    const flags = ticks.flatMap((t) => t.messages.map(parse)).flatMap((m) => Object.values(m.factors).map((v) => v.flag));
    expect(flags.length).toBeGreaterThan(20);
    expect(new Set(flags)).toEqual(new Set(['M']));
    expect(ticks[12]!.messages[0]!.cn).toBe('2051');
  });

  it('offline: publishes nothing while offline (not even the aggregate due then) and resumes after', () => {
    const scenario = buildScenario('offline', registry, { mn: NH3.mn, startS: 30, durationS: 60 });
    const counts = run(NH3, scenario, from, 24).map((t) => t.messages.length);
    expect(counts.slice(0, 6).every((n) => n >= 1)).toBe(true);
    expect(counts.slice(6, 18)).toEqual(Array(12).fill(0));
    expect(counts.slice(18).every((n) => n === 1)).toBe(true);
  });

  it('malformed: broken messages besides the normal upload', () => {
    const [tick] = run(NH3, buildScenario('malformed', registry, { mn: NH3.mn }), from, 1);
    expect(tick!.messages.filter((m) => m.cn === '2011')).toHaveLength(1);
    expect(tick!.messages.filter((m) => m.malformed !== undefined).length).toBeGreaterThan(10);
  });

  it('leaves other sources alone', () => {
    const values = realtime(run(testSource('TESTNH300000000000000002'), buildScenario('exceedance', registry), from, 12));
    expect(values.every((m) => m.factors.a21001!.rtd! <= 1.5)).toBe(true);
  });
});

describe('simulated logger: determinism', () => {
  const from = chinaTime('2026-07-01T10:00');
  const payloads = (seed: number): string[] => run(NH3, normal, from, 30, seed).flatMap((t) => t.messages.map((m) => m.payload));

  it('gives the same payloads for the same seed and different ones for another seed', () => {
    expect(payloads(7)).toEqual(payloads(7));
    expect(payloads(7)).not.toEqual(payloads(8));
  });
});
