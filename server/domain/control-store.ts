/**
 * The port of what the ozone control centre keeps: campaigns, their notices and final compliance,
 * forecasts. Declared in the domain so that the storage adapter (storage/embedded/) and the control
 * stage both depend on it, never on each other.
 */
import type { Campaign, CampaignCompliance, CampaignNotice } from './campaign';
import type { ForecastRecord } from './ozone';

export interface ControlStore {
  insertCampaign(c: Omit<Campaign, 'id'>): Campaign;
  getCampaign(id: number): Campaign | undefined;
  /** Newest first. */
  listCampaigns(): Campaign[];
  /** Saves the campaign and (in the same transaction) inserts these notices. */
  saveCampaign(c: Campaign, newNotices?: readonly CampaignNotice[]): void;
  notices(campaignId: number): CampaignNotice[];
  /** Records the acknowledgement unless there is one; undefined when there is no such notice. */
  acknowledge(campaignId: number, enterpriseId: string, by: string, at: number, note: string | null): CampaignNotice | undefined;
  saveCompliance(c: CampaignCompliance): void;
  loadCompliance(campaignId: number): CampaignCompliance | undefined;
  /** Inserts or replaces the forecast of each date, all or none. */
  saveForecasts(rows: readonly ForecastRecord[]): void;
  /** Forecasts for dates in [from, to] (inclusive), oldest first. */
  forecasts(from: string, to: string): ForecastRecord[];
  close(): void;
}
