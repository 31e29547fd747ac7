import { describe, expect, it } from 'vitest';
import type { KeyIndicator, LevelMeasure, ReductionEntry } from './reduction-list';
import { reductionEntrySchema } from './reduction-list-schema';
import { peakShiftAt, peakShiftMeasure } from './reduction-schedule';

const OFFSET = 480;
const MN = '370300CEMS00000000000201';
const power: KeyIndicator = { kind: 'line-power', facilityId: 'kiln-1', maxKw: 200 };
const flow: KeyIndicator = { kind: 'outlet-flow', mn: MN, maxM3h: 5000 };
const nox: KeyIndicator = { kind: 'limit', mn: MN, code: 'a21002', limit: 50 };
const m = (action: LevelMeasure['action'], indicators: KeyIndicator[] = []): LevelMeasure => ({
  action,
  ...(action === 'limit' && { limitToPct: 50 }),
  indicators,
  expectedKgH: {},
});
const entry = (yellow: LevelMeasure, orange: LevelMeasure, red: LevelMeasure, peakShift?: ReductionEntry['peakShift']) => ({
  measures: { yellow, orange, red },
  ...(peakShift && { peakShift }),
});
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('peakShiftMeasure: a schedule is judged as a stop, on the strictest level’s power and flow indicators', () => {
  it.each<[string, ReturnType<typeof entry>, KeyIndicator[]]>([
    ['red’s power', entry(m('limit', [flow]), m('limit', [flow]), m('stop', [power])), [power]],
    ['red has only a concentration limit: orange’s flow', entry(m('unchanged'), m('limit', [flow, nox]), m('limit', [nox])), [flow]],
    ['no power or flow anywhere: the outlets’ flags', entry(m('unchanged'), m('unchanged'), m('limit', [nox])), []],
  ])('%s', (_what, e, indicators) => {
    expect(peakShiftMeasure(e)).toMatchObject({ action: 'stop', indicators });
  });
});

describe('peakShiftAt: the whole hour inside a period (local dates, both whole days)', () => {
  const e = {
    peakShift: [
      { from: '2026-11-15', to: '2027-03-15', note: '采暖季错峰停窑' },
      { from: '2027-05-01', to: '2027-05-03' },
    ],
  };
  it.each<[string, number, string | undefined]>([
    ['the first hour of the first day', at('2026-11-15T00:00:00'), '2026-11-15'],
    ['the hour before it', at('2026-11-14T23:00:00'), undefined],
    ['the last hour of the last day', at('2027-03-15T23:00:00'), '2026-11-15'],
    ['the day after', at('2027-03-16T00:00:00'), undefined],
    ['across the new year', at('2027-01-01T12:00:00'), '2026-11-15'],
    ['in the second period', at('2027-05-02T08:00:00'), '2027-05-01'],
    ['between periods', at('2027-04-10T08:00:00'), undefined],
  ])('%s', (_what, hour, from) => {
    expect(peakShiftAt(e, hour, OFFSET)?.from).toBe(from);
  });
  it('an entry without a schedule has none', () => {
    expect(peakShiftAt({}, at('2027-01-01T12:00:00'), OFFSET)).toBeUndefined();
  });
});

describe('the schedule in a list entry', () => {
  const base = {
    id: 'e1',
    name: '1#熟料生产线',
    outletMns: [MN],
    measures: { yellow: m('stop', [power]), orange: m('stop', [power]), red: m('stop', [power]) },
    responsible: { name: '李工', phone: '13800000000' },
  };
  it.each<[string, unknown, string | null]>([
    ['a heating-season stop', [{ from: '2026-11-15', to: '2027-03-15', note: '采暖季错峰停窑' }], null],
    ['one day', [{ from: '2027-05-01', to: '2027-05-01' }], null],
    ['ends before it starts', [{ from: '2027-03-15', to: '2026-11-15' }], 'ends on or after its start'],
    ['not a date', [{ from: '2026-02-30', to: '2026-03-15' }], 'YYYY-MM-DD'],
    ['longer than 18 months', [{ from: '2026-01-01', to: '2027-12-31' }], 'at most 18 months'],
  ])('%s', (_what, peakShift, error) => {
    const r = reductionEntrySchema.safeParse({ ...base, peakShift });
    expect(r.success ? null : r.error.issues.map((i) => i.message).join('; ')).toEqual(
      error === null ? null : expect.stringContaining(error),
    );
  });
});
