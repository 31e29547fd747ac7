/**
 * Grade downgrade proposals (issue 18 item 4): each measure-noncompliance alert seen active is
 * recorded once per response it failed in; when the enterprise's record meets the trigger
 * (server/domain/grade-downgrade.ts) and it has no pending proposal, a proposal for the grade one
 * level lower is stored (audited, `grade-proposal:changed`). An officer confirms it — the registry's
 * grade change with its history and reason, audited, and a notice to the enterprise — or dismisses
 * it with a reason. The bureau's only: no route gives an enterprise a proposal.
 */
import type { AuditInput } from '../auth/audit-log';
import type { Alert } from '../domain/alert';
import { HttpError } from '../domain/errors';
import {
  downgradeDue,
  downgradeReason,
  type DowngradePolicy,
  type GradeProposal,
  type GradeProposalStatus,
  type ProposalEvidence,
} from '../domain/grade-downgrade';
import type { EventBus } from '../domain/internal-events';
import type { Principal } from '../domain/principal';
import type { Enterprise } from '../domain/registry';
import type { NotifyEnterprises } from '../domain/markdown-notice';
import type { RegistryView } from '../domain/registry-view';
import { RULE_IDS } from '../domain/rule-ids';
import type { Logger } from '../logger';
import type { RegistryActor } from '../registry/registry-admin';
import type { GradeProposalStore } from '../storage/sql/grade-proposal-store';
import { formatDowngradeNotice } from './grade-notice';
import { enterpriseById } from '../domain/registry';

export interface GradeProposalDeps {
  store: GradeProposalStore;
  registry: RegistryView;
  /** The registry's audited grade change (history and reason). */
  changeGrade(id: string, grade: Enterprise['grade'], reason: string, actor: RegistryActor, ip?: string | null): Promise<Enterprise>;
  /** The measure-noncompliance alerts opened since a time (the sweep at start). */
  noncomplianceSince(from: number): Promise<Alert[]>;
  audit: { record(input: AuditInput): Promise<unknown> };
  events: EventBus;
  notifyEnterprises: NotifyEnterprises;
  policy: DowngradePolicy;
  log: Logger;
  now: () => number;
}

