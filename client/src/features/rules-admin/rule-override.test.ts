import { catalog } from '@domain/catalog';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../locales';
import { bodyOf, draftOf, errorsOf, issueOf, issueText, labelOf, messageOf, PARAM_FIELDS, type Words } from './rule-override';

const MN = '211300CEMS00000000000001';
const i18n = createAppI18n('zh-CN').global;
const zh: Words = { t: (k, p) => i18n.t(k, p ?? {}), te: (k) => i18n.te(k), factor: (c) => catalog.get(c)?.zh ?? c };

describe('server issue → form field', () => {
  it.each([
    [`${MN}.limitInstant.repeat: repeat must be at least 1`, 'limitInstant.repeat', { key: 'atLeast', params: { n: '1' } }],
    [
      `${MN}.limitHour.minValidMinutes: minValidMinutes must be at most 60`,
      'limitHour.minValidMinutes',
      { key: 'atMost', params: { n: '60' } },
    ],
    [`${MN}.alRatio.alarmDays: alarmDays (2) must not be below warnDays (3)`, 'alRatio.alarmDays', { key: 'alarmBelowWarn' }],
    [`${MN}.removalEfficiency.target: target is a fraction: 0.8 for 80 %`, 'removalEfficiency.target', { key: 'fraction' }],
    [
      `${MN}.o2Conversion.measuredCap: measuredCap must be below 21 % O2 (the conversion divides by 21 − O2)`,
      'o2Conversion.measuredCap',
      { key: 'o2Cap' },
    ],
    [
      `${MN}.flatLine.relTolerancePct: relTolerancePct must be between 0 and 100`,
      'flatLine.relTolerancePct',
      { key: 'between', params: { min: '0', max: '100' } },
    ],
    [`${MN}.flatLine.minSamples: minSamples must be a whole number`, 'flatLine.minSamples', { key: 'integer' }],
    [`${MN}.nearLimit.bandLowPct: bandLowPct (95) must be below bandHighPct (90)`, 'nearLimit.bandLowPct', { key: 'bandLowBelowHigh' }],
    ['limits.a21026: min must be below max', 'limits.a21026', { key: 'minBelowMax' }],
    ['limits.a21026: a limit needs max, min or both', 'limits.a21026', { key: 'needBound' }],
    ['limits.a21026.max: Invalid input: expected number, received string', 'limits.a21026', { key: 'number' }],
    [`${MN}.bypass.limit.unit: unit "mg/m³" does not match abp01's unit "m³/s"`, 'general', { key: 'invalid' }],
    [`${MN}: Unrecognized key: "nonsense"`, 'general', { key: 'unknownField' }],
    ['(top level): Unrecognized key: "extra"', 'general', { key: 'unknownField' }],
  ])('%s → %s', (line, field, message) => {
    const issue = issueOf(line, MN);
    expect(issue.field).toBe(field);
    expect(issue.message).toEqual(message);
  });

  it('a second issue on the same field goes to the general list', () => {
    const { errors, general } = errorsOf([`${MN}.limitInstant.repeat: repeat must be at least 1`, `${MN}.limitInstant.repeat: x`], MN);
    expect(Object.keys(errors)).toEqual(['limitInstant.repeat']);
    expect(general).toHaveLength(1);
  });

  it('unknown wording reads "invalid", never the server English', () => {
    expect(messageOf('something new happened')).toEqual({ key: 'invalid' });
  });
});

