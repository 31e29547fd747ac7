import type { SourceView } from '@domain/events';
import type { FactorValue } from '@domain/reading';
import { describe, expect, it } from 'vitest';
import { bypassState, cardValues, sameItems } from './card-values';

const MN = '370300CEMS00000000000101';
type CardSource = Pick<SourceView, 'mn' | 'kind' | 'latest'>;
const source = (factors: Record<string, FactorValue>, kind: SourceView['kind'] = 'cems'): CardSource => ({
  mn: MN,
  kind,
  latest: { mn: MN, cn: '2011', ts: 0, factors },
});
type AlertOver = Partial<{ state: 'active' | 'cleared'; closedAt: number | null; value: number }>;
const alert = (factor: string, rule: string, over: AlertOver = {}) => ({
  mn: MN,
  factor,
  rule,
  state: 'active' as const,
  closedAt: null,
  value: 1,
  ...over,
});

describe('cardValues', () => {
  it.each([
    ['valid value, no alert', 'N', [], 'normal'],
    ['valid value over its limit', 'N', [alert('a21002', 'limit-instant')], 'exceeding'],
    ['valid value, alert cleared', 'N', [alert('a21002', 'limit-instant', { state: 'cleared' })], 'normal'],
    ['maintenance-flagged value with its flag alert', 'M', [alert('a21002', 'maintenance-flag')], 'flagged'],
    ['maintenance-flagged value while a limit alert is still open', 'M', [alert('a21002', 'limit-instant')], 'flagged'],
    ['fault-flagged value', 'D', [alert('a21002', 'instrument-fault')], 'flagged'],
    ['valid value after maintenance, flag alert still open', 'N', [alert('a21002', 'maintenance-flag')], 'normal'],
    ['another source’s alert', 'N', [{ ...alert('a21002', 'limit-instant'), mn: 'OTHER' }], 'normal'],
    ['valid value parked under its limit (near-limit, suspected)', 'N', [alert('a21002', 'near-limit')], 'normal'],
    ['valid value after a step drop (step-drop, suspected)', 'N', [alert('a21002', 'step-drop')], 'normal'],
  ] as const)('%s: %s → %s', (_what, flag, alerts, tone) => {
    const [v] = cardValues(source({ a21002: { rtd: 60, flag } }), alerts, 'a21002');
    expect(v?.tone).toBe(tone);
  });

  it('marks stack concentrations measured, with the converted value when sent', () => {
    const factors = { a19001: { rtd: 9, flag: 'N' }, a21002: { rtd: 31.2, zs: 40.1, flag: 'N' }, a21026: { rtd: 12, flag: 'N' } } as const;
    const values = cardValues(source(factors), [], 'a21002');
    expect(values.map((v) => [v.code, v.measured, v.converted, v.marked])).toEqual([
      ['a21002', 31.2, 40.1, true],
      ['a19001', 9, undefined, false],
      ['a21026', 12, undefined, true],
    ]);
  });

  it('leaves ambient concentrations unmarked and the bypass flow to the bypass state', () => {
    expect(cardValues(source({ a05024: { rtd: 120, flag: 'N' } }, 'ambient'), [], 'a05024')[0]?.marked).toBe(false);
    const withBypass = source({ abp01: { rtd: 0.5, flag: 'N' }, a21002: { rtd: 1, flag: 'N' } });
    expect(cardValues(withBypass, [], 'a21002').map((v) => v.code)).toEqual(['a21002']);
  });
});

describe('bypassState', () => {
  it.each([
    ['no bypass reported, no alert', {}, [], null],
    ['flow 0: closed', { abp01: { rtd: 0, flag: 'N' } }, [], { open: false, value: 0 }],
    ['flow: open', { abp01: { rtd: 0.52, flag: 'N' } }, [alert('abp01', 'bypass', { value: 0.52 })], { open: true, value: 0.52 }],
    [
      'latest reading without the bypass, alert open',
      { a21002: { rtd: 1, flag: 'N' } },
      [alert('abp01', 'bypass', { value: 0.8 })],
      { open: true, value: 0.8 },
    ],
    ['alert closed', {}, [alert('abp01', 'bypass', { closedAt: 5 })], null],
  ] as const)('%s', (_what, factors, alerts, expected) => {
    expect(bypassState(source(factors as Record<string, FactorValue>), alerts)).toEqual(expected);
  });
});

describe('sameItems', () => {
  const a = { id: 1 };
  const b = { id: 2 };
  it.each<[string, object[], object[], boolean]>([
    ['both empty', [], [], true],
    ['the same objects in order', [a, b], [a, b], true],
    ['another order', [a, b], [b, a], false],
    ['one more', [a], [a, b], false],
    ['an equal copy is another item (an alert changed)', [a], [{ id: 1 }], false],
  ])('%s', (_, x, y, same) => {
    expect(sameItems(x, y)).toBe(same);
  });
});
