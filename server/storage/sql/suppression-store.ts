/**
 * Silences and maintenance windows through Kysely, beside the alerts (alert-tables.ts), on SQLite or
 * PostgreSQL. Plain rows: a silence or a window is written by one officer's action at a time, and
 * the services re-read before they change one.
 */
import type { Kysely, Selectable } from 'kysely';
import type { MaintenanceStatus, MaintenanceWindow, Silence } from '../../domain/alert';
import type { MaintenanceQuery, SilenceQuery } from '../alert-queries';
import type { AlertTables, MaintenanceRow, SilenceRow } from './alert-tables';

export interface SuppressionStore {
  insertSilence(s: Omit<Silence, 'id'>): Promise<Silence>;
  updateSilence(s: Silence): Promise<void>;
  getSilence(id: number): Promise<Silence | undefined>;
  /** Newest first. */
  listSilences(q: SilenceQuery): Promise<Silence[]>;
  insertWindow(w: Omit<MaintenanceWindow, 'id'>): Promise<MaintenanceWindow>;
  updateWindow(w: MaintenanceWindow): Promise<void>;
  getWindow(id: number): Promise<MaintenanceWindow | undefined>;
  /** Pending first, then newest first. */
  listWindows(q: MaintenanceQuery): Promise<MaintenanceWindow[]>;
}

const silenceOf = (r: Selectable<SilenceRow>): Silence => ({
  id: Number(r.id),
  mn: r.mn,
  factor: r.factor,
  rule: r.rule,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  endsAt: Number(r.ends_at),
});

const silenceRow = (s: Omit<Silence, 'id'>): Omit<SilenceRow, 'id'> => ({
  mn: s.mn,
  factor: s.factor,
  rule: s.rule,
  reason: s.reason,
  created_by: s.createdBy,
  created_at: s.createdAt,
  ends_at: s.endsAt,
});

const maybe = (n: number | null): number | null => (n === null ? null : Number(n));

const windowOf = (r: Selectable<MaintenanceRow>): MaintenanceWindow => ({
  id: Number(r.id),
  enterpriseId: r.enterprise_id,
  mn: r.mn,
  from: Number(r.from_ts),
  to: Number(r.to_ts),
  reason: r.reason,
  declaredBy: r.declared_by,
  createdAt: Number(r.created_at),
  status: r.status as MaintenanceStatus,
  reviewedBy: r.reviewed_by,
  reviewedAt: maybe(r.reviewed_at),
  reviewNote: r.review_note,
  endedBy: r.ended_by,
  endedAt: maybe(r.ended_at),
});

const windowRow = (w: Omit<MaintenanceWindow, 'id'>): Omit<MaintenanceRow, 'id'> => ({
  enterprise_id: w.enterpriseId,
  mn: w.mn,
  from_ts: w.from,
  to_ts: w.to,
  reason: w.reason,
  declared_by: w.declaredBy,
  created_at: w.createdAt,
  status: w.status,
  reviewed_by: w.reviewedBy,
  reviewed_at: w.reviewedAt,
  review_note: w.reviewNote,
  ended_by: w.endedBy,
  ended_at: w.endedAt,
});

export class KyselySuppressionStore implements SuppressionStore {
  constructor(private readonly db: Kysely<AlertTables>) {}

  async insertSilence(s: Omit<Silence, 'id'>): Promise<Silence> {
    const { id } = await this.db.insertInto('silences').values(silenceRow(s)).returning('id').executeTakeFirstOrThrow();
    return { ...s, id: Number(id) };
  }

  async updateSilence(s: Silence): Promise<void> {
    await this.db.updateTable('silences').set(silenceRow(s)).where('id', '=', s.id).execute();
  }

  async getSilence(id: number): Promise<Silence | undefined> {
    const row = await this.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    return row && silenceOf(row);
  }

  async listSilences(q: SilenceQuery): Promise<Silence[]> {
    let query = this.db.selectFrom('silences').selectAll();
    if (q.activeAt !== undefined) query = query.where('created_at', '<=', q.activeAt).where('ends_at', '>', q.activeAt);
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(silenceOf);
  }

  async insertWindow(w: Omit<MaintenanceWindow, 'id'>): Promise<MaintenanceWindow> {
    const { id } = await this.db.insertInto('maintenance_windows').values(windowRow(w)).returning('id').executeTakeFirstOrThrow();
    return { ...w, id: Number(id) };
  }

  async updateWindow(w: MaintenanceWindow): Promise<void> {
    await this.db.updateTable('maintenance_windows').set(windowRow(w)).where('id', '=', w.id).execute();
  }

  async getWindow(id: number): Promise<MaintenanceWindow | undefined> {
    const row = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    return row && windowOf(row);
  }

  async listWindows(q: MaintenanceQuery): Promise<MaintenanceWindow[]> {
    let query = this.db.selectFrom('maintenance_windows').selectAll();
    if (q.enterpriseId !== undefined) query = query.where('enterprise_id', '=', q.enterpriseId);
    // A source's own windows and its enterprise's whole-enterprise windows both apply to it.
    const mn = q.mn;
    if (mn !== undefined) query = query.where((eb) => eb.or([eb('mn', '=', mn), eb('mn', 'is', null)]));
    if (q.activeAt !== undefined) query = query.where('from_ts', '<=', q.activeAt).where('to_ts', '>', q.activeAt);
    if (q.endingAfter !== undefined) query = query.where('to_ts', '>', q.endingAfter);
    if (q.status !== undefined) query = query.where('status', '=', q.status);
    // Pending first (what waits for an officer), then newest first.
    const rows = await query
      .orderBy((eb) => eb.case().when('status', '=', 'pending').then(0).else(1).end())
      .orderBy('id', 'desc')
      .limit(q.limit)
      .execute();
    return rows.map(windowOf);
  }
}
