/**
 * The ozone control centre's store (campaigns, notices, compliance, forecasts) through Kysely, on
 * SQLite (state.db) or PostgreSQL (DATABASE_URL, shared by every web process of a cluster).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Campaign, CampaignCompliance, CampaignNotice } from '../../domain/campaign';
import type { ControlStore } from '../../domain/control-store';
import type { ForecastRecord } from '../../domain/ozone';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { CONTROL_MIGRATIONS, type CampaignNoticeRow, type ControlTables, type ForecastRow } from './control-tables';

const maybe = (n: number | null): number | null => (n === null ? null : Number(n));

const toNotice = (r: Selectable<CampaignNoticeRow>): CampaignNotice => ({
  campaignId: Number(r.campaign_id),
  enterpriseId: r.enterprise_id,
  sentAt: Number(r.sent_at),
  acknowledgedAt: maybe(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  note: r.note,
});

const toForecast = (r: Selectable<ForecastRow>): ForecastRecord => ({
  date: r.date,
  o3_8h: r.o3_8h,
  iaqi: r.iaqi,
  aqi: r.aqi ?? null,
  pm25: r.pm25 ?? null,
  note: r.note,
  recordedBy: r.recorded_by,
  recordedAt: Number(r.recorded_at),
});

export class KyselyControlStore implements ControlStore {
  constructor(
    private readonly db: Kysely<ControlTables>,
    private readonly closeDb: () => Promise<void> = async () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async insertCampaign(c: Omit<Campaign, 'id'>): Promise<Campaign> {
    return this.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('ozone_campaigns')
        .values({ value: JSON.stringify(c), state: c.state, updated_at: c.createdAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      const saved = { ...c, id: Number(id) };
      await trx
        .updateTable('ozone_campaigns')
        .set({ value: JSON.stringify(saved) })
        .where('id', '=', saved.id)
        .execute();
      return saved;
    });
  }

  async getCampaign(id: number): Promise<Campaign | undefined> {
    const row = await this.db.selectFrom('ozone_campaigns').select('value').where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.value) as Campaign) : undefined;
  }

  async listCampaigns(): Promise<Campaign[]> {
    const rows = await this.db.selectFrom('ozone_campaigns').select('value').orderBy('id', 'desc').execute();
    return rows.map((r) => JSON.parse(r.value) as Campaign);
  }

  async saveCampaign(c: Campaign, newNotices: readonly CampaignNotice[] = []): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('ozone_campaigns')
        .set({ value: JSON.stringify(c), state: c.state, updated_at: this.now() })
        .where('id', '=', c.id)
        .execute();
      if (newNotices.length === 0) return;
      await trx
        .insertInto('ozone_campaign_notices')
        .values(
          newNotices.map((n) => ({
            campaign_id: n.campaignId,
            enterprise_id: n.enterpriseId,
            sent_at: n.sentAt,
            acknowledged_at: n.acknowledgedAt,
            acknowledged_by: n.acknowledgedBy,
            note: n.note,
          })),
        )
        .execute();
    });
  }

  async notices(campaignId: number): Promise<CampaignNotice[]> {
    const rows = await this.db
      .selectFrom('ozone_campaign_notices')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('enterprise_id')
      .execute();
    return rows.map(toNotice);
  }

  async acknowledge(
    campaignId: number,
    enterpriseId: string,
    by: string,
    at: number,
    note: string | null,
  ): Promise<CampaignNotice | undefined> {
    await this.db
      .updateTable('ozone_campaign_notices')
      .set({ acknowledged_at: at, acknowledged_by: by, note })
      .where('campaign_id', '=', campaignId)
      .where('enterprise_id', '=', enterpriseId)
      .where('acknowledged_at', 'is', null)
      .execute();
    const row = await this.db
      .selectFrom('ozone_campaign_notices')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirst();
    return row && toNotice(row);
  }

  async saveCompliance(c: CampaignCompliance): Promise<void> {
    const row = { value: JSON.stringify(c), computed_at: c.computedAt };
    await this.db
      .insertInto('ozone_campaign_compliance')
      .values({ campaign_id: c.campaignId, ...row })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(row))
      .execute();
  }

  async loadCompliance(campaignId: number): Promise<CampaignCompliance | undefined> {
    const row = await this.db
      .selectFrom('ozone_campaign_compliance')
      .select('value')
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as CampaignCompliance) : undefined;
  }

  async saveForecasts(rows: readonly ForecastRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const values = {
          o3_8h: r.o3_8h,
          iaqi: r.iaqi,
          aqi: r.aqi,
          pm25: r.pm25,
          note: r.note,
          recorded_by: r.recordedBy,
          recorded_at: r.recordedAt,
        };
        await trx
          .insertInto('ozone_forecasts')
          .values({ date: r.date, ...values })
          .onConflict((oc) => oc.column('date').doUpdateSet(values))
          .execute();
      }
    });
  }

  async forecasts(from: string, to: string): Promise<ForecastRecord[]> {
    const rows = await this.db
      .selectFrom('ozone_forecasts')
      .selectAll()
      .where('date', '>=', from)
      .where('date', '<=', to)
      .orderBy('date')
      .execute();
    return rows.map(toForecast);
  }

  close(): Promise<void> {
    return this.closeDb();
  }
}

/** Opens the control store at a location (a SQLite file, state.db, or a PostgreSQL URL) and migrates it. */
export async function openControlStore(location: string, now: () => number = Date.now): Promise<KyselyControlStore> {
  const opened = openSqlDatabase<ControlTables>(location);
  try {
    await migrateToLatest(opened.db as Kysely<unknown>, CONTROL_MIGRATIONS);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return new KyselyControlStore(opened.db, () => opened.close(), now);
}