/** Who decides: the audit's actor, the request's address. */
export interface Deciding {
  actor: Principal;
  username: string;
  ip: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The alert as a proposal's evidence (its evidence names the response, entry, measure and level). */
export function evidenceOf(a: Alert): ProposalEvidence {
  const e = a.evidence ?? {};
  return {
    alertId: a.id,
    responseId: num(e['responseId']),
    mn: a.mn,
    openedAt: a.openedAt,
    entry: str(e['entry']),
    measure: str(e['measure']),
    level: str(e['level']),
    failedHours: num(e['failedHours']),
  };
}

export class GradeProposalService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: GradeProposalDeps) {}

  /** Runs `fn` after every earlier change (one enterprise's facts are weighed in order). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every queued change is done (before the store closes). */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** An alert changed: a measure-noncompliance alert active in a response is recorded, then its enterprise weighed. */
  onAlert(a: Alert): Promise<GradeProposal | null> {
    if (a.rule !== RULE_IDS.measureNoncompliance || a.state !== 'active') return Promise.resolve(null);
    return this.exclusive(async () => {
      const created = await this.deps.store.recordFact({ enterpriseId: a.enterpriseId, seenAt: a.lastSeenAt, evidence: evidenceOf(a) });
      return created ? this.weigh(a.enterpriseId) : null;
    });
  }

  /** At start: the alerts of the window recorded (those seen while stopped), each enterprise weighed. */
  async sweep(): Promise<void> {
    const from = this.deps.now() - this.deps.policy.windowDays * 86_400_000;
    const alerts = await this.deps.noncomplianceSince(from);
    for (const a of alerts) await this.onAlert(a);
    for (const id of new Set(alerts.map((a) => a.enterpriseId))) await this.exclusive(() => this.weigh(id));
  }

  /** Proposes a downgrade when the trigger holds and none is pending; returns it, or null. */
  private async weigh(enterpriseId: string): Promise<GradeProposal | null> {
    const enterprise = enterpriseById(this.deps.registry.current().enterprises, enterpriseId);
    if (!enterprise || (await this.deps.store.pending(enterpriseId))) return null;
    const now = this.deps.now();
    const decidedAt = await this.deps.store.lastDecidedAt(enterpriseId);
    const facts = await this.deps.store.facts(enterpriseId, now - this.deps.policy.windowDays * 86_400_000);
    const due = downgradeDue({
      grade: enterprise.grade,
      alerts: facts.map((f) => ({ alertId: f.evidence.alertId, responseId: f.evidence.responseId, openedAt: f.seenAt })),
      now,
      decidedAt,
      policy: this.deps.policy,
    });
    if (!due) return null;
    const counted = new Set(due.alertIds);
    const evidence = facts
      .filter((f) => counted.has(f.evidence.alertId) && f.seenAt > (decidedAt ?? -Infinity))
      .map((f) => ({ ...f.evidence, openedAt: f.seenAt }));
    const proposal = await this.deps.store.insert({
      enterpriseId,
      enterpriseName: enterprise.name,
      fromGrade: due.fromGrade,
      toGrade: due.toGrade,
      proposedAt: now,
      responseIds: due.responseIds,
      evidence,
    });
    if (!proposal) return null;
    await this.deps.audit.record({
      actor: null,
      action: 'reductions.downgrade_proposed',
      target: `grade-proposal:${proposal.id}`,
      detail: { enterprise: enterpriseId, from: due.fromGrade, to: due.toGrade, responses: due.responseIds, alerts: due.alertIds },
    });
    this.deps.log.info({ proposal: proposal.id, enterprise: enterpriseId, to: due.toGrade }, 'grade downgrade proposed');
    this.deps.events.emit('grade-proposal:changed', proposal);
    return proposal;
  }

  list(status?: GradeProposalStatus): Promise<GradeProposal[]> {
    return this.deps.store.list({ status });
  }

  async get(id: number): Promise<GradeProposal> {
    const p = await this.deps.store.get(id);
    if (!p) throw new HttpError(404, 'not_found', `grade proposal ${id} not found`);
    return p;
  }

  /**
   * Confirms: the enterprise's grade becomes the proposed one through the registry (history and
   * reason, audited `registry.grade_changed`), the proposal is decided, the enterprise notified.
   * 409 when it was decided already, or the grade is no longer the one the proposal started from.
   */
  confirm(id: number, note: string | null, by: Deciding): Promise<GradeProposal> {
    return this.exclusive(async () => {
      const p = await this.pendingOrConflict(id);
      const grade = enterpriseById(this.deps.registry.current().enterprises, p.enterpriseId)?.grade ?? 'ungraded';
      if (grade !== p.fromGrade)
        throw new HttpError(409, 'grade_changed', `the enterprise's grade is now ${grade}, not ${p.fromGrade}: dismiss this proposal`);
      const reason = downgradeReason({
        failedResponses: p.responseIds.length || p.evidence.length,
        alertIds: p.evidence.map((e) => e.alertId),
        note,
      });
      await this.deps.changeGrade(p.enterpriseId, p.toGrade, reason, by.actor, by.ip);
      const decided = await this.decided(id, { status: 'confirmed', at: this.deps.now(), by: by.username, reason }, by);
      this.deps.notifyEnterprises([decided.enterpriseId], 'grade_downgraded', decided.id, (channel) =>
        formatDowngradeNotice(channel, decided),
      );
      return decided;
    });
  }

  /** Dismisses with the officer's reason; the evidence weighed so far never counts again. */
  dismiss(id: number, reason: string, by: Deciding): Promise<GradeProposal> {
    return this.exclusive(async () => {
      await this.pendingOrConflict(id);
      return this.decided(id, { status: 'dismissed', at: this.deps.now(), by: by.username, reason }, by);
    });
  }

  private async pendingOrConflict(id: number): Promise<GradeProposal> {
    const p = await this.get(id);
    if (p.status !== 'pending') throw new HttpError(409, 'already_decided', `grade proposal ${id} was ${p.status} already`);
    return p;
  }

  private async decided(
    id: number,
    d: { status: 'confirmed' | 'dismissed'; at: number; by: string; reason: string },
    by: Deciding,
  ): Promise<GradeProposal> {
    const p = await this.deps.store.decide(id, d);
    if (!p) throw new HttpError(409, 'already_decided', `grade proposal ${id} was decided meanwhile`);
    await this.deps.audit.record({
      actor: by.actor,
      action: d.status === 'confirmed' ? 'reductions.downgrade_confirmed' : 'reductions.downgrade_dismissed',
      target: `grade-proposal:${id}`,
      detail: { enterprise: p.enterpriseId, from: p.fromGrade, to: p.toGrade, reason: d.reason },
      ip: by.ip,
    });
    this.deps.events.emit('grade-proposal:changed', p);
    return p;
  }
}
