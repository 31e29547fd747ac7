/**
 * The working-condition rules of issue 16, one table per rule: each judges a facility at one
 * instant. Every table has a true case and a look-alike that must not fire.
 */
import { describe, expect, it } from 'vitest';
import { facilitySchema, type Facility } from '../domain/registry';
import { DEFAULT_RULE_PARAMS } from '../domain/rule-pack';
import { bypassOpenRule } from './bypass-open-rule';
import { combustionTempLowRule } from './combustion-temp-low-rule';
import { runningOf, type FacilityInput, type FacilityView, type FreshValues, type SustainedRule } from './facility-context';
import { fgrClosedRule } from './fgr-closed-rule';
import { flareUpsetRule } from './flare-upset-rule';
import { reductantStoppedRule } from './reductant-stopped-rule';
import { onLineStart, onTreatmentStop } from './start-order-rule';
import { treatmentOffRule } from './treatment-off-rule';
import { MIN, T0 } from './test-kit';

const LOGGER = '211300GKJK00000000000001';
const OUTLET = '211300CEMS00000000000001';
const fac = (fields: Partial<Facility> & Pick<Facility, 'id' | 'kind'>): Facility =>
  facilitySchema.parse({ enterpriseId: 'e', name: fields.id, mn: LOGGER, channel: '01', ...fields });
const LINE = fac({ id: 'line', kind: 'production-line', name: '合成车间', runningKw: 80 });
const RTO = fac({ id: 'rto', kind: 'treatment', name: 'RTO', serves: 'line', channel: '02', runningKw: 40, minTempC: 800 });
const SCR = fac({ id: 'scr', kind: 'treatment', name: 'SCR', serves: 'line', channel: '03', outletMns: [OUTLET] });
const FLARE = fac({ id: 'flare', kind: 'treatment', name: '火炬', channel: '04' });
const FAN = fac({ id: 'fan', kind: 'production-line', name: '排油烟风机', channel: '07', runningKw: 1 });
const PURIFIER = fac({ id: 'purifier', kind: 'treatment', name: '油烟净化器', serves: 'fan', channel: '08', runningKw: 0.5 });
const BOILER = fac({ id: 'boiler', kind: 'production-line', name: '锅炉', channel: '05', runningA: 20 });
const FGR = fac({ id: 'fgr', kind: 'treatment', name: '烟气再循环', serves: 'boiler', channel: '09' });

const vals = (v: Record<string, number>): FreshValues =>
  Object.fromEntries(Object.entries(v).map(([k, value]) => [k, { value, ts: T0 }])) as FreshValues;
const view = (facility: Facility, v: Record<string, number>, since: number | null = T0 - 30 * MIN): FacilityView => {
  const values = vals(v);
  const running = runningOf(facility, values);
  return { facility, running, since: running === null ? null : since, values };
};
const input = (self: FacilityView, served?: FacilityView, outlets: FacilityInput['outlets'] = []): FacilityInput => ({
  self,
  served,
  outlets,
  params: DEFAULT_RULE_PARAMS,
  at: T0,
});
const verdict = (rule: SustainedRule, i: FacilityInput) => {
  const j = rule.judge(i);
  return j === null ? 'unknown' : j.holds ? `holds ${j.family} ${j.value}/${j.limit}` : 'clear';
};

describe('running state of a facility', () => {
  it.each<[string, Facility, Record<string, number>, boolean | null]>([
    ['power at the threshold runs', LINE, { gkw: 80 }, true],
    ['power below it does not', LINE, { gkw: 79.9 }, false],
    ['current at the threshold runs', BOILER, { gia: 20 }, true],
    ['running state 1 runs, whatever the power', LINE, { gkw: 3, grs: 1 }, true],
    ['running state 0 and no power: stopped', LINE, { grs: 0 }, false],
    ['calibrating (2) says nothing', LINE, { grs: 2 }, null],
    ['power without a threshold says nothing', BOILER, { gkw: 500 }, null],
    ['nothing fresh: unknown', LINE, {}, null],
  ])('%s', (_, f, v, running) => {
    expect(runningOf(f, vals(v))).toBe(running);
  });
});

