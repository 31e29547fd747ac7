import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/rest';
import { type CampaignForm, campaignRefusal, campaignRequest, validateCampaign } from './campaign-form';

const NOW = Date.UTC(2026, 6, 1, 0, 0, 0);
const H = 3_600_000;
const form = (over: Partial<CampaignForm> = {}): CampaignForm => ({
  name: '7 月上旬臭氧管控',
  level: 'light',
  from: new Date(NOW),
  to: new Date(NOW + 72 * H),
  enterpriseIds: ['zichuan-cement'],
  kinds: [],
  districts: [],
  measures: ['pause-voc-steps'],
  reductionPct: '',
  note: '',
  ...over,
});

describe('campaign form', () => {
  it.each<[string, Partial<CampaignForm>, ReturnType<typeof validateCampaign>]>([
    ['valid', {}, {}],
    ['no name', { name: '  ' }, { name: 'required' }],
    ['long name', { name: 'x'.repeat(201) }, { name: 'tooLong' }],
    ['no period', { from: null, to: null }, { from: 'required', to: 'required' }],
    ['to before from', { to: new Date(NOW - H) }, { to: 'toBeforeFrom' }],
    ['to past', { from: new Date(NOW - 3 * H), to: new Date(NOW - H) }, { to: 'toPast' }],
    ['no target', { enterpriseIds: [] }, { target: 'targetRequired' }],
    ['a district is a target', { enterpriseIds: [], districts: ['淄川区'] }, {}],
    ['no measure', { measures: [] }, { measures: 'measuresRequired' }],
    ['pct 0', { reductionPct: '0' }, { reductionPct: 'pctRange' }],
    ['pct 101', { reductionPct: '101' }, { reductionPct: 'pctRange' }],
    ['pct text', { reductionPct: 'abc' }, { reductionPct: 'pctRange' }],
    ['pct 30', { reductionPct: '30' }, {}],
  ])('%s', (_name, over, expected) => {
    expect(validateCampaign(form(over), NOW)).toEqual(expected);
  });

  it('sends only the chosen parts of the target and the default reduction when none is typed', () => {
    expect(campaignRequest(form({ kinds: ['vocs'] }))).toEqual({
      name: '7 月上旬臭氧管控',
      level: 'light',
      from: NOW,
      to: NOW + 72 * H,
      target: { enterpriseIds: ['zichuan-cement'], kinds: ['vocs'] },
      measures: ['pause-voc-steps'],
    });
    expect(campaignRequest(form({ reductionPct: '30', note: ' n ' }))).toMatchObject({ reductionPct: 30, note: 'n' });
  });

  it.each([
    {
      name: 'a zod issue: its field and its own message',
      err: new ApiError('target.enterpriseIds.0: unknown enterprise "x"', 400, {
        field: 'target',
        body: { issues: [{ path: ['target', 'enterpriseIds', 0], message: 'unknown enterprise "x"' }] },
      }),
      expected: { field: 'target', message: 'unknown enterprise "x"' },
    },
    {
      name: 'a field: prefix',
      err: new ApiError('must be in the future', 400, { field: 'to', body: {} }),
      expected: { field: 'to', message: 'must be in the future' },
    },
    {
      name: 'a conflict',
      err: new ApiError('campaign 3 is active', 409, { body: {} }),
      expected: { field: null, message: 'campaign 3 is active' },
    },
  ])('refusal: $name', ({ err, expected }) => {
    expect(campaignRefusal(err)).toEqual(expected);
  });
});
