/**
 * The facility engine: readings of a working-condition logger and an outlet's CEMS through the
 * engine, with ticks; durations on the logger's clock; one alert per facility per rule; restart.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { facilitySchema, type Facility } from '../domain/registry';
import { FacilityEngine, type FacilityLookup } from './facility-engine';
import { RuleStateError, type RuleSubject } from './rule-engine';
import { MIN, S, source, subject, T0, v } from './test-kit';

const LOGGER = source({ mn: '211300GKJK00000000000001', kind: 'condition', intervalS: 60 });
const CEMS = source({ mn: '211300CEMS00000000000001', kind: 'cems', o2Ref: 6 });
const fac = (fields: Partial<Facility> & Pick<Facility, 'id' | 'kind' | 'channel'>): Facility =>
  facilitySchema.parse({ enterpriseId: 'e', name: fields.id, mn: LOGGER.mn, ...fields });
const FACILITIES: Facility[] = [
  fac({ id: 'line', kind: 'production-line', channel: '01', runningKw: 80 }),
  fac({ id: 'rto', kind: 'treatment', channel: '02', serves: 'line', runningKw: 40, minTempC: 760 }),
  fac({ id: 'scr', kind: 'treatment', channel: '03', serves: 'line', outletMns: [CEMS.mn] }),
];
const subjects = new Map<string, RuleSubject>([LOGGER, CEMS].map((s) => [s.mn, subject(s)]));
const lookupOf = (facilities: Facility[] = FACILITIES): FacilityLookup => ({
  facilities: () => facilities,
  subject: (mn) => subjects.get(mn),
});

const signals = (ts: number, factors: Record<string, number>): Reading => ({
  mn: LOGGER.mn,
  enterpriseId: 'e',
  kind: 'condition',
  cn: '2011',
  ts,
  factors: Object.fromEntries(Object.entries(factors).map(([k, x]) => [k, v(x)])),
});
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule}:${f.factor}:${f.type}`);
/** A minute of the logger: every 60 s from `from` for `minutes`, arriving 1 s after its ts. */
function minutes(engine: FacilityEngine, from: number, count: number, factors: Record<string, number>): Finding[] {
  return Array.from({ length: count }, (_, i) => engine.onReading(signals(from + i * MIN, factors), from + i * MIN + S)).flat();
}