describe('treatment-off', () => {
  it.each<[string, FacilityInput, string]>([
    ['RTO at 5 kW while the line draws 300 kW', input(view(RTO, { gkw: 5 }), view(LINE, { gkw: 300 })), 'holds gkw 5/40'],
    ['RTO stopped (grs 0) while the line runs', input(view(RTO, { grs: 0 }), view(LINE, { gkw: 300 })), 'holds grs 0/1'],
    // Look-alikes: both stopped (a plant shut down); RTO low but running by its state; the line unknown.
    ['RTO off while the line is off too', input(view(RTO, { gkw: 5 }), view(LINE, { gkw: 2 })), 'clear'],
    ['RTO running by current state while power reads low', input(view(RTO, { gkw: 5, grs: 1 }), view(LINE, { gkw: 300 })), 'clear'],
    ['line state unknown', input(view(RTO, { gkw: 5 }), view(LINE, {})), 'unknown'],
    // A kitchen: its purifier (treatment) off while the exhaust fan it serves (registered as the production line) runs.
    ['catering purifier off while its fan runs', input(view(PURIFIER, { gkw: 0.1 }), view(FAN, { gkw: 3.2 })), 'holds gkw 0.1/0.5'],
    ['catering purifier on while its fan runs', input(view(PURIFIER, { gkw: 1.4 }), view(FAN, { gkw: 3.2 })), 'clear'],
    ['a production line is not judged', input(view(LINE, { gkw: 0 }), view(RTO, { gkw: 100 })), 'clear'],
  ])('%s → %s', (_, i, expected) => {
    expect(verdict(treatmentOffRule, i)).toBe(expected);
  });

  it('evidence names the facility, its line and what was seen', () => {
    const j = treatmentOffRule.judge(input(view(RTO, { gkw: 5 }, T0 - 6 * MIN), view(LINE, { gkw: 300 }, T0 - 60 * MIN)));
    expect(j).toMatchObject({
      evidence: {
        facilityId: 'rto',
        facility: 'RTO',
        stoppedSince: T0 - 6 * MIN,
        lineId: 'line',
        line: '合成车间',
        lineRunning: true,
        lineSince: T0 - 60 * MIN,
        linePowerKw: 300,
      },
    });
  });
});

describe('combustion-temp-low', () => {
  it.each<[string, FacilityInput, string]>([
    ['RTO at 700 °C (min 800, its own) with its fan running', input(view(RTO, { gtc: 700, gkw: 60 })), 'holds gtc 700/800'],
    // Look-alikes: 780 °C is above the pack's 760 but below the facility's 800 → holds; at 800 it does not.
    ['RTO at 780 °C: below its own 800', input(view(RTO, { gtc: 780, gkw: 60 })), 'holds gtc 780/800'],
    ['RTO at 800 °C', input(view(RTO, { gtc: 800, gkw: 60 })), 'clear'],
    ['RTO cold because its fan is off (a stop, not an upset)', input(view(RTO, { gtc: 200, gkw: 0 })), 'clear'],
    ['no fresh temperature', input(view(RTO, { gkw: 60 })), 'unknown'],
  ])('%s → %s', (_, i, expected) => {
    expect(verdict(combustionTempLowRule, i)).toBe(expected);
  });

  it('the pack’s minimum where the facility has none', () => {
    const noMin = fac({ id: 'rco', kind: 'treatment', channel: '06', runningKw: 10 });
    expect(verdict(combustionTempLowRule, input(view(noMin, { gtc: 750, gkw: 20 })))).toBe('holds gtc 750/760');
  });
});

