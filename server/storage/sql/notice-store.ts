/**
 * Pre-notices and the recipients of warning notices and pre-notices with their acknowledgements
 * (已知悉), in the warnings' tables (warning-tables.ts, migration 0002-notices), through Kysely. The
 * service decides who is addressed and who may acknowledge before it gets here.
 */
import type { Kysely, Selectable } from 'kysely';
import { compareRecipients, type FrequentWarningOutlook, type NoticeRecipient, type PreNotice } from '../../domain/prenotice';
import type { NoticeRecipientRow, PreNoticeRow, WarningTables } from './warning-tables';

export type NoticeKind = 'warning' | 'pre_notice';

const num = (v: number | string | bigint): number => Number(v);
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function recipientOf(r: Selectable<NoticeRecipientRow>): NoticeRecipient {
  return {
    enterpriseId: r.enterprise_id,
    name: r.name,
    district: r.district,
    industryCode: r.industry_code ?? null,
    industryName: r.industry_name ?? null,
    acknowledgedAt: numOrNull(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by ?? null,
  };
}

function preNoticeOf(r: Selectable<PreNoticeRow>, recipients: NoticeRecipient[]): PreNotice {
  const level = r.level === 'red' ? 'red' : 'orange';
  return {
    id: num(r.id),
    districts: JSON.parse(r.districts) as string[],
    level,
    from: r.from_date,
    to: r.to_date,
    message: r.message,
    issuedBy: r.issued_by,
    issuedAt: num(r.issued_at),
    outlook: r.outlook === null ? null : (JSON.parse(r.outlook) as FrequentWarningOutlook),
    recipients,
  };
}

export type NewPreNotice = Omit<PreNotice, 'id'>;

export class NoticeStore {
  constructor(private readonly db: Kysely<WarningTables>) {}

  /** Every pre-notice with its recipients, newest first. */
  async preNotices(): Promise<PreNotice[]> {
    const rows = await this.db.selectFrom('pre_notices').selectAll().orderBy('id', 'desc').execute();
    const all = await this.db.selectFrom('notice_recipients').selectAll().where('notice_kind', '=', 'pre_notice').execute();
    const by = new Map<number, NoticeRecipient[]>();
    for (const r of all) by.set(num(r.notice_id), [...(by.get(num(r.notice_id)) ?? []), recipientOf(r)]);
    return rows.map((r) => preNoticeOf(r, (by.get(num(r.id)) ?? []).sort(compareRecipients)));
  }

  async preNotice(id: number): Promise<PreNotice | null> {
    const row = await this.db.selectFrom('pre_notices').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? preNoticeOf(row, await this.recipients('pre_notice', id)) : null;
  }

  /** Inserts the pre-notice (the next id) with its recipients, in one transaction. */
  async insertPreNotice(p: NewPreNotice): Promise<PreNotice> {
    return this.db.transaction().execute(async (trx) => {
      const max = await trx
        .selectFrom('pre_notices')
        .select((eb) => eb.fn.max<number | null>('id').as('max'))
        .executeTakeFirst();
      const id = num(max?.max ?? 0) + 1;
      await trx
        .insertInto('pre_notices')
        .values({
          id,
          districts: JSON.stringify(p.districts),
          level: p.level,
          from_date: p.from,
          to_date: p.to,
          message: p.message,
          issued_by: p.issuedBy,
          issued_at: p.issuedAt,
          outlook: p.outlook === null ? null : JSON.stringify(p.outlook),
        })
        .execute();
      await new NoticeStore(trx).addRecipients('pre_notice', id, p.recipients, p.issuedAt);
      return { ...p, id };
    });
  }

  /** Records the enterprises a notice went to (an enterprise already recorded is kept as it is). */
  async addRecipients(kind: NoticeKind, id: number, recipients: readonly NoticeRecipient[], at: number): Promise<void> {
    if (recipients.length === 0) return;
    await this.db
      .insertInto('notice_recipients')
      .values(
        recipients.map((r) => ({
          notice_kind: kind,
          notice_id: id,
          enterprise_id: r.enterpriseId,
          name: r.name,
          district: r.district,
          industry_code: r.industryCode,
          industry_name: r.industryName,
          notified_at: at,
          acknowledged_at: null,
          acknowledged_by: null,
        })),
      )
      .onConflict((oc) => oc.columns(['notice_kind', 'notice_id', 'enterprise_id']).doNothing())
      .execute();
  }

  /** The recipients of one notice, by district (Chinese collation, the same on both engines) then enterprise id. */
  async recipients(kind: NoticeKind, id: number): Promise<NoticeRecipient[]> {
    const rows = await this.db
      .selectFrom('notice_recipients')
      .selectAll()
      .where('notice_kind', '=', kind)
      .where('notice_id', '=', id)
      .execute();
    return rows.map(recipientOf).sort(compareRecipients);
  }

  /**
   * 已知悉: records the first acknowledgement of the enterprise (a repeat keeps the first time);
   * returns its entry, or null when the notice was not addressed to it.
   */
  async acknowledge(kind: NoticeKind, id: number, enterpriseId: string, at: number, by: string): Promise<NoticeRecipient | null> {
    const where = this.db
      .updateTable('notice_recipients')
      .set({ acknowledged_at: at, acknowledged_by: by })
      .where('notice_kind', '=', kind)
      .where('notice_id', '=', id)
      .where('enterprise_id', '=', enterpriseId)
      .where('acknowledged_at', 'is', null);
    await where.execute();
    const row = await this.db
      .selectFrom('notice_recipients')
      .selectAll()
      .where('notice_kind', '=', kind)
      .where('notice_id', '=', id)
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirst();
    return row ? recipientOf(row) : null;
  }
}
