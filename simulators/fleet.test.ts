import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggerMessage } from '../server/domain/mqtt-contract';
import { sendsData, startFleet, type FleetOptions } from './fleet';
import { loadRegistry } from './registry-file';
import { DEMO_TARGETS, DEMO_UPSET_SOURCES } from './scenarios';
import { chinaTime, testRegistry } from './test-registry';
import type { Connector } from './transport';

interface Sent {
  clientId: string;
  topic: string;
  message: LoggerMessage;
}

function fakeBroker(opts: { failPublish?: boolean; failConnect?: string } = {}) {
  const sent: Sent[] = [];
  const connected: string[] = [];
  const closed: string[] = [];
  const connect: Connector = async (clientId) => {
    if (clientId === opts.failConnect) throw new Error('connection refused');
    connected.push(clientId);
    return {
      publish: async (topic, payload) => {
        if (opts.failPublish) throw new Error('not connected');
        sent.push({ clientId, topic, message: JSON.parse(payload) as LoggerMessage });
      },
      close: async () => {
        closed.push(clientId);
      },
    };
  };
  return { sent, connected, closed, connect };
}

const registry = testRegistry();
const base = (connect: Connector): FleetOptions => ({
  url: 'mqtt://fake:1883',
  registry,
  intervalMs: 5000,
  scenario: 'normal',
  seed: 1,
  connect,
  clientIdPrefix: 'sim-',
});
const START = chinaTime('2026-07-01T10:00') + 2_500;

describe('startFleet', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a round at once, then on every aligned interval, with minute aggregates at the boundary', async () => {
    const broker = fakeBroker();
    const fleet = await startFleet(base(broker.connect));
    await vi.advanceTimersByTimeAsync(0);
    const tsOf = (cn: string): string[] => [...new Set(broker.sent.filter((s) => s.message.cn === cn).map((s) => String(s.message.ts)))];
    expect(tsOf('2011')).toEqual(['2026-07-01T10:00:02+08:00']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tsOf('2011')).toHaveLength(13);
    expect(tsOf('2011')[1]).toBe('2026-07-01T10:00:05+08:00');
    expect(tsOf('2011').at(-1)).toBe('2026-07-01T10:01:00+08:00');
    expect(tsOf('2051')).toEqual(['2026-07-01T10:00:00+08:00']);
    expect(broker.sent.filter((s) => s.message.cn === '2051')).toHaveLength(registry.sources.length);
    expect(fleet.counters).toEqual({ published: broker.sent.length, failed: 0 });
    await fleet.stop();
  });

  it('gives each logger its own connection, publishing to its own topic', async () => {
    const broker = fakeBroker();
    const fleet = await startFleet({ ...base(broker.connect), autoStart: false });
    await fleet.round();
    expect(broker.connected).toEqual(registry.sources.map((s) => `sim-${s.mn}`));
    for (const s of broker.sent) expect(s.topic).toBe(`sentinel/v1/${s.clientId.slice(4)}/data`);
    await fleet.stop();
  });

  it('shares a few connections among many loggers', async () => {
    const broker = fakeBroker();
    const fleet = await startFleet({ ...base(broker.connect), autoStart: false, connections: 2 });
    await fleet.round();
    expect(broker.connected).toEqual(['sim-pool-0', 'sim-pool-1']);
    expect(new Set(broker.sent.map((s) => s.topic)).size).toBe(registry.sources.length);
    expect(new Set(broker.sent.map((s) => s.clientId))).toEqual(new Set(['sim-pool-0', 'sim-pool-1']));
    await fleet.stop();
  });

  it('without autoStart publishes exactly one 2011 per source per round and schedules nothing', async () => {
    const broker = fakeBroker();
    const fleet = await startFleet({ ...base(broker.connect), autoStart: false });
    await fleet.round();
    expect(broker.sent.map((s) => s.message.cn)).toEqual(registry.sources.map(() => '2011'));
    expect(vi.getTimerCount()).toBe(0);
    await fleet.stop();
  });

  it('stops cleanly: timer cleared, every connection closed, nothing published afterwards', async () => {
    const broker = fakeBroker();
    const fleet = await startFleet(base(broker.connect));
    await vi.advanceTimersByTimeAsync(10_000);
    await fleet.stop();
    await fleet.stop();
    const count = broker.sent.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(broker.sent.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
    expect(broker.closed).toHaveLength(registry.sources.length);
  });

  it('counts failed publishes and warns without flooding the log', async () => {
    const broker = fakeBroker({ failPublish: true });
    const warn = vi.fn();
    const fleet = await startFleet({ ...base(broker.connect), autoStart: false, logger: { info: () => {}, warn } });
    await fleet.round();
    expect(fleet.counters).toEqual({ published: 0, failed: registry.sources.length });
    expect(warn).toHaveBeenCalledTimes(1);
    await fleet.stop();
  });

  it('fails to start, closing what it opened, when a connection is refused', async () => {
    const broker = fakeBroker({ failConnect: `sim-${registry.sources[3]!.mn}` });
    await expect(startFleet(base(broker.connect))).rejects.toThrow('could not connect');
    expect(broker.closed).toEqual(broker.connected);
    expect(broker.connected.length).toBe(registry.sources.length - 1);
  });

  it.each([
    ['intervalMs 0', { intervalMs: 0 }],
    ['connections 0', { connections: 0 }],
    ['an empty url', { url: '' }],
  ])('refuses %s', async (_name, bad) => {
    await expect(startFleet({ ...base(fakeBroker().connect), ...bad })).rejects.toThrow(RangeError);
  });

  it('is reproducible: same seed and clock, same payloads', async () => {
    const payloads = async (seed: number): Promise<string[]> => {
      vi.setSystemTime(START);
      const broker = fakeBroker();
      const fleet = await startFleet({ ...base(broker.connect), seed, scenario: 'demo' });
      await vi.advanceTimersByTimeAsync(120_000);
      await fleet.stop();
      return broker.sent.map((s) => JSON.stringify(s.message));
    };
    const a = await payloads(5);
    expect(a.length).toBeGreaterThan(200);
    expect(await payloads(5)).toEqual(a);
    expect(await payloads(6)).not.toEqual(a);
  });
});

