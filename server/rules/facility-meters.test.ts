/**
 * Power meters in the facility engine (issue 16): a meter (kind `power-meter`, on any logger of the
 * enterprise) serving a facility stands for that facility's power when it has none of its own fresh;
 * its own wins when both are fresh; several meters add up; a facility with no logger is keyed on its
 * first meter's; readings delivered by a file import are left to the import's own judgement.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { facilitySchema, type Facility } from '../domain/registry';
import { FacilityEngine } from './facility-engine';
import type { RuleSubject } from './rule-engine';
import { MIN, S, source, subject, T0, v } from './test-kit';

const LOGGER = source({ mn: '211300GKJK00000000000001', kind: 'condition', intervalS: 60 });
const GRID = source({ mn: '211300GKJK00000000000002', kind: 'condition', intervalS: 60 });
const SILENT = source({ mn: '211300GKJK00000000000003', kind: 'condition', intervalS: 60 });
const fac = (fields: Partial<Facility> & Pick<Facility, 'id' | 'kind'>): Facility =>
  facilitySchema.parse({ enterpriseId: 'e', name: `${fields.id}名`, ...fields });
const line = fac({ id: 'line', kind: 'production-line', mn: LOGGER.mn, channel: '01', runningKw: 80 });
/** The RTO sends its combustion temperature on channel 02; its fan's power comes from meters on the grid logger. */
const rto = fac({ id: 'rto', kind: 'treatment', serves: 'line', mn: LOGGER.mn, channel: '02', runningKw: 40 });
const meter = (id: string, channel: string, serves: string) =>
  fac({ id, kind: 'power-meter', serves, meterNo: `37032105000${channel}`, mn: GRID.mn, channel });
const subjects = new Map<string, RuleSubject>([LOGGER, GRID, SILENT].map((s) => [s.mn, subject(s)]));
const engineOf = (facilities: Facility[]) => new FacilityEngine({ facilities: () => facilities, subject: (mn) => subjects.get(mn) });

