/**
 * The ozone control store's contract on both engines (issue 15): campaigns numbered and listed
 * newest first, notices inserted with their campaign's save and acknowledged once, compliance kept,
 * forecasts replaced by date; and a `state.db` written by the hand-written store (before issue 15,
 * forecasts without AQI and PM2.5) adopted with its campaigns, notices and forecasts.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignCompliance, CampaignNotice } from '../../../server/domain/campaign';
import type { ForecastRecord } from '../../../server/domain/ozone';
import { openControlStore, type KyselyControlStore } from '../../../server/storage/sql/control-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const draft: Omit<Campaign, 'id'> = {
  name: '夏季臭氧特别管控',
  level: 'light',
  from: 1_000,
  to: 9_000,
  target: { enterpriseIds: ['e1'], kinds: [], districts: [] },
  measures: [],
  reductionPct: 20,
  note: null,
  state: 'draft',
  affected: [],
  createdBy: 'ozone',
  createdAt: 500,
  activatedBy: null,
  activatedAt: null,
  closedBy: null,
  closedAt: null,
};

const notice = (enterpriseId: string, campaignId: number): CampaignNotice => ({
  campaignId,
  enterpriseId,
  sentAt: 600,
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
});

const forecast = (date: string, over: Partial<ForecastRecord> = {}): ForecastRecord => ({
  date,
  o3_8h: 180,
  iaqi: 120,
  aqi: null,
  pm25: null,
  note: null,
  recordedBy: 'ozone',
  recordedAt: 700,
  ...over,
});

describe.each(sqlEngines())('ControlStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let store: KyselyControlStore;
  beforeEach(async () => {
    fresh = await engine.create();
    store = await openControlStore(fresh.location, () => 800);
  });
  afterEach(async () => {
    await store.close();
    await fresh.remove();
  });

  it('numbers campaigns, lists them newest first, saves one with its notices at once', async () => {
    const a = await store.insertCampaign(draft);
    const b = await store.insertCampaign({ ...draft, name: '第二次' });
    expect(b.id).toBe(a.id + 1);
    expect(await store.getCampaign(a.id)).toEqual(a);
    expect((await store.listCampaigns()).map((c) => c.id)).toEqual([b.id, a.id]);
    const active: Campaign = { ...a, state: 'active', affected: ['e2', 'e1'], activatedBy: 'ozone', activatedAt: 600 };
    await store.saveCampaign(active, [notice('e2', a.id), notice('e1', a.id)]);
    expect(await store.getCampaign(a.id)).toEqual(active);
    expect((await store.notices(a.id)).map((n) => n.enterpriseId)).toEqual(['e1', 'e2']);
    // A notice already there refuses the whole save: the campaign stays as it was.
    await expect(store.saveCampaign({ ...active, state: 'ended' }, [notice('e1', a.id)])).rejects.toThrow();
    expect((await store.getCampaign(a.id))?.state).toBe('active');
    expect(await store.getCampaign(b.id + 1)).toBeUndefined();
  });

  it('records the first acknowledgement only; none for a notice that does not exist', async () => {
    const c = await store.insertCampaign(draft);
    await store.saveCampaign({ ...c, state: 'active' }, [notice('e1', c.id)]);
    expect(await store.acknowledge(c.id, 'e1', 'u1', 900, '收到')).toEqual({
      ...notice('e1', c.id),
      acknowledgedAt: 900,
      acknowledgedBy: 'u1',
      note: '收到',
    });
    expect(await store.acknowledge(c.id, 'e1', 'u2', 950, null)).toMatchObject({ acknowledgedAt: 900, acknowledgedBy: 'u1' });
    expect(await store.acknowledge(c.id, 'e9', 'u1', 900, null)).toBeUndefined();
  });

  it('keeps one compliance per campaign and replaces forecasts by date', async () => {
    const compliance = { campaignId: 4, computedAt: 1, enterprises: [] } as unknown as CampaignCompliance;
    await store.saveCompliance(compliance);
    await store.saveCompliance({ ...compliance, computedAt: 2 });
    expect(await store.loadCompliance(4)).toEqual({ ...compliance, computedAt: 2 });
    expect(await store.loadCompliance(5)).toBeUndefined();
    await store.saveForecasts([forecast('2026-07-01'), forecast('2026-07-02'), forecast('2026-07-03')]);
    await store.saveForecasts([forecast('2026-07-02', { iaqi: 210, o3_8h: null, aqi: 230, pm25: 35.5, note: '修订' })]);
    expect(await store.forecasts('2026-07-02', '2026-07-03')).toEqual([
      forecast('2026-07-02', { iaqi: 210, o3_8h: null, aqi: 230, pm25: 35.5, note: '修订' }),
      forecast('2026-07-03'),
    ]);
  });
});

describe('ControlStore on a state.db of the hand-written store', () => {
  let fresh: FreshDatabase;
  beforeEach(async () => {
    fresh = await sqlEngines()[0]!.create();
  });
  afterEach(() => fresh.remove());

  it('adopts its campaigns, notices, compliance and forecasts (the forecasts gain AQI and PM2.5)', async () => {
    // The hand-written store's tables as created before issue 17 (server/storage/embedded/sqlite-control-store.ts).
    const old = new Database(fresh.location);
    old.exec(`
      CREATE TABLE IF NOT EXISTS ozone_campaigns (id INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL, state TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ozone_campaign_notices (
        campaign_id INTEGER NOT NULL, enterprise_id TEXT NOT NULL, sent_at INTEGER NOT NULL,
        acknowledged_at INTEGER, acknowledged_by TEXT, note TEXT, PRIMARY KEY (campaign_id, enterprise_id));
      CREATE TABLE IF NOT EXISTS ozone_campaign_compliance (campaign_id INTEGER PRIMARY KEY, value TEXT NOT NULL, computed_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ozone_forecasts (date TEXT PRIMARY KEY, o3_8h REAL, iaqi INTEGER NOT NULL, note TEXT, recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);
    `);
    const campaign: Campaign = { ...draft, id: 1, state: 'active', affected: ['e1'] };
    old.prepare('INSERT INTO ozone_campaigns (value, state, updated_at) VALUES (?, ?, ?)').run(JSON.stringify(campaign), 'active', 600);
    old.prepare("INSERT INTO ozone_campaign_notices VALUES (1, 'e1', 600, NULL, NULL, NULL)").run();
    old.prepare(`INSERT INTO ozone_campaign_compliance VALUES (1, '{"campaignId":1}', 650)`).run();
    old.prepare("INSERT INTO ozone_forecasts VALUES ('2026-07-01', 180, 120, NULL, 'ozone', 700)").run();
    old.close();
    const store = await openControlStore(fresh.location);
    try {
      expect(await store.listCampaigns()).toEqual([campaign]);
      expect(await store.notices(1)).toEqual([notice('e1', 1)]);
      expect(await store.loadCompliance(1)).toEqual({ campaignId: 1 });
      expect(await store.forecasts('2026-07-01', '2026-07-01')).toEqual([forecast('2026-07-01')]);
      expect((await store.insertCampaign(draft)).id).toBe(2);
      await store.saveForecasts([forecast('2026-07-01', { aqi: 150, pm25: 80 })]);
      expect(await store.forecasts('2026-07-01', '2026-07-01')).toEqual([forecast('2026-07-01', { aqi: 150, pm25: 80 })]);
    } finally {
      await store.close();
    }
  });
});
