/**
 * Special-control campaigns of the ozone control centre (臭氧污染特别管控): the shapes the server
 * stores, serves over REST and pushes over socket.io, shared with the dashboard. Pure types.
 */
import type { SourceKind } from './source-kinds';

export const CAMPAIGN_STATES = ['draft', 'active', 'ended', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** light: light ozone pollution forecast (O3-8h > 160) → special control; yellow/orange/red: the warning levels. */
export const CAMPAIGN_LEVELS = ['light', 'yellow', 'orange', 'red'] as const;
export type CampaignLevel = (typeof CAMPAIGN_LEVELS)[number];

/** Who a campaign is for: explicit enterprises, plus those with a source of one of `kinds` and/or in one of `districts`. */
export interface CampaignTarget {
  enterpriseIds: string[];
  kinds: SourceKind[];
  districts: string[];
}

/** A measure as chosen from the templates (its text copied, so the record never changes under it). */
export interface CampaignMeasure {
  id: string;
  zh: string;
  en: string;
  window: { from: string; to: string } | null;
}

export interface Campaign {
  id: number;
  name: string;
  level: CampaignLevel;
  /** Period, epoch ms [from, to). */
  from: number;
  to: number;
  target: CampaignTarget;
  measures: CampaignMeasure[];
  /** Emission reduction each affected enterprise must achieve against its baseline, %. */
  reductionPct: number;
  note: string | null;
  state: CampaignState;
  /** Enterprise ids the target resolved to at activation (empty while a draft). */
  affected: string[];
  createdBy: string;
  createdAt: number;
  activatedBy: string | null;
  activatedAt: number | null;
  /** Ended or cancelled: by whom (`system` when its period ran out) and when. */
  closedBy: string | null;
  closedAt: number | null;
}

/** What happened to a notice: sent at activation, acknowledged by the enterprise. */
export const NOTICE_KINDS = ['sent', 'acknowledged'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The notice an affected enterprise receives at activation and must acknowledge. */
export interface CampaignNotice {
  campaignId: number;
  enterpriseId: string;
  sentAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  note: string | null;
}

/** reduced: by at least the target; not_reduced: flagged; nodata: too few hours on either side. */
export const REDUCTION_STATUSES = ['reduced', 'not_reduced', 'nodata'] as const;
/** flagged: some outlet not reduced by the target; not_monitored: no outlet whose emissions are compared. */
export const COMPLIANCE_STATUSES = ['compliant', 'flagged', 'nodata', 'not_monitored'] as const;

/** One outlet's emission rate during the campaign against its baseline. */
export interface EmissionComparison {
  mn: string;
  sourceName: string;
  factor: string;
  /** Mean emission rate over the baseline hours / the campaign hours, kg/h (null: no valid hour). */
  baselineKgH: number | null;
  currentKgH: number | null;
  baselineHours: number;
  currentHours: number;
  /** (baseline − current) / baseline × 100; null when not comparable. */
  reductionPct: number | null;
  status: (typeof REDUCTION_STATUSES)[number];
}

export interface EnterpriseCompliance {
  enterpriseId: string;
  enterpriseName: string;
  status: (typeof COMPLIANCE_STATUSES)[number];
  items: EmissionComparison[];
}

export interface CampaignCompliance {
  campaignId: number;
  /** The campaign hours compared, epoch ms [from, to). */
  window: { from: number; to: number };
  /** The baseline: the same hours of day over these days before the campaign began. */
  baseline: { from: number; to: number; days: number };
  targetPct: number;
  computedAt: number;
  enterprises: EnterpriseCompliance[];
}

/** What an enterprise may see of a campaign: the campaign as it concerns it, no other enterprise. */
export function campaignForEnterprise(c: Campaign, enterpriseId: string): Campaign {
  return {
    ...c,
    target: { enterpriseIds: [], kinds: [], districts: [] },
    affected: c.affected.includes(enterpriseId) ? [enterpriseId] : [],
  };
}

/** GET /api/campaigns/:id: the campaign, its notices (an enterprise: its own) and compliance. */
export interface CampaignDetail {
  campaign: Campaign;
  notices: CampaignNotice[];
  /** null while the server could not compute it (never for a draft: it is simply empty). */
  compliance: CampaignCompliance | null;
}

/** GET /api/campaigns/:id/report: who acknowledged, who complied. */
export interface CampaignReport {
  campaign: Campaign;
  /** True once the campaign has ended (the compliance is then the final one). */
  final: boolean;
  summary: { affected: number; acknowledged: number; compliant: number; flagged: number; nodata: number; notMonitored: number };
  enterprises: {
    enterpriseId: string;
    enterpriseName: string;
    acknowledged: boolean;
    acknowledgedAt: number | null;
    acknowledgedBy: string | null;
    note: string | null;
    compliance: CampaignCompliance['enterprises'][number] | null;
  }[];
  compliance: CampaignCompliance | null;
}
