/**
 * Pre-notices (预通知, PLANS E8, plan 004) and enterprises' acknowledgements (已知悉) of warning
 * notices: shared by the server and the dashboard. When the forecasts show frequent orange-or-worse
 * heavy-pollution conditions ahead, the control centre may tell the continuous-process enterprises
 * (生产工序不可中断或短时间内难以完全停产的行业) of the districts in scope to adjust their
 * production plans in advance. The product only proposes it; a person issues it.
 */
import type { WarningLevel } from './warning';

/** A run of consecutive forecast days that meets the orange (or a worse) warning trigger. */
export interface ForecastEpisode {
  from: string;
  to: string;
  days: number;
  /** The highest forecast index (day AQI, else PM2.5 IAQI) in it. */
  peak: number;
  /** The highest warning level its run meets on its own (orange or red). */
  level: Extract<WarningLevel, 'orange' | 'red'>;
}

/** What the forecasts say about the coming days (the basis a pre-notice records). */
export interface FrequentWarningOutlook {
  /** Today's local date and the last date looked at. */
  horizon: { from: string; to: string };
  episodes: ForecastEpisode[];
  /** Days in those episodes. */
  qualifyingDays: number;
  /** episodes ≥ minEpisodes or qualifyingDays ≥ minDays (config warnings.preNotice). */
  frequent: boolean;
  rule: { minEpisodes: number; minDays: number };
}

/** An enterprise a pre-notice is addressed to, and its acknowledgement. */
export interface NoticeRecipient {
  enterpriseId: string;
  name: string;
  district: string;
  /** GB/T 4754 industry code and name (pre-notices: the continuous-process industry it was chosen by). */
  industryCode: string | null;
  industryName: string | null;
  /** 已知悉: when and by whom (null: not yet). */
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

export interface PreNotice {
  id: number;
  districts: string[];
  /** The worst level forecast (the one named in the notice). */
  level: Extract<WarningLevel, 'orange' | 'red'>;
  /** The forecast period the enterprises should plan for (local dates). */
  from: string;
  to: string;
  /** The text sent to the enterprises. */
  message: string;
  issuedBy: string;
  issuedAt: number;
  /** The outlook at issue time (null: issued without a frequent forecast). */
  outlook: FrequentWarningOutlook | null;
  /** The enterprises it is addressed to (an enterprise sees only its own entry). */
  recipients: NoticeRecipient[];
}

/** GET /api/pre-notices/proposal: the outlook and whom a pre-notice would reach (never sent by itself). */
export interface PreNoticeProposal {
  outlook: FrequentWarningOutlook;
  /** Suggested level and period: the worst episode's level, the first episode's start to the last's end. */
  level: Extract<WarningLevel, 'orange' | 'red'> | null;
  from: string | null;
  to: string | null;
  /** Continuous-process enterprises of every district (the centre narrows the districts when issuing). */
  recipients: NoticeRecipient[];
  /** Industry codes (GB/T 4754 prefixes) counted as continuous-process. */
  industries: { code: string; zh: string; en: string }[];
}

/** The order recipients are listed in: by district (Chinese collation), then enterprise id. */
export const compareRecipients = (a: NoticeRecipient, b: NoticeRecipient): number =>
  a.district.localeCompare(b.district, 'zh-CN') || (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0);

/** What an enterprise sees of a pre-notice: only its own recipient entry, without who issued it. */
export function preNoticeForEnterprise(p: PreNotice, enterpriseId: string): PreNotice | null {
  const mine = p.recipients.filter((r) => r.enterpriseId === enterpriseId);
  return mine.length === 0 ? null : { ...p, issuedBy: '', outlook: null, recipients: mine };
}

/** An enterprise's acknowledgement of a warning notice (GET /api/warnings/:id/acknowledgements). */
export interface WarningAcknowledgements {
  warningId: number;
  /** The enterprises in the districts in scope (an enterprise: itself only). */
  items: NoticeRecipient[];
}