describe('reductant-stopped', () => {
  const noxAbove = [{ mn: OUTLET, value: 72, limit: 50, o2Converted: true, ts: T0, at: T0 }];
  const noxBelow = [{ mn: OUTLET, value: 38, limit: 50, o2Converted: true, ts: T0, at: T0 }];
  it.each<[string, FacilityInput, string]>([
    ['no reductant, line running, NOx 72 over 50', input(view(SCR, { gqr: 0 }), view(LINE, { gkw: 300 }), noxAbove), 'holds gqr 0/0.1'],
    // Look-alikes: NOx within its limit (low-load, reductant not needed); reductant flowing; line stopped.
    ['no reductant but NOx within its limit', input(view(SCR, { gqr: 0 }), view(LINE, { gkw: 300 }), noxBelow), 'clear'],
    ['reductant flowing, NOx over', input(view(SCR, { gqr: 35 }), view(LINE, { gkw: 300 }), noxAbove), 'clear'],
    ['line stopped', input(view(SCR, { gqr: 0 }), view(LINE, { gkw: 0 }), noxAbove), 'clear'],
    ['no NOx seen', input(view(SCR, { gqr: 0 }), view(LINE, { gkw: 300 })), 'clear'],
  ])('%s → %s', (_, i, expected) => {
    expect(verdict(reductantStoppedRule, i)).toBe(expected);
  });

  it('evidence names the outlet, its NOx and limit', () => {
    expect(reductantStoppedRule.judge(input(view(SCR, { gqr: 0 }), view(LINE, { gkw: 300 }), noxAbove))).toMatchObject({
      evidence: { facilityId: 'scr', outletMn: OUTLET, nox: 72, noxLimit: 50, o2Converted: true, reductantFlow: 0, lineRunning: true },
    });
  });
});

describe('flare-upset', () => {
  it.each<[string, Record<string, number>, string]>([
    ['gas with no assist gas', { gqf: 120, gqa: 0, gtc: 900, gpf: 1 }, 'holds gqf 120/0'],
    ['gas at 600 °C', { gqf: 120, gqa: 40, gtc: 600, gpf: 1 }, 'holds gqf 120/0'],
    ['gas with the pilot flame out', { gqf: 120, gqa: 40, gtc: 900, gpf: 0 }, 'holds gqf 120/0'],
    // Look-alikes: no gas (a cold, idle flare with its assist off); gas burning properly.
    ['no gas to the flare, assist off and cold', { gqf: 0, gqa: 0, gtc: 80, gpf: 1 }, 'clear'],
    ['gas burning with assist, hot, pilot lit', { gqf: 120, gqa: 40, gtc: 900, gpf: 1 }, 'clear'],
  ])('%s → %s', (_, v, expected) => {
    expect(verdict(flareUpsetRule, input(view(FLARE, v)))).toBe(expected);
  });

  it('evidence says what was wrong', () => {
    expect(flareUpsetRule.judge(input(view(FLARE, { gqf: 120, gqa: 0, gtc: 900 })))).toMatchObject({
      evidence: {
        facility: '火炬',
        gasFlow: 120,
        assistFlow: 0,
        tempC: 900,
        minTempC: 760,
        pilotLit: null,
        noAssist: true,
        tempLow: false,
      },
    });
  });
});

describe('fgr-closed', () => {
  it.each<[string, FacilityInput, string]>([
    ['valve at 2 % while the boiler fires', input(view(BOILER, { gvp: 2, gia: 45 })), 'holds gvp 2/5'],
    // Look-alikes: valve closed with the boiler off; valve open while firing; not a production line.
    ['valve closed, boiler off', input(view(BOILER, { gvp: 0, gia: 1 })), 'clear'],
    ['valve at 30 % while firing', input(view(BOILER, { gvp: 30, gia: 45 })), 'clear'],
    ['a treatment facility’s valve, serving nothing', input(view({ ...RTO, runningA: 1 }, { gvp: 0, gia: 45 })), 'unknown'],
    // The FGR registered as a treatment facility serving the boiler: judged on the boiler it serves.
    ['the FGR’s valve at 0 % while the boiler it serves fires', input(view(FGR, { gvp: 0 }), view(BOILER, { gia: 45 })), 'holds gvp 0/5'],
    ['the FGR’s valve at 0 % with its boiler off', input(view(FGR, { gvp: 0 }), view(BOILER, { gia: 1 })), 'clear'],
  ])('%s → %s', (_, i, expected) => {
    expect(verdict(fgrClosedRule, i)).toBe(expected);
  });
});

