/** ControlStore on SQLite (better-sqlite3, WAL), beside the state store in state.db. */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import type { ControlStore } from '../../domain/control-store';
import type { ForecastRecord } from '../../domain/ozone';
import type { Campaign, CampaignCompliance, CampaignNotice } from '../../domain/campaign';

interface NoticeRow {
  campaign_id: number;
  enterprise_id: string;
  sent_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  note: string | null;
}
interface ForecastRow {
  date: string;
  o3_8h: number | null;
  iaqi: number;
  aqi: number | null;
  pm25: number | null;
  note: string | null;
  recorded_by: string;
  recorded_at: number;
}

const toNotice = (r: NoticeRow): CampaignNotice => ({
  campaignId: r.campaign_id,
  enterpriseId: r.enterprise_id,
  sentAt: r.sent_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  note: r.note,
});
const toForecast = (r: ForecastRow): ForecastRecord => ({
  date: r.date,
  o3_8h: r.o3_8h,
  iaqi: r.iaqi,
  aqi: r.aqi ?? null,
  pm25: r.pm25 ?? null,
  note: r.note,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

export class SqliteControlStore implements ControlStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS ozone_campaigns (id INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL, state TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ozone_campaign_notices (
        campaign_id INTEGER NOT NULL, enterprise_id TEXT NOT NULL, sent_at INTEGER NOT NULL,
        acknowledged_at INTEGER, acknowledged_by TEXT, note TEXT, PRIMARY KEY (campaign_id, enterprise_id));
      CREATE TABLE IF NOT EXISTS ozone_campaign_compliance (campaign_id INTEGER PRIMARY KEY, value TEXT NOT NULL, computed_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ozone_forecasts (date TEXT PRIMARY KEY, o3_8h REAL, iaqi INTEGER NOT NULL, note TEXT, recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);
    `);
    // Issue 17: the day AQI and PM2.5 of a forecast (heavy-pollution warning proposals), added to older files.
    const columns = new Set((this.db.prepare('PRAGMA table_info(ozone_forecasts)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('aqi')) this.db.exec('ALTER TABLE ozone_forecasts ADD COLUMN aqi INTEGER');
    if (!columns.has('pm25')) this.db.exec('ALTER TABLE ozone_forecasts ADD COLUMN pm25 REAL');
  }

  insertCampaign(c: Omit<Campaign, 'id'>): Campaign {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO ozone_campaigns (value, state, updated_at) VALUES (?, ?, ?)')
      .run(JSON.stringify(c), c.state, c.createdAt);
    const saved = { ...c, id: Number(lastInsertRowid) };
    this.db.prepare('UPDATE ozone_campaigns SET value = ? WHERE id = ?').run(JSON.stringify(saved), saved.id);
    return saved;
  }

  getCampaign(id: number): Campaign | undefined {
    const row = this.db.prepare('SELECT value FROM ozone_campaigns WHERE id = ?').get(id) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Campaign) : undefined;
  }

  listCampaigns(): Campaign[] {
    const rows = this.db.prepare('SELECT value FROM ozone_campaigns ORDER BY id DESC').all() as { value: string }[];
    return rows.map((r) => JSON.parse(r.value) as Campaign);
  }

  saveCampaign(c: Campaign, newNotices: readonly CampaignNotice[] = []): void {
    const insert = this.db.prepare(
      'INSERT INTO ozone_campaign_notices (campaign_id, enterprise_id, sent_at, acknowledged_at, acknowledged_by, note) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE ozone_campaigns SET value = ?, state = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(c), c.state, Date.now(), c.id);
      for (const n of newNotices) insert.run(n.campaignId, n.enterpriseId, n.sentAt, n.acknowledgedAt, n.acknowledgedBy, n.note);
    })();
  }

  notices(campaignId: number): CampaignNotice[] {
    const rows = this.db
      .prepare('SELECT * FROM ozone_campaign_notices WHERE campaign_id = ? ORDER BY enterprise_id')
      .all(campaignId) as NoticeRow[];
    return rows.map(toNotice);
  }

  acknowledge(campaignId: number, enterpriseId: string, by: string, at: number, note: string | null): CampaignNotice | undefined {
    this.db
      .prepare(
        'UPDATE ozone_campaign_notices SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE campaign_id = ? AND enterprise_id = ? AND acknowledged_at IS NULL',
      )
      .run(at, by, note, campaignId, enterpriseId);
    const row = this.db
      .prepare('SELECT * FROM ozone_campaign_notices WHERE campaign_id = ? AND enterprise_id = ?')
      .get(campaignId, enterpriseId) as NoticeRow | undefined;
    return row ? toNotice(row) : undefined;
  }

  saveCompliance(c: CampaignCompliance): void {
    this.db
      .prepare(
        'INSERT INTO ozone_campaign_compliance (campaign_id, value, computed_at) VALUES (?, ?, ?) ON CONFLICT (campaign_id) DO UPDATE SET value = excluded.value, computed_at = excluded.computed_at',
      )
      .run(c.campaignId, JSON.stringify(c), c.computedAt);
  }

  loadCompliance(campaignId: number): CampaignCompliance | undefined {
    const row = this.db.prepare('SELECT value FROM ozone_campaign_compliance WHERE campaign_id = ?').get(campaignId) as
      { value: string } | undefined;
    return row ? (JSON.parse(row.value) as CampaignCompliance) : undefined;
  }

  saveForecasts(rows: readonly ForecastRecord[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO ozone_forecasts (date, o3_8h, iaqi, aqi, pm25, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (date) DO UPDATE SET o3_8h = excluded.o3_8h, iaqi = excluded.iaqi, aqi = excluded.aqi, pm25 = excluded.pm25,
         note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
    );
    this.db.transaction(() => {
      for (const r of rows) upsert.run(r.date, r.o3_8h, r.iaqi, r.aqi, r.pm25, r.note, r.recordedBy, r.recordedAt);
    })();
  }

  forecasts(from: string, to: string): ForecastRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM ozone_forecasts WHERE date >= ? AND date <= ? ORDER BY date')
      .all(from, to) as ForecastRow[];
    return rows.map(toForecast);
  }

  close(): void {
    this.db.close();
  }
}
