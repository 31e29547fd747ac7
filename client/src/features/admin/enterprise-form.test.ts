import type { Enterprise } from '@domain/registry';
import { describe, expect, it } from 'vitest';
import { draftOf, emptyEnterpriseDraft, enterpriseFieldOf, type EnterpriseDraft } from './enterprise-form';
import { toEnterprise, toPatch, validateEnterprise } from './enterprise-form';

const valid = (over: Partial<EnterpriseDraft> = {}): EnterpriseDraft => ({
  ...emptyEnterpriseDraft(),
  id: 'longcheng-coke',
  name: '龙城焦化有限公司',
  district: '龙城区',
  ...over,
});
const saved: Enterprise = { id: 'longcheng-coke', name: '龙城焦化有限公司', district: '龙城区', grade: 'B', keyUnit: true };

describe('enterprise form', () => {
  it('a complete draft has no errors and becomes an enterprise without empty fields', () => {
    const contacts = [{ name: '王工', role: '', phone: '0421-1234567' }];
    const d = valid({ creditCode: '91211300mA0xy31234', industryCode: 'c2521', industryName: '炼焦', contacts });
    expect(validateEnterprise({ ...d, creditCode: '91211300MA0XY31234' }, null)).toEqual({});
    expect(toEnterprise({ ...d, creditCode: '91211300MA0XY31234' })).toEqual({
      id: 'longcheng-coke',
      name: '龙城焦化有限公司',
      district: '龙城区',
      creditCode: '91211300MA0XY31234',
      industry: { code: 'C2521', name: '炼焦' },
      keyUnit: false,
      grade: 'ungraded',
      contacts: [{ name: '王工', phone: '0421-1234567' }],
    });
  });

  it.each<[string, Partial<EnterpriseDraft>, Record<string, string>]>([
    ['nothing typed', { id: '', name: '', district: '' }, { id: 'required', name: 'required', district: 'required' }],
    ['an id with capitals', { id: 'Longcheng' }, { id: 'idFormat' }],
    ['a credit code with an O', { creditCode: '91211300MA0XY312O4' }, { creditCode: 'creditCode' }],
    ['a 17-character credit code', { creditCode: '91211300MA0XY3123' }, { creditCode: 'creditCode' }],
    ['an industry code not in GB/T 4754 form', { industryCode: 'coke', industryName: '炼焦' }, { industryCode: 'industryCode' }],
    ['an industry name without its code', { industryName: '炼焦' }, { industryCode: 'required' }],
    ['a contact phone with letters', { contacts: [{ name: '王工', role: '', phone: 'call me' }] }, { 'contacts.0.phone': 'phone' }],
    ['a contact without a name', { contacts: [{ name: '', role: '', phone: '12345678' }] }, { 'contacts.0.name': 'required' }],
  ])('%s', (_, over, errors) => {
    expect(validateEnterprise(valid(over), null)).toEqual(errors);
  });

  it('a grade change needs its grounds; the patch carries them and never the id', () => {
    const d = { ...draftOf(saved), grade: 'A' as const };
    expect(validateEnterprise(d, saved)).toEqual({ gradeReason: 'required' });
    d.gradeReason = '2026 年复核';
    expect(validateEnterprise(d, saved)).toEqual({});
    expect(toPatch(d, saved)).toEqual({ grade: 'A', gradeReason: '2026 年复核' });
    // Nothing changed: nothing sent, no reason asked.
    expect(toPatch(draftOf(saved), saved)).toEqual({});
    // A cleared field is sent as null; no grade and "ungraded" are the same.
    const plain: Enterprise = { id: 'x', name: '甲', district: '龙城区', park: '园区' };
    expect(toPatch({ ...draftOf(plain), park: '' }, plain)).toEqual({ park: null });
  });

  it.each<[(string | number)[] | null, string | null]>([
    [['industry', 'code'], 'industryCode'],
    [['industry', 'name'], 'industryName'],
    [['contacts', 1, 'phone'], 'contacts.1.phone'],
    [['creditCode'], 'creditCode'],
    [null, null],
  ])('a refusal at %j shows at %s', (path, field) => {
    expect(enterpriseFieldOf(path)).toBe(field);
  });
});