describe('the npm start demo on the shipped registry', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('feeds every source that has a logger, and the bypass and flare rules their factors, opened and cooled on schedule', async () => {
    const demo = await loadRegistry('config/registry.yaml');
    const broker = fakeBroker();
    const fleet = await startFleet({ ...base(broker.connect), registry: demo, scenario: 'demo' });
    await vi.advanceTimersByTimeAsync(0);
    const silent = demo.sources.filter((s) => !sendsData(s)).map((s) => s.mn);
    expect(silent.length).toBeGreaterThan(0);
    const feeding = demo.sources.map((s) => s.mn).filter((mn) => !silent.includes(mn));
    expect(new Set(broker.sent.map((s) => s.clientId.slice(4)))).toEqual(new Set(feeding));
    const valuesOf = (mn: string, factor: string): number[] =>
      broker.sent.filter((s) => s.message.cn === '2011' && s.topic.includes(mn)).map((s) => s.message.factors[factor]?.rtd as number);
    expect(valuesOf(DEMO_TARGETS.bypass, 'abp01')).toEqual([0]); // sealed: closed
    expect(valuesOf(DEMO_TARGETS.flare, 'aft01')[0]).toBeGreaterThan(760);
    broker.sent.length = 0;
    await vi.advanceTimersByTimeAsync(12 * 60_000); // 11 min in: the bypass opens for 2 min
    expect(valuesOf(DEMO_TARGETS.bypass, 'abp01').filter((v) => v === 2.4).length).toBeGreaterThanOrEqual(12);
    broker.sent.length = 0;
    await vi.advanceTimersByTimeAsync(7 * 60_000); // 13 min in: the flare at 640 °C for 7 min
    const flare = valuesOf(DEMO_TARGETS.flare, 'aft01');
    expect(flare.filter((v) => v === 640).length).toBeGreaterThanOrEqual(60); // > 5 min of 5 s samples
    await fleet.stop();
  }, 30_000); // 20 simulated minutes of the whole demo fleet: seconds of CPU, more when files run side by side

  it('makes every working-condition upset happen within ten minutes on the simulated clock, then recover', async () => {
    const demo = await loadRegistry('config/registry.yaml');
    const broker = fakeBroker();
    const fleet = await startFleet({ ...base(broker.connect), registry: demo, scenario: 'demo', intervalMs: 30_000 });
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    await fleet.stop();
    /** The real-time values of `code` on logger `mn`, by minute since start. */
    const minuteSeries = (mn: string, code: string): Map<number, number> => {
      const out = new Map<number, number>();
      for (const s of broker.sent) {
        if (s.message.cn !== '2011' || !s.topic.includes(mn)) continue;
        const v = s.message.factors[code]?.rtd;
        if (typeof v === 'number') out.set(Math.floor((Date.parse(String(s.message.ts)) - START) / 60_000), v);
      }
      return out;
    };
    const during = (series: Map<number, number>, from: number, to: number): number[] =>
      [...series].filter(([m]) => m >= from && m < to).map(([, v]) => v);
    const GK1 = '211300GKJK00000000000001';
    const GK2 = '211300GKJK00000000000002';
    // start-order: the line runs (> 80 kW) from 1:30, the RTO (> 40 kW) only from 4:00
    expect(Math.max(...during(minuteSeries(GK1, 'gkw01'), 0, 1))).toBeLessThan(80);
    expect(Math.min(...during(minuteSeries(GK1, 'gkw01'), 2, 5))).toBeGreaterThan(80);
    expect(Math.max(...during(minuteSeries(GK1, 'gkw02'), 2, 4))).toBeLessThan(40);
    // treatment-off 4:30–11:30: the RTO below runningKw while the line stays above it for ≥ 5 min
    expect(Math.max(...during(minuteSeries(GK1, 'gkw02'), 5, 11))).toBeLessThan(40);
    expect(Math.min(...during(minuteSeries(GK1, 'gkw01'), 5, 11))).toBeGreaterThan(80);
    expect(Math.min(...during(minuteSeries(GK1, 'gkw02'), 13, 20))).toBeGreaterThan(40);
    // combustion-temp-low 0:30–7:30: the RCO (min 300 °C) cold with its fan on, warm afterwards
    const rco = minuteSeries('211300VOCS00000000000012', 'gtc02');
    expect(Math.max(...during(rco, 1, 6))).toBeLessThan(300);
    expect(Math.min(...during(minuteSeries('211300VOCS00000000000012', 'gkw02'), 1, 6))).toBeGreaterThan(15);
    expect(Math.min(...during(rco, 8, 20))).toBeGreaterThan(300);
    // bypass-open 2:00–6:00
    expect(during(minuteSeries(GK2, 'gbv03'), 3, 6).every((v) => v === 1)).toBe(true);
    expect(during(minuteSeries(GK2, 'gbv03'), 7, 20).every((v) => v === 0)).toBe(true);
    // flare-upset 3:00–10:00: gas, no assist gas, flame below 760 °C
    expect(Math.max(...during(minuteSeries(GK1, 'gqa03'), 4, 10))).toBe(0);
    expect(Math.max(...during(minuteSeries(GK1, 'gtc03'), 4, 10))).toBeLessThan(760);
    expect(Math.min(...during(minuteSeries(GK1, 'gqf03'), 4, 10))).toBeGreaterThan(0);
    expect(Math.min(...during(minuteSeries(GK1, 'gqa03'), 11, 20))).toBeGreaterThan(0);
    // reductant-stopped 0:00–7:00: flow 0, slip 0, the stack's converted NOx above its limit
    expect(Math.max(...during(minuteSeries(GK2, 'gqr02'), 0, 7))).toBe(0);
    expect(Math.max(...during(minuteSeries(DEMO_UPSET_SOURCES.scrSlip, 'a21001'), 0, 7))).toBe(0);
    const noxLimit = demo.sources.find((s) => s.mn === DEMO_UPSET_SOURCES.scrStack)?.limits.a21002?.max ?? 50;
    const noxZs = (mn: string, from: number, to: number): number[] =>
      broker.sent
        .filter((s) => s.message.cn === '2011' && s.topic.includes(mn))
        .filter((s) => {
          const m = (Date.parse(String(s.message.ts)) - START) / 60_000;
          return m >= from && m < to;
        })
        .map((s) => s.message.factors.a21002?.zs as number);
    expect(Math.min(...noxZs(DEMO_UPSET_SOURCES.scrStack, 0, 7))).toBeGreaterThan(noxLimit);
    expect(Math.min(...during(minuteSeries(GK2, 'gqr02'), 8, 20))).toBeGreaterThan(0);
    // declared-stop-running: 2号机组 runs through the first 7 min of its declared stop, then stops
    expect(Math.min(...during(minuteSeries(GK2, 'gkw04'), 0, 7))).toBeGreaterThan(3000);
    expect(Math.max(...during(minuteSeries(GK2, 'gkw04'), 8, 20))).toBeLessThan(3000);
    // fgr-closed 3:00–10:00 with the boiler's NOx above its limit
    const fgrLimit = demo.sources.find((s) => s.mn === DEMO_UPSET_SOURCES.fgrStack)?.limits.a21002?.max ?? 50;
    expect(Math.max(...during(minuteSeries(DEMO_UPSET_SOURCES.fgrStack, 'gvp02'), 4, 10))).toBe(0);
    expect(Math.min(...during(minuteSeries(DEMO_UPSET_SOURCES.fgrStack, 'gkw01'), 4, 10))).toBeGreaterThan(40);
    expect(Math.min(...noxZs(DEMO_UPSET_SOURCES.fgrStack, 4, 10))).toBeGreaterThan(fgrLimit);
    expect(Math.min(...during(minuteSeries(DEMO_UPSET_SOURCES.fgrStack, 'gvp02'), 11, 20))).toBeGreaterThan(0);
    // catering-purifier-off 2:30–9:30: the fan above, the purifier below its runningKw, fumes up
    const KITCHEN = '211300CYYY00000000000001';
    expect(Math.min(...during(minuteSeries(KITCHEN, 'gkw01'), 4, 9))).toBeGreaterThan(1);
    expect(Math.max(...during(minuteSeries(KITCHEN, 'gkw02'), 4, 9))).toBeLessThan(0.3);
    expect(Math.min(...during(minuteSeries(KITCHEN, 'afm01'), 4, 9))).toBeGreaterThan(2.5);
    // dust-mean from 0:00 for 30 min: PM10 five times its normal level, its mean above the 15-min line (150 µg/m³)
    const pm10 = during(minuteSeries(DEMO_UPSET_SOURCES.dust, 'a34002'), 1, 20);
    expect(pm10.reduce((a, b) => a + b, 0) / pm10.length).toBeGreaterThan(150);
  }, 30_000);
});
