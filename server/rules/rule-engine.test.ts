import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { parseRulePack } from '../domain/rule-pack';
import { RuleEngine, RuleStateError, type RuleSubject } from './rule-engine';
import { AMMONIA, CEMS, HOUR, INLET, MIN, MN, OUTLET, reading, S, subject, T0, v } from './test-kit';

const pack = parseRulePack({});
const subjects = new Map<string, RuleSubject>([AMMONIA, CEMS, INLET, OUTLET].map((s) => [s.mn, subject(s)]));
const lookup = (mn: string) => subjects.get(mn);
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule}:${f.factor}:${f.type}`);

/** An input of a run: a reading (arriving 1 s after its ts) or a tick. */
type Input = Reading | { tick: number };
function feed(engine: RuleEngine, inputs: Input[]): Finding[] {
  return inputs.flatMap((i) => ('tick' in i ? engine.tick(i.tick) : engine.onReading(i, i.ts + S)));
}

/** Ammonia: real-time every 30 s and minute means, 10:00–11:00 at 9 mg/m³ (above 8), then ticks past 11:05. */
function ammoniaHour(): Input[] {
  const out: Input[] = [];
  for (let m = 0; m < 60; m++) {
    out.push(reading(AMMONIA, '2011', T0 + m * MIN + 15 * S, { a21001: v(m < 50 ? 9 : 7.5) }));
    out.push(reading(AMMONIA, '2051', T0 + m * MIN, { a21001: v(m < 50 ? 9 : 7.5) }));
    out.push(reading(AMMONIA, '2011', T0 + m * MIN + 45 * S, { a21001: v(m < 50 ? 9 : 7.5) }));
  }
  out.push({ tick: T0 + HOUR + 4 * MIN }, { tick: T0 + HOUR + 5 * MIN });
  return out;
}

describe('RuleEngine', () => {
  it('dispatches a reading to every rule of its kind: instant warning, fault, hour close', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    const findings = feed(engine, ammoniaHour());
    const hour = findings.filter((f) => f.rule === 'limit-hour');
    expect(hour).toEqual([expect.objectContaining({ type: 'exceeded', factor: 'a21001', ts: T0, value: (50 * 9 + 10 * 7.5) / 60 })]);
    expect(findings.filter((f) => f.rule === 'limit-instant' && f.type === 'exceeded').length).toBe(100); // real-time only, not the minute means
    expect(brief(findings.filter((f) => f.rule === 'limit-instant' && f.type === 'normal'))).toEqual(['limit-instant:a21001:normal']);
    // Silent since 11:00:46: the ticks at 11:04 / 11:05 found it offline; the next reading clears that.
    expect(brief(findings.filter((f) => f.rule === 'offline'))).toEqual(['offline:*:exceeded']);
    const fault = engine.onReading(reading(AMMONIA, '2011', T0 + HOUR + 6 * MIN, { a21001: v(3, 'D') }), T0 + HOUR + 6 * MIN);
    expect(brief(fault)).toEqual(['offline:*:normal', 'instrument-fault:a21001:exceeded']);
  });

  it('ignores readings of sources it cannot look up', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    expect(engine.onReading({ ...reading(AMMONIA, '2011', T0, { a21001: v(99) }), mn: '370300XXXX00000000000000' }, T0)).toEqual([]);
  });

  it('offline by tick: a never-seen source from the engine start, then cleared by data', () => {
    const engine = new RuleEngine(pack, lookup, T0, [MN.ammonia]);
    expect(engine.tick(T0 + 149 * S)).toEqual([]);
    expect(brief(engine.tick(T0 + 150 * S))).toEqual(['offline:*:exceeded']);
    expect(engine.tick(T0 + 300 * S)).toEqual([]);
    expect(brief(engine.onReading(reading(AMMONIA, '2011', T0 + 301 * S, { a21001: v(3) }), T0 + 301 * S))).toEqual(['offline:*:normal']);
  });

  it('a file import’s readings are not live: they neither clear an offline source nor enter its windows', () => {
    const engine = new RuleEngine(pack, lookup, T0, [MN.ammonia]);
    expect(brief(engine.tick(T0 + 150 * S))).toEqual(['offline:*:exceeded']);
    const imported: Reading = { ...reading(AMMONIA, '2051', T0 + 160 * S, { a21001: v(99) }), origin: 'import' };
    expect(engine.onReading(imported, T0 + 161 * S)).toEqual([]);
    // Still offline: the next tick finds it silent since the start (no new finding: already raised).
    expect(engine.tick(T0 + 300 * S)).toEqual([]);
    expect(brief(engine.onReading(reading(AMMONIA, '2011', T0 + 301 * S, { a21001: v(3) }), T0 + 301 * S))).toEqual(['offline:*:normal']);
  });

  it('removal efficiency from the inlet’s and outlet’s hours (inlet 3 kg/h, outlet 0.9 kg/h → 70 %)', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    const minutes = (src: typeof INLET, nmhc: number): Reading[] =>
      Array.from({ length: 60 }, (_, m) => reading(src, '2051', T0 + m * MIN, { a24088: v(nmhc), a00000: v(1) }));
    const findings = feed(engine, [...minutes(OUTLET, 250), ...minutes(INLET, 3000 / 3.6), { tick: T0 + HOUR + 5 * MIN }]);
    const eff = findings.filter((f) => f.rule === 'removal-efficiency');
    expect(eff).toEqual([expect.objectContaining({ type: 'exceeded', mn: MN.outlet, value: 70, limit: 80, unit: '%' })]);
    expect(eff[0]).toMatchObject({ evidence: { inletMn: MN.inlet } });
    const evidence = eff[0]?.type === 'exceeded' ? eff[0].evidence : undefined;
    expect(Number(evidence?.inletKgH)).toBeCloseTo(3, 9);
  });

  // Issue 12, domain 3: a source sending only real-time data is judged hourly, daily and for removal efficiency.
  it('a source sending only real-time data: limit-hour, limit-day and removal efficiency', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    const rt = (src: typeof INLET, factors: (at: number) => Reading['factors'], from: number, hours: number): Reading[] =>
      Array.from({ length: hours * 120 }, (_, i) => reading(src, '2011', from + i * 30 * S, factors(from + i * 30 * S)));
    const day0 = T0 - 10 * HOUR; // 00:00 local
    const inputs: Input[] = [
      ...rt(AMMONIA, () => ({ a21001: v(9) }), day0, 24),
      ...rt(OUTLET, () => ({ a24088: v(250), a00000: v(1) }), T0, 1),
      ...rt(INLET, () => ({ a24088: v(3000 / 3.6), a00000: v(1) }), T0, 1),
      { tick: day0 + 24 * HOUR + 5 * MIN },
    ];
    const findings = feed(engine, inputs);
    expect(findings.filter((f) => f.rule === 'limit-hour' && f.mn === MN.ammonia && f.type === 'exceeded')).toHaveLength(24);
    expect(findings.filter((f) => f.rule === 'limit-day')).toEqual([expect.objectContaining({ type: 'exceeded', value: 9, ts: day0 })]);
    const efficiency = findings.filter((f) => f.rule === 'removal-efficiency');
    expect(efficiency).toEqual([expect.objectContaining({ type: 'exceeded', mn: MN.outlet, value: 70 })]);
  });

  it('restores a snapshot written before real-time minutes and late hours existed', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    feed(engine, ammoniaHour().slice(0, 90));
    const old = JSON.parse(JSON.stringify(engine.snapshot())) as { sources: Record<string, Record<string, unknown>> };
    type Loose = Record<string, unknown>;
    const st = old.sources[MN.ammonia] as Loose & { hour: Loose & { minutes: Record<string, Loose> } };
    delete st.hourPrev;
    delete st.overRange;
    for (const k of ['zsMismatch', 'o2Ambient', 'nearLimit', 'stepDrop']) delete st[k]; // issue 19's rules
    delete st.hour.rt;
    delete st.hour.rtOpen;
    for (const m of Object.values(st.hour.minutes)) delete m.nC;
    const restored = RuleEngine.restore(old, pack, lookup, T0);
    const findings = feed(restored, ammoniaHour().slice(90));
    expect(findings.filter((f) => f.rule === 'limit-hour')).toEqual([expect.objectContaining({ type: 'exceeded', ts: T0 })]);
  });

  it('falsification signatures run on samples, and the engine anchors step-drop on its own findings', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    // CEMS: SO2 40 converted (zs) for an hour — over its limit 35: limit-instant opens — then 10.
    const so2 = (m: number, zs: number, o2 = 9.75, zsSent = zs) =>
      reading(CEMS, '2011', T0 + m * MIN, { a21026: v(zs * 0.75, 'N', { zs: zsSent }), a19001: v(o2), a00000: v(80) });
    const watched = (fs: Finding[]) => brief(fs.filter((f) => !['flat-line', 'limit-hour'].includes(f.rule)));
    const before = feed(engine, [...Array.from({ length: 60 }, (_, m) => so2(m, 30)), so2(60, 40)]);
    expect(watched(before)).toEqual(['limit-instant:a21026:exceeded']);
    // Judged by the first sample an hour after the alert (minute 120); an event: cleared by the next.
    const after = feed(
      engine,
      Array.from({ length: 61 }, (_, m) => so2(61 + m, 10)),
    );
    expect(watched(after)).toEqual(['limit-instant:a21026:normal', 'step-drop:a21026:exceeded', 'step-drop:a21026:normal']);
    // zs 20 where measured 7.5 at O2 9.75 % converts to 10: zs-mismatch after 6 samples, kept over a snapshot.
    const mismatch = feed(
      engine,
      Array.from({ length: 3 }, (_, m) => so2(122 + m, 10, 9.75, 20)),
    );
    const restored = RuleEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())), pack, lookup, T0);
    const rest = feed(
      restored,
      Array.from({ length: 3 }, (_, m) => so2(125 + m, 10, 9.75, 20)),
    );
    expect(watched([...mismatch, ...rest])).toEqual(['zs-mismatch:a21026:exceeded']);
  });

  it('updates the source state in place (the saver encodes it before the next reading); a snapshot is a copy the engine never changes', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    const inputs = ammoniaHour();
    feed(engine, inputs.slice(0, 100));
    const held = engine.sourceState(MN.ammonia)!;
    const snapshot = engine.snapshot();
    const encoded = JSON.stringify(snapshot);
    expect(encoded).toContain('"hour":{'); // the window itself is compared, its minute data and means
    feed(engine, inputs.slice(100, 110)); // real-time and minute data
    // Live: the readings went into the object handed out.
    expect(engine.sourceState(MN.ammonia)).toBe(held);
    expect(held.lastSeenAt).toBeGreaterThan(snapshot.sources[MN.ammonia]!.lastSeenAt!);
    feed(engine, inputs.slice(110)); // an hour closed, ticks
    expect(JSON.stringify(snapshot)).toBe(encoded);
  });

  it.each([10, 30, 59])('snapshot → JSON → restore at minute %i gives the same findings as an uninterrupted run', (cut) => {
    const inputs = ammoniaHour();
    const at = inputs.findIndex((i) => !('tick' in i) && i.ts >= T0 + cut * MIN);
    const whole = feed(new RuleEngine(pack, lookup, T0), inputs);
    const first = new RuleEngine(pack, lookup, T0);
    const before = feed(first, inputs.slice(0, at));
    const restored = RuleEngine.restore(JSON.parse(JSON.stringify(first.snapshot())), pack, lookup, T0);
    expect([...before, ...feed(restored, inputs.slice(at))]).toEqual(whole);
    expect(whole.some((f) => f.rule === 'limit-hour')).toBe(true);
  });

  it('gives every source restored from a save made before step-drop existed rings of its own', () => {
    const engine = new RuleEngine(pack, lookup, T0);
    const { stepDrop: _, ...before } = JSON.parse(
      JSON.stringify(new RuleEngine(pack, lookup, T0, [MN.ammonia]).snapshot().sources[MN.ammonia]),
    );
    engine.restore({ version: 1, sources: { [MN.ammonia]: before, [MN.cems]: before } });
    feed(engine, ammoniaHour().slice(0, 30));
    expect(Object.keys(engine.sourceState(MN.ammonia)!.stepDrop.buckets)).toEqual(['a21001']);
    expect(engine.sourceState(MN.cems)!.stepDrop.buckets).toEqual({});
  });

  it.each([
    ['another version', { version: 2, sources: {} }, /unsupported rule state version 2 \(expected 1\)/],
    [
      'a malformed source state',
      { version: 1, sources: { [MN.ammonia]: { offline: 'no' } } },
      /sources\.370300NH3000000000000101\.lastSeenAt/,
    ],
  ])('refuses to restore %s', (_n, snapshot, message) => {
    const engine = new RuleEngine(pack, lookup, T0);
    expect(() => engine.restore(snapshot)).toThrow(RuleStateError);
    expect(() => engine.restore(snapshot)).toThrow(message);
  });
});

describe('RuleEngine.follow: the registry changed', () => {
  it('a new source is watched for being offline before its first reading; a removed one’s state is dropped', () => {
    const live = new Map<string, RuleSubject>([[AMMONIA.mn, subject(AMMONIA)]]);
    const engine = new RuleEngine(pack, (mn) => live.get(mn), T0, [AMMONIA.mn]);
    engine.onReading(reading(AMMONIA, '2011', T0, { a21001: v(9) }), T0 + S);
    expect(Object.keys(engine.snapshot().sources)).toEqual([AMMONIA.mn]);

    live.set(CEMS.mn, subject(CEMS));
    live.delete(AMMONIA.mn);
    engine.follow([CEMS.mn], [AMMONIA.mn]);
    expect(Object.keys(engine.snapshot().sources)).toEqual([CEMS.mn]);
    expect(brief(engine.tick(T0 + HOUR)).filter((f) => f.startsWith('offline'))).toEqual(['offline:*:exceeded']);
    expect(engine.tick(T0 + HOUR).every((f) => f.mn === CEMS.mn)).toBe(true);
  });
});

describe('RuleEngine.tick on an ingest worker: only the sources it owns, silence counted from the takeover', () => {
  // Ammonia never seen; offline after 150 s of silence (see "offline by tick").
  it.each([
    ['owned since the start', T0, T0 + 150 * S, ['offline:*:exceeded']],
    ['owned by another worker', null, T0 + 150 * S, []],
    ['taken over 100 s in: silent for 50 s only', T0 + 100 * S, T0 + 150 * S, []],
    ['taken over 100 s in: silent for 150 s', T0 + 100 * S, T0 + 250 * S, ['offline:*:exceeded']],
  ])('%s', (_, since, at, expected) => {
    const engine = new RuleEngine(pack, lookup, T0, [MN.ammonia]);
    expect(brief(engine.tick(at, { ownedSince: () => since }))).toEqual(expected);
  });

  it('leaves another worker’s source as it was: judged once this worker owns it', () => {
    const engine = new RuleEngine(pack, lookup, T0, [MN.ammonia]);
    expect(engine.tick(T0 + 200 * S, { ownedSince: () => null })).toEqual([]);
    expect(brief(engine.tick(T0 + 200 * S, { ownedSince: () => T0 }))).toEqual(['offline:*:exceeded']);
  });
});
