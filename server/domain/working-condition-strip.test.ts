import { describe, expect, it } from 'vitest';
import { registrySchema } from './registry';
import { stripCn, stripFindings, stripPlan, type StripAlert } from './working-condition-strip';

const at = { lat: 41.6, lon: 120.1, intervalS: 60 };
const LOGGER = '211300GKJK00000000000001';
const OUT = '211300VOCS00000000000004';
const registry = registrySchema.parse({
  enterprises: [
    { id: 'chem', name: '化工', district: '朝阳县' },
    { id: 'other', name: '其他', district: '朝阳县' },
  ],
  sources: [
    { mn: LOGGER, enterpriseId: 'chem', name: '工况', kind: 'condition', ...at },
    { mn: OUT, enterpriseId: 'chem', name: 'RTO出口', kind: 'vocs', ...at },
    { mn: '211300VOCS00000000000006', enterpriseId: 'chem', name: '火炬', kind: 'vocs', flare: true, ...at },
    { mn: '211300VOCS00000000000009', enterpriseId: 'other', name: '别家', kind: 'vocs', ...at },
  ],
  facilities: [
    {
      id: 'rto',
      enterpriseId: 'chem',
      kind: 'treatment',
      name: 'RTO',
      technology: 'RTO',
      serves: 'line',
      outletMns: [OUT],
      mn: LOGGER,
      channel: '02',
      runningKw: 40,
      minTempC: 760,
    },
    { id: 'line', enterpriseId: 'chem', kind: 'production-line', name: '合成车间', mn: LOGGER, channel: '01', runningKw: 80 },
    { id: 'meter', enterpriseId: 'chem', kind: 'power-meter', name: '电表', serves: 'rto' },
  ],
});
const limitOf = (mn: string, factor: string) => (mn === OUT && factor === 'a24088' ? 60 : undefined);

describe('stripPlan', () => {
  it('production first, then treatment by role with its thresholds, then each outlet’s main emission with its limit', () => {
    expect(stripPlan(registry, 'chem', limitOf).map((l) => [l.group, l.mn, l.code, l.threshold?.kind ?? null])).toEqual([
      ['production', LOGGER, 'gkw01', 'runningKw'],
      ['treatment', LOGGER, 'gkw02', 'runningKw'],
      ['treatment', LOGGER, 'gia02', null],
      ['treatment', LOGGER, 'gtc02', 'minTempC'],
      ['emission', OUT, 'a24088', 'limit'],
      ['emission', '211300VOCS00000000000006', 'aft01', null],
    ]);
  });

  it('narrowed to an outlet: the facilities feeding it, the line they serve, the outlet', () => {
    const lanes = stripPlan(registry, 'chem', limitOf, OUT);
    expect([...new Set(lanes.map((l) => l.facilityId ?? l.mn))]).toEqual(['line', 'rto', OUT]);
  });

  it('reads minute data up to three days, hourly beyond', () => {
    expect(stripCn(0, 3 * 86_400_000)).toBe('2051');
    expect(stripCn(0, 3 * 86_400_000 + 1)).toBe('2061');
  });
});

describe('stripFindings', () => {
  const lanes = stripPlan(registry, 'chem', limitOf);
  const alert = (over: Partial<StripAlert>): StripAlert => ({
    id: 1,
    rule: 'treatment-off',
    severity: 'major',
    mn: LOGGER,
    factor: 'gkw02',
    openedAt: 1000,
    clearedAt: 2000,
    closedAt: null,
    ...over,
  });

  it('marks the facility rules overlapping the range, tied to the facility of the signal', () => {
    const found = stripFindings(
      [
        alert({ id: 1 }),
        alert({ id: 2, rule: 'start-order', factor: 'grs01', openedAt: 500, clearedAt: null }),
        alert({ id: 3, rule: 'limit-instant', mn: OUT, factor: 'a24088' }), // not a facility rule
        alert({ id: 4, openedAt: 100, clearedAt: 200 }), // over before the range
        alert({ id: 5, openedAt: 5000, clearedAt: null }), // after it
        alert({ id: 6, mn: '211300VOCS00000000000009' }), // not on the strip
      ],
      lanes,
      900,
      3000,
    );
    expect(found).toEqual([
      { alertId: 2, rule: 'start-order', severity: 'major', mn: LOGGER, factor: 'grs01', facilityId: 'line', from: 500, to: null },
      { alertId: 1, rule: 'treatment-off', severity: 'major', mn: LOGGER, factor: 'gkw02', facilityId: 'rto', from: 1000, to: 2000 },
    ]);
  });
});
