/**
 * The port of what the ozone control centre keeps: campaigns, their notices and final compliance,
 * forecasts. Declared in the domain so that the storage adapter (storage/sql/control-store.ts) and the control
 * stage both depend on it, never on each other.
 */
import type { Campaign, CampaignCompliance, CampaignNotice } from './campaign';
import type { ForecastRecord } from './ozone';

export interface ControlStore {
  insertCampaign(c: Omit<Campaign, 'id'>): Promise<Campaign>;
  getCampaign(id: number): Promise<Campaign | undefined>;
  /** Newest first. */
  listCampaigns(): Promise<Campaign[]>;
  /** Saves the campaign and (in the same transaction) inserts these notices. */
  saveCampaign(c: Campaign, newNotices?: readonly CampaignNotice[]): Promise<void>;
  /** In enterprise order. */
  notices(campaignId: number): Promise<CampaignNotice[]>;
  /** Records the acknowledgement unless there is one; undefined when there is no such notice. */
  acknowledge(campaignId: number, enterpriseId: string, by: string, at: number, note: string | null): Promise<CampaignNotice | undefined>;
  saveCompliance(c: CampaignCompliance): Promise<void>;
  loadCompliance(campaignId: number): Promise<CampaignCompliance | undefined>;
  /** Inserts or replaces the forecast of each date, all or none. */
  saveForecasts(rows: readonly ForecastRecord[]): Promise<void>;
  /** Forecasts for dates in [from, to] (inclusive), oldest first. */
  forecasts(from: string, to: string): Promise<ForecastRecord[]>;
  close(): Promise<void>;
}
