import { describe, expect, it } from 'vitest';
import { parseRulePack } from '../domain/rule-pack';
import { RuleBook } from './rule-book';
import { AMMONIA, CEMS, LIMIT_PACK, MN } from './test-kit';

const registry = { enterprises: [{ id: 'e', name: 'E', district: 'd' }], sources: [CEMS, AMMONIA] };

describe('RuleBook.conversionOf: the O2 conversion the rules use, for reports', () => {
  it.each([
    ['the default cap of 19 %', {}, undefined, { o2Ref: 6, o2Cap: 19 }],
    ['the pack’s cap', { o2Conversion: { measuredCap: 20 } }, undefined, { o2Ref: 6, o2Cap: 20 }],
    ['a source override’s cap', { o2Conversion: { measuredCap: 20 } }, { rules: { o2Conversion: { measuredCap: 18 } } },
      { o2Ref: 6, o2Cap: 18 }],
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
