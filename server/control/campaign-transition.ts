/**
 * The campaign lifecycle, a pure transition table:
 *
 *   from \ action | activate | end   | cancel    | expire (its period ran out)
 *   draft         | active   | -     | cancelled | -
 *   active        | -        | ended | cancelled | ended
 *   ended         | -        | -     | -         | -
 *   cancelled     | -        | -     | -         | -
 *
 * "-" is refused (HTTP 409). Activation also needs a period that is not over and a target that
 * resolves to at least one enterprise (checked by the service).
 */
import type { CampaignState } from '../domain/campaign';

export const CAMPAIGN_ACTIONS = ['activate', 'end', 'cancel', 'expire'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const TABLE: Record<CampaignState, Partial<Record<CampaignAction, CampaignState>>> = {
  draft: { activate: 'active', cancel: 'cancelled' },
  active: { end: 'ended', cancel: 'cancelled', expire: 'ended' },
  ended: {},
  cancelled: {},
};

export type TransitionResult = { ok: true; state: CampaignState } | { ok: false; reason: string };

export function campaignTransition(state: CampaignState, action: CampaignAction): TransitionResult {
  const next = TABLE[state][action];
  return next ? { ok: true, state: next } : { ok: false, reason: `a campaign that is ${state} cannot be ${PAST[action]}` };
}

const PAST: Record<CampaignAction, string> = { activate: 'activated', end: 'ended', cancel: 'cancelled', expire: 'expired' };
