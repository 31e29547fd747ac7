import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATES, type CampaignState } from '../domain/campaign';
import { CAMPAIGN_ACTIONS, campaignTransition, type CampaignAction } from './campaign-transition';

// The whole truth table: every state × action.
const TABLE: [CampaignState, CampaignAction, CampaignState | null][] = [
  ['draft', 'activate', 'active'],
  ['draft', 'end', null],
  ['draft', 'cancel', 'cancelled'],
  ['draft', 'expire', null],
  ['active', 'activate', null],
  ['active', 'end', 'ended'],
  ['active', 'cancel', 'cancelled'],
  ['active', 'expire', 'ended'],
  ['ended', 'activate', null],
  ['ended', 'end', null],
  ['ended', 'cancel', null],
  ['ended', 'expire', null],
  ['cancelled', 'activate', null],
  ['cancelled', 'end', null],
  ['cancelled', 'cancel', null],
  ['cancelled', 'expire', null],
];

describe('campaign transitions', () => {
  it('the table covers every state and action', () => {
    expect(TABLE).toHaveLength(CAMPAIGN_STATES.length * CAMPAIGN_ACTIONS.length);
  });

  it.each(TABLE)('%s --%s--> %s', (from, action, to) => {
    const r = campaignTransition(from, action);
    if (to === null) expect(r).toEqual({ ok: false, reason: expect.stringContaining(`that is ${from} cannot be`) });
    else expect(r).toEqual({ ok: true, state: to });
  });
});
