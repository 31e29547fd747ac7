/**
 * Grade-downgrade proposals (issue 18 item 4) through Kysely, on SQLite and PostgreSQL: a proposal
 * is inserted pending (at most one pending per enterprise: a second answers null), listed newest
 * first, and decided once (confirmed or dismissed, with who, when and the reason). The time of an
 * enterprise's last decision bounds the evidence the next proposal may count. The evidence itself:
 * each measure-noncompliance alert once per response it was active in (recorded as seen).
 */
import type { Kysely, Selectable } from 'kysely';
import { GRADE_PROPOSAL_STATUSES, type GradeProposal, type GradeProposalStatus, type ProposalEvidence } from '../../domain/grade-downgrade';
import { GRADES, type Grade } from '../../domain/registry';
import { isUniqueViolation, openSqlDatabase } from './database';
import { GRADE_PROPOSAL_MIGRATIONS, type GradeProposalRow, type GradeProposalTables } from './grade-proposal-tables';
import { migrateToLatest } from './migrate';

const gradeIn = (g: string): Grade => ((GRADES as readonly string[]).includes(g) ? (g as Grade) : 'ungraded');
const statusIn = (s: string): GradeProposalStatus =>
  (GRADE_PROPOSAL_STATUSES as readonly string[]).includes(s) ? (s as GradeProposalStatus) : 'pending';
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

const proposalOf = (r: Selectable<GradeProposalRow>): GradeProposal => ({
  id: Number(r.id),
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  fromGrade: gradeIn(r.from_grade),
  toGrade: gradeIn(r.to_grade),
  status: statusIn(r.status),
  proposedAt: Number(r.proposed_at),
  responseIds: JSON.parse(r.response_ids) as number[],
  evidence: JSON.parse(r.evidence) as ProposalEvidence[],
  decidedAt: numOrNull(r.decided_at),
  decidedBy: r.decided_by,
  decisionReason: r.decision_reason,
});

export type NewGradeProposal = Pick<
  GradeProposal,
  'enterpriseId' | 'enterpriseName' | 'fromGrade' | 'toGrade' | 'proposedAt' | 'responseIds' | 'evidence'
>;

export interface ProposalQuery {
  status?: GradeProposalStatus | undefined;
  enterpriseId?: string | undefined;
}

export class GradeProposalStore {
  constructor(private readonly db: Kysely<GradeProposalTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, GRADE_PROPOSAL_MIGRATIONS);
  }

  /** Inserts a pending proposal (the next id); null when the enterprise already has one pending. */
  async insert(p: NewGradeProposal): Promise<GradeProposal | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const max = await trx
          .selectFrom('grade_proposals')
          .select((eb) => eb.fn.max<number | null>('id').as('max'))
          .executeTakeFirst();
        const row: GradeProposalRow = {
          id: Number(max?.max ?? 0) + 1,
          enterprise_id: p.enterpriseId,
          enterprise_name: p.enterpriseName,
          from_grade: p.fromGrade,
          to_grade: p.toGrade,
          status: 'pending',
          proposed_at: p.proposedAt,
          response_ids: JSON.stringify(p.responseIds),
          evidence: JSON.stringify(p.evidence),
          decided_at: null,
          decided_by: null,
          decision_reason: null,
        };
        await trx.insertInto('grade_proposals').values(row).execute();
        return proposalOf(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async get(id: number): Promise<GradeProposal | null> {
    const row = await this.db.selectFrom('grade_proposals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? proposalOf(row) : null;
  }

  /** Newest first. */
  async list(q: ProposalQuery = {}): Promise<GradeProposal[]> {
    let query = this.db.selectFrom('grade_proposals').selectAll();
    if (q.status !== undefined) query = query.where('status', '=', q.status);
    if (q.enterpriseId !== undefined) query = query.where('enterprise_id', '=', q.enterpriseId);
    return (await query.orderBy('id', 'desc').execute()).map(proposalOf);
  }

  /** The enterprise's pending proposal, if any. */
  async pending(enterpriseId: string): Promise<GradeProposal | null> {
    const [p] = await this.list({ status: 'pending', enterpriseId });
    return p ?? null;
  }

  /** Records an alert active in a response, once; true when this call recorded it. */
  async recordFact(f: { enterpriseId: string; seenAt: number; evidence: ProposalEvidence }): Promise<boolean> {
    const r = await this.db
      .insertInto('grade_noncompliance')
      .values({
        alert_id: f.evidence.alertId,
        response_id: f.evidence.responseId ?? 0,
        enterprise_id: f.enterpriseId,
        seen_at: f.seenAt,
        evidence: JSON.stringify(f.evidence),
      })
      .onConflict((oc) => oc.columns(['alert_id', 'response_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The enterprise's recorded alerts seen after `since`, oldest first. */
  async facts(enterpriseId: string, since: number): Promise<{ seenAt: number; evidence: ProposalEvidence }[]> {
    const rows = await this.db
      .selectFrom('grade_noncompliance')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .where('seen_at', '>', since)
      .orderBy('seen_at')
      .orderBy('alert_id')
      .execute();
    return rows.map((r) => ({ seenAt: Number(r.seen_at), evidence: JSON.parse(r.evidence) as ProposalEvidence }));
  }

  /** When the enterprise's last proposal was decided (confirmed or dismissed); null when never. */
  async lastDecidedAt(enterpriseId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('grade_proposals')
      .select((eb) => eb.fn.max<number | null>('decided_at').as('at'))
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirst();
    return numOrNull(row?.at ?? null);
  }

  /** Decides a pending proposal; null when it is not pending (decided meanwhile) or does not exist. */
  async decide(
    id: number,
    d: { status: Exclude<GradeProposalStatus, 'pending'>; at: number; by: string; reason: string },
  ): Promise<GradeProposal | null> {
    const r = await this.db
      .updateTable('grade_proposals')
      .set({ status: d.status, decided_at: d.at, decided_by: d.by, decision_reason: d.reason })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? this.get(id) : null;
  }
}

/** Opens the proposal store on the registry's database and brings its schema up to date. */
export async function openGradeProposalStore(
  location: string,
): Promise<{ store: GradeProposalStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<GradeProposalTables>(location);
  const store = new GradeProposalStore(db);
  try {
    return { store, migrated: await store.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
