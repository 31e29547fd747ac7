import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../locales';
import en from '../../locales/en';
import { siteFactRows } from './site-facts';

function words(locale: 'zh-CN' | 'en') {
  const i18n = createAppI18n(locale, { en });
  return { t: (k: string) => i18n.global.t(k), withUnit: (v: number, u: string) => (u ? `${v} ${u}` : String(v)) };
}

describe('site facts on a source page', () => {
  it('words a construction site in Chinese: department, area, phase', () => {
    expect(siteFactRows({ ownerDepartment: 'housing', siteAreaM2: 48000, earthworkPhase: 'earthwork' }, words('zh-CN'))).toEqual([
      ['主管部门', '住房和城乡建设局'],
      ['工地面积（m²）', '48000 m²'],
      ['施工阶段', '土方'],
    ]);
  });

  it('words a kitchen in English, and nothing for a source without facts', () => {
    expect(siteFactRows({ ownerDepartment: 'urban-management', purifierType: 'electrostatic', cookingRanges: 8 }, words('en'))).toEqual([
      ['Owner department', 'Urban management'],
      ['Fume purifier type', 'Electrostatic'],
      ['Cooking ranges', '8'],
    ]);
    expect(siteFactRows(undefined, words('zh-CN'))).toEqual([]);
  });
});