describe('FacilityEngine', () => {
  it('treatment-off raises after 5 min of the RTO off under a running line, repeats on its readings, clears when it runs', () => {
    const engine = new FacilityEngine(lookupOf());
    expect(minutes(engine, T0, 5, { gkw01: 300, gkw02: 60 })).toEqual([]);
    const off = minutes(engine, T0 + 5 * MIN, 7, { gkw01: 300, gkw02: 3 });
    // The RTO stopping under the running line is also out of order (先启后停): start-order at once.
    expect(brief(off)).toEqual(['start-order:gkw02:exceeded', 'treatment-off:gkw02:exceeded', 'treatment-off:gkw02:exceeded']);
    off.shift();
    expect(off[0]).toMatchObject({ mn: LOGGER.mn, ts: T0 + 10 * MIN, value: 3, limit: 40, unit: 'kW', severity: 'major' });
    expect(off[0]).toMatchObject({ evidence: { facilityId: 'rto', since: T0 + 5 * MIN, lineRunning: true } });
    expect(brief(engine.onReading(signals(T0 + 12 * MIN, { gkw01: 300, gkw02: 60 }), T0 + 12 * MIN + S))).toEqual([
      'treatment-off:gkw02:normal',
    ]);
  });

  it('a look-alike: the RTO off with the line off too raises nothing', () => {
    const engine = new FacilityEngine(lookupOf());
    expect(minutes(engine, T0, 20, { gkw01: 2, gkw02: 0 })).toEqual([]);
  });

  it('the duration runs out at a tick on the logger’s clock, while the samples are fresh', () => {
    const engine = new FacilityEngine(lookupOf());
    // The logger's clock is 2 min behind the engine's: its samples are stamped T0…, they arrive T0 + 2 min….
    for (let i = 0; i < 3; i++) engine.onReading(signals(T0 + i * MIN, { gkw01: 300, gkw02: 0 }), T0 + 2 * MIN + i * MIN);
    expect(engine.tick(T0 + 6 * MIN)).toEqual([]); // logger time T0 + 4 min: not yet 5 min
    // Engine T0 + 6.5 min: the last sample arrived 2.5 min ago (> 2 × 60 s): unknown, nothing raised, the count restarts.
    expect(engine.tick(T0 + 6 * MIN + 30 * S)).toEqual([]);
    expect(engine.facilityStates().get('rto')?.running).toBeUndefined();
    const later = new FacilityEngine(lookupOf());
    for (let i = 0; i < 5; i++) later.onReading(signals(T0 + i * MIN, { gkw01: 300, gkw02: 0 }), T0 + 2 * MIN + i * MIN);
    expect(brief(later.tick(T0 + 7 * MIN))).toEqual(['treatment-off:gkw02:exceeded']); // logger time T0 + 5 min
    expect(later.facilityStates().get('rto')).toMatchObject({ running: false, since: T0 });
    // Nothing new for 3 min: the states go unknown; the raised condition stays (the offline rule speaks for the logger).
    expect(later.tick(T0 + 10 * MIN)).toEqual([]);
    expect(later.facilityStates().get('line')).toMatchObject({ running: undefined, since: undefined, latest: { gkw: { value: 300 } } });
  });

  it('bypass-open at once, critical, clearing when closed again', () => {
    const engine = new FacilityEngine(lookupOf());
    const open = engine.onReading(signals(T0, { gbv02: 1, gsl02: 0 }), T0 + S);
    expect(open).toEqual([expect.objectContaining({ rule: 'bypass-open', factor: 'gbv02', type: 'exceeded', severity: 'critical' })]);
    expect(brief(engine.onReading(signals(T0 + MIN, { gbv02: 0, gsl02: 0 }), T0 + MIN + S))).toEqual(['bypass-open:gbv02:normal']);
  });

  it('start-order: the line starting 2 min after the RTO breaches; the next start 10 min after clears it', () => {
    const engine = new FacilityEngine(lookupOf());
    minutes(engine, T0, 3, { gkw01: 0, gkw02: 0 });
    minutes(engine, T0 + 3 * MIN, 2, { gkw01: 0, gkw02: 60 });
    const started = engine.onReading(signals(T0 + 5 * MIN, { gkw01: 300, gkw02: 60 }), T0 + 5 * MIN + S);
    expect(started).toEqual([
      expect.objectContaining({ rule: 'start-order', factor: 'gkw02', type: 'exceeded', value: 120, limit: 300, unit: 's' }),
    ]);
    minutes(engine, T0 + 6 * MIN, 10, { gkw01: 300, gkw02: 60 });
    // Stopped in order: the line at +16, the RTO at +22 (6 min after).
    minutes(engine, T0 + 16 * MIN, 6, { gkw01: 0, gkw02: 60 });
    expect(brief(engine.onReading(signals(T0 + 22 * MIN, { gkw01: 0, gkw02: 0 }), T0 + 22 * MIN + S))).toEqual([
      'start-order:gkw02:normal',
    ]);
  });

  it('reductant-stopped from the outlet CEMS’ converted NOx above its limit', () => {
    const engine = new FacilityEngine(lookupOf());
    const cems = (ts: number, nox: number): Reading => ({
      mn: CEMS.mn,
      enterpriseId: 'e',
      kind: 'cems',
      cn: '2011',
      ts,
      factors: { a21002: v(nox), a19001: v(6) },
    });
    const out: Finding[] = [];
    for (let i = 0; i <= 10; i++) {
      out.push(...engine.onReading(cems(T0 + i * MIN, 70), T0 + i * MIN + S));
      out.push(...engine.onReading(signals(T0 + i * MIN, { gkw01: 300, gqr03: 0 }), T0 + i * MIN + 2 * S));
    }
    expect(brief(out)).toEqual(['reductant-stopped:gqr03:exceeded']);
    expect(out[0]).toMatchObject({ ts: T0 + 10 * MIN, evidence: { nox: 70, noxLimit: 50, outletMn: CEMS.mn, o2Converted: true } });
    // Look-alike: the same with NOx at 40 (below 50) never fires.
    const calm = new FacilityEngine(lookupOf());
    for (let i = 0; i <= 20; i++) {
      calm.onReading(cems(T0 + i * MIN, 40), T0 + i * MIN + S);
      expect(calm.onReading(signals(T0 + i * MIN, { gkw01: 300, gqr03: 0 }), T0 + i * MIN + 2 * S)).toEqual([]);
    }
  });

  it('a restart restores raised conditions and running states: the next normal reading clears the alert', () => {
    const engine = new FacilityEngine(lookupOf());
    minutes(engine, T0, 7, { gkw01: 300, gkw02: 0 });
    const saved = JSON.parse(JSON.stringify(engine.snapshot())) as unknown;
    const after = new FacilityEngine(lookupOf());
    after.restore(saved);
    expect(after.facilityStates().get('rto')).toMatchObject({ running: false, since: T0 });
    expect(brief(after.onReading(signals(T0 + 7 * MIN, { gkw01: 300, gkw02: 60 }), T0 + 7 * MIN + S))).toEqual([
      'treatment-off:gkw02:normal',
    ]);
    // A fresh engine (nothing restored) would not have cleared anything.
    expect(new FacilityEngine(lookupOf()).onReading(signals(T0 + 7 * MIN, { gkw01: 300, gkw02: 60 }), T0 + 7 * MIN + S)).toEqual([]);
    expect(() => after.restore({ version: 99, facilities: {}, loggers: {}, outlets: {} })).toThrow(RuleStateError);
  });

  it('follows the registry: a facility added is judged, a removed one forgotten', () => {
    const facilities = [FACILITIES[0] as Facility];
    let current = facilities;
    const engine = new FacilityEngine({ facilities: () => current, subject: (mn) => subjects.get(mn) });
    expect(minutes(engine, T0, 7, { gkw01: 300, gkw02: 0 })).toEqual([]);
    current = [...FACILITIES];
    // Its signals count from the change: off from +7 min, raised at +12.
    expect(brief(minutes(engine, T0 + 7 * MIN, 6, { gkw01: 300, gkw02: 0 }))).toEqual(['treatment-off:gkw02:exceeded']);
    current = [FACILITIES[0] as Facility];
    engine.follow(['rto']);
    expect([...engine.facilityStates().keys()]).toEqual(['line']);
  });

  it('ignores readings of sources no facility names', () => {
    const engine = new FacilityEngine(lookupOf());
    expect(engine.onReading({ ...signals(T0, { gkw02: 0 }), mn: '211300GKJK00000000000099' }, T0)).toEqual([]);
    expect(engine.facilityStates().get('rto')?.latest).toEqual({});
  });
});
