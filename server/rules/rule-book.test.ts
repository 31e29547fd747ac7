import { describe, expect, it } from 'vitest';
import { EventBus } from '../domain/internal-events';
import { parseRulePack } from '../domain/rule-pack';
import { RegistryHolder } from '../registry/registry-holder';
import { RuleBook } from './rule-book';
import type { RuleSubject } from './rule-engine';
import { AMMONIA, CEMS, DAY0, HOUR, LIMIT_PACK, MN, S, source, T0 } from './test-kit';

const registry = new RegistryHolder({ enterprises: [{ id: 'e', name: 'E', district: 'd' }], sources: [CEMS, AMMONIA] }, new EventBus());

describe('RuleBook.conversionOf: the O2 conversion the rules use, for reports', () => {
  it.each([
    ['the default cap of 19 %', {}, undefined, { o2Ref: 6, o2Cap: 19 }],
    ['the pack’s cap', { o2Conversion: { measuredCap: 20 } }, undefined, { o2Ref: 6, o2Cap: 20 }],
    [
      'a source override’s cap',
      { o2Conversion: { measuredCap: 20 } },
      { rules: { o2Conversion: { measuredCap: 18 } } },
      { o2Ref: 6, o2Cap: 18 },
    ],
  ] as const)('%s', (_n, pack, override, expected) => {
    const book = new RuleBook(registry, LIMIT_PACK, parseRulePack(pack));
    if (override) book.setOverride(MN.cems, override);
    expect(book.conversionOf(MN.cems)).toEqual(expected);
  });

  it('a source without reference O2, and an unknown source', () => {
    const book = new RuleBook(registry, LIMIT_PACK, parseRulePack({}));
    expect(book.conversionOf(MN.ammonia)).toEqual({ o2Ref: undefined, o2Cap: 19 });
    expect(book.conversionOf('370300XXXX00000000000000')).toEqual({ o2Ref: undefined, o2Cap: 19 });
  });

  it('follows a pack changed over the API', () => {
    const book = new RuleBook(registry, LIMIT_PACK, parseRulePack({}));
    book.setPack({ o2Conversion: { measuredCap: 20 } });
    expect(book.conversionOf(MN.cems).o2Cap).toBe(20);
  });
});

describe('RuleBook on the live registry', () => {
  const permit = { max: 100, o2Converted: true, severity: 'major' } as const;
  const ultraLow = { max: 35, o2Converted: true, severity: 'critical' } as const;
  // A permit limit until the retrofit deadline 2026-07-01, the ultra-low limit from then on.
  const retrofitted = source({
    mn: MN.cems,
    kind: 'cems',
    o2Ref: 6,
    limitSchedule: [
      { factor: 'a21002', until: '2026-07-01', limit: permit },
      { factor: 'a21002', from: '2026-07-01', limit: ultraLow },
    ],
  });
  const enterprises = [{ id: 'e', name: 'E', district: 'd' }];
  const holder = () => new RegistryHolder({ enterprises, sources: [retrofitted, AMMONIA] }, new EventBus());

  it.each([
    ['the last second of the day before the deadline', DAY0 - S, permit],
    ['local midnight of the deadline', DAY0, ultraLow],
    ['later that day', DAY0 + 15 * HOUR, ultraLow],
    ['16:00 UTC the day before (already the deadline in China)', Date.UTC(2026, 5, 30, 16, 0, 0), ultraLow],
    ['15:59:59 UTC the day before (still the day before in China)', Date.UTC(2026, 5, 30, 15, 59, 59), permit],
  ] as const)('a dated limit in force by the local day: %s', (_n, at, expected) => {
    const book = new RuleBook(holder(), LIMIT_PACK, parseRulePack({}));
    expect(book.subject(MN.cems, at)?.limits['a21002']).toEqual(expected);
    expect(book.subject(MN.cems, at)?.limits['a21026']).toEqual(LIMIT_PACK.limits.cems.a21026); // the pack's default stays
  });

  it('with the clock: the dated limit switches at local midnight, the same subject within a day', () => {
    let now = DAY0 - 10 * S;
    const book = new RuleBook(holder(), LIMIT_PACK, parseRulePack({}), () => now);
    const before = book.subject(MN.cems);
    expect(before?.limits['a21002']?.max).toBe(100);
    now = DAY0 - S;
    expect(book.subject(MN.cems)).toBe(before);
    now = DAY0;
    expect(book.subject(MN.cems)?.limits['a21002']?.max).toBe(35);
  });

  it('a source’s new limits, kind and o2Ref count once the registry changes; a removed source is gone, a new one known', () => {
    const reg = holder();
    const book = new RuleBook(reg, LIMIT_PACK, parseRulePack({}), () => T0);
    expect(book.subject(MN.ammonia, T0)?.limits['a21001']?.max).toBe(8);
    const changed = source({ mn: MN.ammonia, kind: 'ammonia', limits: { a21001: { max: 2.5, o2Converted: false, severity: 'major' } } });
    const fresh = source({ mn: MN.vapour, kind: 'vapour' });
    reg.replace({ ...reg.current(), sources: [changed, fresh] }, 'test');
    expect(book.subject(MN.ammonia, T0)?.limits['a21001']?.max).toBe(2.5);
    expect(book.subject(MN.cems, T0)).toBeUndefined();
    expect(book.subject(MN.vapour, T0)?.limits['apr01']?.max).toBe(150);
    expect(book.mns()).toEqual([MN.ammonia, MN.vapour]);
    reg.replace({ ...reg.current(), sources: [source({ mn: MN.ammonia, kind: 'cems', o2Ref: 9 })] }, 'test');
    expect(book.subject(MN.ammonia, T0)?.source.kind).toBe('cems');
    expect(book.conversionOf(MN.ammonia).o2Ref).toBe(9);
  });
});