describe('labels in Chinese', () => {
  it.each([
    [['limits', 'a21026'], '二氧化硫 限值'],
    [['limits', 'a21026', 'max'], '二氧化硫 限值 · 上限'],
    [['limitInstant', 'repeat'], '瞬时值超标预警 · 连续超限次数（次）'],
    [['o2Conversion', 'measuredCap'], '基准氧折算 · 实测氧含量封顶（%）'],
    [['bypass', 'limit'], '旁路排放'],
    [[], '本监控点的调整'],
  ])('%j → %s', (path, label) => {
    expect(labelOf(path, zh)).toBe(label);
  });

  it('every edited parameter and every issue has a Chinese label and message, no raw key', () => {
    for (const f of PARAM_FIELDS) {
      const text = issueText(issueOf(`${MN}.${f}: ${f.split('.')[1]} must be at least 1`, MN), zh);
      expect(text).toMatch(/：不得小于 1$/);
      expect(text).not.toMatch(/[A-Za-z]{3,}/);
    }
    const all = [
      'between',
      'atLeast',
      'atMost',
      'alarmBelowWarn',
      'bandLowBelowHigh',
      'integer',
      'nonNegative',
      'positive',
      'fraction',
      'o2Cap',
    ]
      .concat(['minBelowMax', 'needBound', 'unknownFactor', 'unknownField', 'number', 'factorRequired', 'duplicateFactor', 'invalid'])
      .map((key) => issueText({ path: ['limits', 'a21002'], message: { key, params: { n: '1', min: '0', max: '1' } } }, zh));
    for (const text of all) expect(text).not.toMatch(/[A-Za-z]{3,}|rulesAdmin/);
  });
});

describe('form → override body', () => {
  it('an empty form is an empty override', () => {
    expect(bodyOf(draftOf(null), null)).toEqual({ body: {}, errors: {} });
  });

  it('limits and typed parameters become numbers; empty fields are left out', () => {
    const draft = draftOf(null);
    draft.limits.push({ factor: 'a21026', max: ' 35 ', min: '', o2Converted: true, severity: 'critical' });
    draft.params['limitInstant.repeat'] = '3';
    draft.params['removalEfficiency.target'] = '0.9';
    expect(bodyOf(draft, null)).toEqual({
      body: {
        limits: { a21026: { max: 35, o2Converted: true, severity: 'critical' } },
        rules: { limitInstant: { repeat: 3 }, removalEfficiency: { target: 0.9 } },
      },
      errors: {},
    });
  });

  it('keeps what the form does not edit, drops what was cleared', () => {
    const before = { rules: { flatLine: { floors: { a21026: 5 }, windowS: 3600 }, offline: { missedIntervals: 3 } } };
    const draft = draftOf(before);
    expect(draft.params['flatLine.windowS']).toBe('3600');
    draft.params['flatLine.windowS'] = '';
    draft.params['offline.missedIntervals'] = '';
    expect(bodyOf(draft, before).body).toEqual({ rules: { flatLine: { floors: { a21026: 5 } } } });
    expect(before.rules.flatLine.windowS).toBe(3600);
  });

  it('round-trips an override', () => {
    const o = {
      limits: { a21002: { max: 50, min: 1, o2Converted: false, severity: 'major' as const } },
      rules: { limitDay: { minValidHours: 18 } },
    };
    expect(bodyOf(draftOf(o), o).body).toEqual(o);
  });

  it.each([
    [{ factor: '', max: '1', min: '', o2Converted: false, severity: 'major' as const }, 'limits.row.0', 'factorRequired'],
    [{ factor: 'a21026', max: 'abc', min: '', o2Converted: false, severity: 'major' as const }, 'limits.a21026', 'number'],
  ])('local problem %j → %s %s', (row, field, key) => {
    const draft = draftOf(null);
    draft.limits.push(row);
    expect(bodyOf(draft, null).errors).toEqual({ [field]: { key } });
  });

  it('a factor twice and a parameter that is no number are refused before sending', () => {
    const draft = draftOf(null);
    const row = { factor: 'a21026', max: '1', min: '', o2Converted: false, severity: 'major' as const };
    draft.limits.push(row, { ...row });
    draft.params['offline.missedIntervals'] = '五';
    expect(bodyOf(draft, null).errors).toEqual({
      'limits.a21026': { key: 'duplicateFactor' },
      'offline.missedIntervals': { key: 'number' },
    });
  });
});
