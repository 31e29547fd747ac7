/** The grade-proposal store's contract on both engines: one pending per enterprise, decided once, the last decision's time, a reopening. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProposalEvidence } from '../../../server/domain/grade-downgrade';
import { openGradeProposalStore, type GradeProposalStore, type NewGradeProposal } from '../../../server/storage/sql/grade-proposal-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const evidence: ProposalEvidence[] = [
  {
    alertId: 3,
    responseId: 1,
    mn: '370300VOCS00000000000402',
    openedAt: 1000,
    entry: '1#裂解装置',
    measure: '停产',
    level: 'Ⅱ级（橙色）',
    failedHours: 2,
  },
  {
    alertId: 9,
    responseId: 2,
    mn: '370300VOCS00000000000402',
    openedAt: 5000,
    entry: '1#裂解装置',
    measure: '停产',
    level: 'Ⅰ级（红色）',
    failedHours: 3,
  },
];
const proposal = (enterpriseId: string, proposedAt: number): NewGradeProposal => ({
  enterpriseId,
  enterpriseName: `${enterpriseId} 名称`,
  fromGrade: 'B',
  toGrade: 'C',
  proposedAt,
  responseIds: [1, 2],
  evidence,
});

describe.each(sqlEngines())('GradeProposalStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openGradeProposalStore>>;
  let store: GradeProposalStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openGradeProposalStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-grade-proposals']);
    await opened.close();
    opened = await openGradeProposalStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('keeps one pending proposal per enterprise, with its evidence', async () => {
    const a = await store.insert(proposal('ent-a', 6000));
    expect(a).toEqual({
      ...proposal('ent-a', 6000),
      id: 1,
      status: 'pending',
      decidedAt: null,
      decidedBy: null,
      decisionReason: null,
    });
    expect(await store.insert(proposal('ent-a', 7000))).toBeNull();
    const b = await store.insert(proposal('ent-b', 8000));
    expect(b?.id).toBe(2);
    expect(await store.pending('ent-a')).toEqual(a);
    expect(await store.pending('ent-c')).toBeNull();
    expect((await store.list()).map((p) => p.id)).toEqual([2, 1]);
    expect((await store.list({ enterpriseId: 'ent-b' })).map((p) => p.id)).toEqual([2]);
  });

  it('decides once; the enterprise may then get a new proposal; the last decision time bounds its evidence', async () => {
    const a = await store.insert(proposal('ent-a', 6000));
    expect(await store.lastDecidedAt('ent-a')).toBeNull();
    const dismissed = await store.decide(a!.id, { status: 'dismissed', at: 6500, by: 'officer', reason: '企业已提供停产证明' });
    expect(dismissed).toMatchObject({ status: 'dismissed', decidedAt: 6500, decidedBy: 'officer', decisionReason: '企业已提供停产证明' });
    expect(await store.decide(a!.id, { status: 'confirmed', at: 6600, by: 'admin', reason: 'x' })).toBeNull();
    expect(await store.decide(99, { status: 'confirmed', at: 6600, by: 'admin', reason: 'x' })).toBeNull();
    const again = await store.insert(proposal('ent-a', 9000));
    expect(again?.id).toBe(2);
    await store.decide(again!.id, { status: 'confirmed', at: 9500, by: 'admin', reason: '未落实减排措施' });
    expect(await store.lastDecidedAt('ent-a')).toBe(9500);
    expect((await store.list({ status: 'confirmed' })).map((p) => [p.id, p.decidedBy])).toEqual([[2, 'admin']]);
    await opened.close();
    opened = await openGradeProposalStore(fresh.location);
    store = opened.store;
    expect((await store.list()).map((p) => p.status)).toEqual(['confirmed', 'dismissed']);
  });

  it('records an alert once per response it was active in, read back per enterprise after a time', async () => {
    const [first, second] = evidence as [ProposalEvidence, ProposalEvidence];
    expect(await store.recordFact({ enterpriseId: 'ent-a', seenAt: 1000, evidence: first })).toBe(true);
    expect(await store.recordFact({ enterpriseId: 'ent-a', seenAt: 1100, evidence: first })).toBe(false);
    // The same alert reactivated in a later response counts for that response too.
    expect(await store.recordFact({ enterpriseId: 'ent-a', seenAt: 5000, evidence: { ...first, responseId: 2 } })).toBe(true);
    expect(await store.recordFact({ enterpriseId: 'ent-b', seenAt: 5100, evidence: second })).toBe(true);
    expect(await store.recordFact({ enterpriseId: 'ent-a', seenAt: 6000, evidence: { ...second, alertId: 12, responseId: null } })).toBe(
      true,
    );
    expect(await store.facts('ent-a', 0)).toEqual([
      { seenAt: 1000, evidence: first },
      { seenAt: 5000, evidence: { ...first, responseId: 2 } },
      { seenAt: 6000, evidence: { ...second, alertId: 12, responseId: null } },
    ]);
    expect((await store.facts('ent-a', 1000)).map((f) => f.seenAt)).toEqual([5000, 6000]);
    expect(await store.facts('ent-c', 0)).toEqual([]);
  });
});