const at = (mn: string, ts: number, factors: Record<string, number>, extra: Partial<Reading> = {}): Reading => ({
  ...{ mn, enterpriseId: 'e', kind: 'condition', cn: '2011', ts },
  factors: Object.fromEntries(Object.entries(factors).map(([k, x]) => [k, v(x)])),
  ...extra,
});
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule}:${f.mn === GRID.mn ? 'grid' : 'logger'}:${f.factor}:${f.type}`);

/** Each minute for `count` minutes: the logger's values, then the grid logger's, arriving 1 s after. */
function run(engine: FacilityEngine, from: number, count: number, own: Record<string, number>, grid: Record<string, number>): Finding[] {
  return Array.from({ length: count }, (_, i) => {
    const ts = from + i * MIN;
    return [...engine.onReading(at(LOGGER.mn, ts, own), ts + S), ...engine.onReading(at(GRID.mn, ts, grid), ts + S)];
  }).flat();
}

describe('power meters in the facility engine', () => {
  it('the RTO’s meter at 2 kW under the running line for 5 min → treatment-off on the RTO, naming the meter', () => {
    const engine = engineOf([line, rto, meter('rto-meter', '05', 'rto')]);
    const out = run(engine, T0, 6, { gkw01: 300, gtc02: 850 }, { gkw05: 2 });
    expect(brief(out)).toEqual(['treatment-off:logger:gkw02:exceeded']);
    expect(out[0]).toMatchObject({ ts: T0 + 5 * MIN, value: 2, limit: 40, unit: 'kW' });
    expect(out[0]).toMatchObject({ evidence: { facilityId: 'rto', meterId: 'rto-meter', meter: 'rto-meter名', meterNo: '3703210500005' } });
    expect(engine.facilityStates().get('rto')).toMatchObject({ running: false, latest: { gkw: { value: 2 }, gtc: { value: 850 } } });
  });

  it.each([
    ['own power fresh and running, the meter at 0: the own wins', { gkw01: 300, gkw02: 60 }, { gkw05: 0 }, []],
    [
      'own power fresh and stopped, the meter at 60: the own wins',
      { gkw01: 300, gkw02: 3 },
      { gkw05: 60 },
      ['treatment-off:logger:gkw02:exceeded'],
    ],
    ['no own power, the meter at 60: running', { gkw01: 300 }, { gkw05: 60 }, []],
    ['two meters at 25 + 25 = 50 kW ≥ 40: running', { gkw01: 300 }, { gkw05: 25, gkw06: 25 }, []],
    ['two meters at 15 + 15 = 30 kW < 40: stopped', { gkw01: 300 }, { gkw05: 15, gkw06: 15 }, ['treatment-off:logger:gkw02:exceeded']],
    [
      'the line’s power from its meter too (the line’s own logger sends none)',
      { gtc02: 850 },
      { gkw05: 3, gkw07: 300 },
      ['treatment-off:logger:gkw02:exceeded'],
    ],
  ])('%s', (_case, own, grid, want) => {
    const engine = engineOf([line, rto, meter('m5', '05', 'rto'), meter('m6', '06', 'rto'), meter('m7', '07', 'line')]);
    expect(brief(run(engine, T0, 6, own, grid))).toEqual(want);
  });

  it('a meter with its own runningKw judges the load it measures by it (the RTO’s 40 kW is for its own power signal)', () => {
    const fan = { ...meter('m5', '05', 'rto'), runningKw: 10 };
    expect(run(engineOf([line, rto, fan]), T0, 6, { gkw01: 300 }, { gkw05: 20 })).toEqual([]);
    const out = run(engineOf([line, rto, fan]), T0, 6, { gkw01: 300 }, { gkw05: 5 });
    expect(out).toEqual([expect.objectContaining({ rule: 'treatment-off', value: 5, limit: 10 })]);
  });

  it('the RTO’s own logger silent (nothing on channel 02, nor the line on it): judged on its meter’s logger clock', () => {
    const silentRto = fac({ id: 'rto', kind: 'treatment', serves: 'line', mn: SILENT.mn, channel: '02', runningKw: 40 });
    const engine = engineOf([line, silentRto, meter('m5', '05', 'rto')]);
    const out = run(engine, T0, 6, { gkw01: 300 }, { gkw05: 1 });
    expect(out).toEqual([expect.objectContaining({ rule: 'treatment-off', mn: SILENT.mn, factor: 'gkw02', ts: T0 + 5 * MIN })]);
  });

  it('a stale meter says nothing: the facility’s running is unknown and nothing is raised', () => {
    const engine = engineOf([line, rto, meter('m5', '05', 'rto')]);
    engine.onReading(at(GRID.mn, T0, { gkw05: 2 }), T0 + S);
    const out = Array.from({ length: 8 }, (_, i) => engine.onReading(at(LOGGER.mn, T0 + i * MIN, { gkw01: 300 }), T0 + i * MIN + S)).flat();
    expect(out).toEqual([]);
    expect(engine.facilityStates().get('rto')?.running).toBeUndefined();
  });

  it('a facility with no logger is judged on its meter’s logger and keyed on the meter’s channel', () => {
    const bare = fac({ id: 'bare-rto', kind: 'treatment', serves: 'line', runningKw: 40 });
    const engine = engineOf([line, bare, meter('m5', '05', 'bare-rto')]);
    const out = run(engine, T0, 6, { gkw01: 300 }, { gkw05: 1 });
    // Raised at the logger's minute 5, repeated on the meter's own reading of that minute (its key's logger).
    expect(brief(out)).toEqual(['treatment-off:grid:gkw05:exceeded', 'treatment-off:grid:gkw05:exceeded']);
    expect(out[0]).toMatchObject({ ts: T0 + 5 * MIN, evidence: { facilityId: 'bare-rto', meterId: 'm5' } });
    expect(brief(run(engine, T0 + 6 * MIN, 1, { gkw01: 300 }, { gkw05: 55 }))).toEqual(['treatment-off:grid:gkw05:normal']);
  });

  it('readings of a file import are not judged live (nor do they move the logger’s clock)', () => {
    const engine = engineOf([line, rto, meter('m5', '05', 'rto')]);
    const imported = (ts: number) => at(GRID.mn, ts, { gkw05: 0 }, { cn: '2051', origin: 'import' });
    for (let i = 0; i < 8; i++) {
      expect(engine.onReading(at(LOGGER.mn, T0 + i * MIN, { gkw01: 300 }), T0 + i * MIN + S)).toEqual([]);
      expect(engine.onReading(imported(T0 + i * MIN), T0 + i * MIN + 2 * S)).toEqual([]);
    }
    expect(engine.facilityStates().get('m5')?.latest).toEqual({});
    expect(engine.snapshot().loggers[GRID.mn]).toBeUndefined();
  });
});
