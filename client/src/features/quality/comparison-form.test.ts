import { describe, expect, it } from 'vitest';
import { checkComparisonForm, parseReferenceValues, type ComparisonFormDraft } from './comparison-form';

const H = 3_600_000;
const NOW = 100 * H;
const draft: ComparisonFormDraft = { mn: 'MN1', factor: 'a21026', range: [90 * H, 91 * H], values: '10, 12', note: ' 市监测站 ' };

describe('comparison form', () => {
  it.each([
    ['10, 12', [10, 12]],
    ['10，12 14', [10, 12, 14]],
    ['10.5\n11', [10.5, 11]],
    ['', null],
    ['10, abc', null],
    ['-3', null],
  ])('reference values %j → %j', (text, expected) => {
    expect(parseReferenceValues(text)).toEqual(expected);
  });

  it('a complete draft becomes the body, the note trimmed', () => {
    expect(checkComparisonForm(draft, NOW, 24)).toEqual({
      ok: true,
      body: { mn: 'MN1', factor: 'a21026', from: 90 * H, to: 91 * H, referenceValues: [10, 12], note: '市监测站' },
    });
    expect(checkComparisonForm({ ...draft, note: '' }, NOW, 24)).toMatchObject({ ok: true, body: { referenceValues: [10, 12] } });
  });

  it.each<[string, Partial<ComparisonFormDraft>, string]>([
    ['no source', { mn: '' }, 'source'],
    ['no factor', { factor: '' }, 'factor'],
    ['no period', { range: null }, 'range'],
    ['period backwards', { range: [91 * H, 90 * H] }, 'rangeOrder'],
    ['period over 24 h', { range: [60 * H, 90 * H] }, 'rangeTooLong'],
    ['period not ended', { range: [99 * H, 101 * H] }, 'rangeNotEnded'],
    ['a value not a number', { values: '10 x' }, 'values'],
  ])('%s → %s', (_n, change, problem) => {
    expect(checkComparisonForm({ ...draft, ...change }, NOW, 24)).toEqual({ ok: false, problem });
  });
});