describe('bypass-open', () => {
  it.each<[string, Record<string, number>, string]>([
    ['valve open', { gbv: 1, gsl: 0 }, 'holds gbv 1/0'],
    ['seal broken, valve closed', { gbv: 0, gsl: 1 }, 'holds gbv 0/0'],
    ['seal broken on a facility with no valve signal', { gsl: 1 }, 'holds gsl 1/0'],
    // Look-alike: closed and sealed; nothing fresh.
    ['valve closed and sealed', { gbv: 0, gsl: 0 }, 'clear'],
    ['no bypass signals', { gkw: 50 }, 'unknown'],
  ])('%s → %s', (_, v, expected) => {
    expect(verdict(bypassOpenRule, input(view(RTO, v)))).toBe(expected);
  });

  it('is critical at once', () => {
    expect(bypassOpenRule.durationMs(DEFAULT_RULE_PARAMS)).toBe(0);
    expect(bypassOpenRule.severity(DEFAULT_RULE_PARAMS)).toBe('critical');
  });
});

describe('start-order (先启后停)', () => {
  const start = { to: true, at: T0 };
  const stop = { to: false, at: T0 };
  const brief = (v: ReturnType<typeof onLineStart>) =>
    v === null ? 'none' : v.kind === 'breach' ? `breach ${v.value}/${v.limit}` : v.kind;
  it.each<[string, ReturnType<typeof onLineStart>, string]>([
    [
      'line starts 2 min after the RTO',
      onLineStart(view(RTO, { gkw: 60 }, T0 - 2 * MIN), view(LINE, { gkw: 300 }, T0), start, DEFAULT_RULE_PARAMS),
      'breach 120/300',
    ],
    [
      'line starts with the RTO off',
      onLineStart(view(RTO, { gkw: 0 }), view(LINE, { gkw: 300 }, T0), start, DEFAULT_RULE_PARAMS),
      'breach 0/300',
    ],
    // Look-alike: the RTO ran 10 min before the line started.
    [
      'line starts 10 min after the RTO',
      onLineStart(view(RTO, { gkw: 60 }, T0 - 10 * MIN), view(LINE, { gkw: 300 }, T0), start, DEFAULT_RULE_PARAMS),
      'inOrder',
    ],
    [
      'RTO stops while the line runs',
      onTreatmentStop(view(RTO, { gkw: 0 }, T0), view(LINE, { gkw: 300 }), stop, DEFAULT_RULE_PARAMS),
      'breach 0/300',
    ],
    [
      'RTO stops 1 min after the line',
      onTreatmentStop(view(RTO, { gkw: 0 }, T0), view(LINE, { gkw: 0 }, T0 - MIN), stop, DEFAULT_RULE_PARAMS),
      'breach 60/300',
    ],
    // Look-alike: the RTO stops 8 min after the line stopped.
    [
      'RTO stops 8 min after the line',
      onTreatmentStop(view(RTO, { gkw: 0 }, T0), view(LINE, { gkw: 0 }, T0 - 8 * MIN), stop, DEFAULT_RULE_PARAMS),
      'inOrder',
    ],
    [
      'line state unknown when the RTO stops',
      onTreatmentStop(view(RTO, { gkw: 0 }, T0), view(LINE, {}), stop, DEFAULT_RULE_PARAMS),
      'none',
    ],
  ])('%s → %s', (_, v, expected) => {
    expect(brief(v)).toBe(expected);
  });

  it('evidence names the line’s start and the treatment facility’s since', () => {
    const v = onLineStart(view(RTO, { gkw: 60 }, T0 - 2 * MIN), view(LINE, { gkw: 300 }, T0), start, DEFAULT_RULE_PARAMS);
    expect(v).toMatchObject({
      family: 'gkw',
      evidence: { facilityId: 'rto', line: '合成车间', lineStartedAt: T0, treatmentSince: T0 - 2 * MIN, leadS: 120, startLeadS: 300 },
    });
  });
});