describe('RuleBook: what sources without their own settings share (issue 20: a province of them)', () => {
  const twin = source({ mn: '370300CEMS00000000000102', kind: 'cems', o2Ref: 6 });
  const own = source({
    mn: '370300CEMS00000000000103',
    kind: 'cems',
    limits: { a21026: { max: 50, o2Converted: true, severity: 'major' } },
  });
  const reg = () =>
    new RegistryHolder({ enterprises: [{ id: 'e', name: 'E', district: 'd' }], sources: [CEMS, twin, own, AMMONIA] }, new EventBus());

  it('one parameters object and one limits object of a kind; a source with its own gets its own', () => {
    const book = new RuleBook(
      reg(),
      LIMIT_PACK,
      parseRulePack({ sources: { [MN.ammonia]: { offline: { missedIntervals: 9 } } } }),
      () => T0,
    );
    const [a, b, c, d] = [MN.cems, twin.mn, own.mn, MN.ammonia].map((mn) => book.subject(mn, T0)!) as [
      RuleSubject,
      RuleSubject,
      RuleSubject,
      RuleSubject,
    ];
    expect(b.params).toBe(a.params);
    expect(b.limits).toBe(a.limits);
    expect(a.limits).toEqual(LIMIT_PACK.limits.cems);
    // Own limits: its own object, the pack's parameters shared.
    expect(c.limits).not.toBe(a.limits);
    expect(c.limits['a21026']?.max).toBe(50);
    expect(c.params).toBe(a.params);
    // The pack's section for this source: its own parameters.
    expect(d.params).not.toBe(a.params);
    expect(d.params.offline.missedIntervals).toBe(9);
    expect(a.params.offline.missedIntervals).not.toBe(9);
  });

  it('an override, then a new pack: the source’s own parameters, then the new pack’s shared ones', () => {
    const book = new RuleBook(reg(), LIMIT_PACK, parseRulePack({}), () => T0);
    const before = book.subject(MN.cems, T0)!.params;
    book.setOverride(MN.cems, {
      rules: { offline: { missedIntervals: 12 } },
      limits: { a21026: { max: 20, o2Converted: true, severity: 'major' } },
    });
    const overridden = book.subject(MN.cems, T0)!;
    expect(overridden.params.offline.missedIntervals).toBe(12);
    expect(overridden.limits['a21026']?.max).toBe(20);
    expect(book.subject(twin.mn, T0)!.params).toBe(before);
    expect(book.subject(twin.mn, T0)!.limits['a21026']?.max).toBe(LIMIT_PACK.limits.cems.a21026?.max);
    book.setPack({ offline: { missedIntervals: 7 } });
    const after = book.subject(twin.mn, T0)!;
    expect(after.params).not.toBe(before);
    expect(after.params.offline.missedIntervals).toBe(7);
    expect(book.subject(MN.ammonia, T0)!.params).toBe(after.params);
  });
});
