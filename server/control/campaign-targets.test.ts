import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CampaignTarget } from '../domain/campaign';
import { registrySchema } from '../domain/registry';
import { resolveAffected } from './campaign-targets';
import { TEST_REGISTRY_FILE } from '../../tests/helpers/fixtures';

const registry = registrySchema.parse(parse(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
const target = (t: Partial<CampaignTarget>): CampaignTarget => ({ enterpriseIds: [], kinds: [], districts: [], ...t });

describe('campaign target → affected enterprises (test registry)', () => {
  it.each<[string, Partial<CampaignTarget>, string[]]>([
    ['explicit list', { enterpriseIds: ['zichuan-cement', 'qilu-power'] }, ['qilu-power', 'zichuan-cement']],
    ['by kind', { kinds: ['vapour'] }, ['zhangdian-fuel', 'zhoucun-depot']],
    [
      'by district (the monitoring centre is not an emitter)',
      { districts: ['张店区'] },
      ['lanshan-coating', 'gaoxin-heating', 'zhangdian-fuel'],
    ],
    ['kind and district together', { kinds: ['cems'], districts: ['临淄区', '淄川区'] }, ['qilu-power', 'zichuan-cement']],
    ['explicit plus filters', { enterpriseIds: ['city-wte'], kinds: ['vocs'] }, ['jinhua-petrochem', 'lanshan-coating', 'city-wte']],
    ['ambient only matches nobody', { kinds: ['ambient'] }, []],
    ['nothing', {}, []],
  ])('%s', (_what, t, expected) => {
    expect(resolveAffected(target(t), registry)).toEqual(expected);
  });
});
