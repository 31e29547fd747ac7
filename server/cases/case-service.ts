/**
 * Rectification cases (issue 19 item 3) as the REST routes and the overdue ticker use them: create
 * (by hand, or from alerts — the enterprise and sources inferred, alerts of different enterprises
 * refused), list and read in the caller's scope (an enterprise user: its own cases, without the
 * internal note), transitions through the pure `transitionCase` (close judged against the alert
 * store: no alert on the case's sources, and rules, for the clean days), attachments (delegated to
 * server/cases/case-attachments.ts: upload, download, delete), and the overdue mark, set once per
 * overdue and notified once. Every change is audited (`case.*`, target `case:<id>`) and announced
 * (`case:changed`).
 */
import type { AuditSink } from '../alerts/notify-targets';
import type { Alert } from '../domain/alert';
import type { CaseAuditAction } from '../domain/audit';
import { caseForBureau, caseForEnterprise } from '../domain/case-views';
import {
  dueDateOf,
  isOverdue,
  LEDGER_MAX_ROWS,
  transitionCase,
  type CaseAttachment,
  type CaseParty,
  type CaseQueryInput,
  type CaseTransitionInput,
  type CaseView,
  type CreateCaseInput,
  type RectificationCase,
} from '../domain/case';
import { HttpError } from '../domain/errors';
import type { EventBus, InternalEvents } from '../domain/internal-events';
import { localDate } from '../domain/local-time';
import { RULE_IDS } from '../domain/rule-ids';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { caseNotFound, type CaseStore } from '../storage/sql/case-store';
import type { AlertQuery } from '../storage/alert-queries';
import { CaseAttachments, type AttachmentRefusal, type CaseActor } from './case-attachments';
import type { LedgerNames } from './case-ledger';
import { enterpriseById, sourceByMn } from '../domain/registry';

export interface CaseServiceDeps {
  store: CaseStore;
  alerts: { get(id: number): Promise<Alert | undefined>; list(q: AlertQuery): Promise<{ items: Alert[] }> };
  registry: RegistryView;
  /** Is this username a staff account that may be in charge of a case (admin or officer, not disabled)? */
  isStaff: (username: string) => Promise<boolean>;
  audit: AuditSink;
  events: EventBus<InternalEvents>;
  /** Where attachments' files go (created by the module). */
  filesDir: string;
  /** A person's display name (the ledger's officer column, the bureau's `names`). */
  displayName: (username: string) => string;
  /** How an enterprise reads a person: bureau staff by display name, its own users as they are. */
  nameForEnterprise: (username: string) => string;
  /** A case just found overdue: notify its officer and the duty chain. */
  notifyOverdue: (c: RectificationCase) => void;
  log: Logger;
  now: () => number;
  utcOffsetMinutes: number;
}

export type { CaseActor } from './case-attachments';

const ACTION_AUDIT: Record<CaseTransitionInput['action'], CaseAuditAction> = {
  submit: 'case.submitted',
  accept: 'case.accepted',
  close: 'case.closed',
  return: 'case.returned',
  reassign: 'case.reassigned',
};

export class CaseService {
  readonly attachments: CaseAttachments;
  /** Refused uploads by reason, for metrics. */
  get refused(): Record<string, number> {
    return this.attachments.refused;
  }

  constructor(private readonly deps: CaseServiceDeps) {
    this.attachments = new CaseAttachments({
      ...deps,
      get: (id, tenant) => this.get(id, tenant),
      audit: (action, c, actor, detail) => this.audit(action, c, actor, detail),
      announce: (c) => this.announce(c),
    });
  }

  /** The case as the caller may see it: the bureau with `names`; an enterprise without the internal note, people by display name. */
  private viewFor(tenant: string | null) {
    const { displayName, nameForEnterprise } = this.deps;
    return (c: RectificationCase): RectificationCase =>
      tenant === null ? caseForBureau(c, displayName) : caseForEnterprise(c, nameForEnterprise);
  }

  async list(
    q: CaseQueryInput,
    tenant: string | null,
  ): Promise<{ items: RectificationCase[]; total: number; limit: number; offset: number }> {
    if (tenant !== null && q.enterprise !== undefined && q.enterprise !== tenant)
      return { items: [], total: 0, limit: q.limit, offset: q.offset };
    const today = localDate(this.deps.now(), this.deps.utcOffsetMinutes);
    const page = await this.deps.store.list({
      status: q.status,
      type: q.type,
      district: q.district,
      enterpriseId: tenant ?? q.enterprise,
      overdue: q.overdue === undefined ? undefined : { today, overdue: q.overdue === 'true' },
      limit: q.limit,
      offset: q.offset,
    });
    return { items: page.items.map(this.viewFor(tenant)), total: page.total, limit: q.limit, offset: q.offset };
  }

  /** Every case matching the filters (at most LEDGER_MAX_ROWS, newest first), with overdue, as the caller may see them. */
  async ledger(q: Omit<CaseQueryInput, 'limit' | 'offset'>, tenant: string | null): Promise<CaseView[]> {
    const page = await this.list({ ...q, limit: LEDGER_MAX_ROWS, offset: 0 }, tenant);
    return page.items.map((c) => ({ ...c, overdue: this.overdue(c) }));
  }

  /** Names for the ledger: enterprises and outlets from the registry, people by display name. */
  ledgerNames(): LedgerNames {
    const reg = this.deps.registry.current();
    return {
      enterprise: (id) => enterpriseById(reg.enterprises, id)?.name ?? id,
      source: (mn) => sourceByMn(reg.sources, mn)?.name ?? mn,
      person: (u) => this.deps.displayName(u),
    };
  }

  /** The case as the caller may see it (404 for another enterprise's). */
  async get(id: number, tenant: string | null): Promise<RectificationCase> {
    const c = await this.deps.store.get(id);
    if (!c || (tenant !== null && c.enterpriseId !== tenant)) throw caseNotFound(id);
    return this.viewFor(tenant)(c);
  }

  /** Today's local date (the ledger's file name). */
  today(): string {
    return localDate(this.deps.now(), this.deps.utcOffsetMinutes);
  }

  /** Is the case overdue now (derived)? */
  overdue(c: RectificationCase): boolean {
    return isOverdue(c, this.deps.now(), this.deps.utcOffsetMinutes);
  }

  async create(input: CreateCaseInput, actor: CaseActor): Promise<RectificationCase> {
    const reg = this.deps.registry.current();
    const alerts: Alert[] = [];
    for (const id of input.alertIds) {
      const a = await this.deps.alerts.get(id);
      if (!a) throw new HttpError(400, 'bad_request', `alert ${id} not found`);
      alerts.push(a);
    }
    const enterprises = new Set(alerts.map((a) => a.enterpriseId));
    if (enterprises.size > 1)
      throw new HttpError(400, 'case_mixed_enterprises', 'the alerts belong to different enterprises: one case per enterprise');
    const enterpriseId = input.enterpriseId ?? [...enterprises][0];
    if (enterpriseId === undefined || (enterprises.size === 1 && !enterprises.has(enterpriseId)))
      throw new HttpError(400, 'case_mixed_enterprises', 'the alerts belong to another enterprise than the one named');
    const enterprise = enterpriseById(reg.enterprises, enterpriseId);
    if (!enterprise) throw new HttpError(400, 'bad_request', `enterprise ${enterpriseId} not found`);
    for (const mn of input.sources) {
      if (!reg.sources.some((s) => s.mn === mn && s.enterpriseId === enterpriseId))
        throw new HttpError(400, 'bad_request', `source ${mn} is not one of ${enterpriseId}'s`);
    }
    if (!(await this.deps.isStaff(input.officer)))
      throw new HttpError(400, 'case_bad_officer', `${input.officer} is no active officer or administrator`);
    const at = this.deps.now();
    const unique = <T>(xs: T[]) => [...new Set(xs)];
    const c = await this.deps.store.insert(
      {
        type: input.type,
        enterpriseId,
        district: enterprise.district,
        alertIds: unique(input.alertIds),
        sources: unique([...alerts.map((a) => a.mn), ...input.sources]),
        rules: unique(alerts.map((a) => a.rule)),
        officer: input.officer,
        deadline: input.deadline,
        requirements: input.requirements,
        internalNote: input.internalNote ?? null,
        status: 'open',
        cleanDays: null,
        verifyingSince: null,
        report: null,
        returnReason: null,
        overdueAt: null,
        createdBy: actor.principal.username,
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        closedBy: null,
      },
      { at, by: actor.principal.username, event: 'created', note: null, detail: { alerts: input.alertIds.length }, internal: false },
    );
    await this.audit('case.created', c, actor, {
      type: c.type,
      enterprise: enterprise.name,
      officer: c.officer,
      due: dueDateOf(c.deadline),
      alerts: c.alertIds.length,
    });
    this.announce(c);
    return this.viewFor(null)(c);
  }

  /**
   * The latest alert on the case's sources (and rules) seen or raised since `since`, or null. An
   * outage (offline) on its sources counts whatever the case's rules: a silent source proves
   * nothing, so the clean days start again when it is back.
   */
  async lastRecurrenceSince(c: RectificationCase, since: number): Promise<number | null> {
    let last: number | null = null;
    for (const mn of c.sources) {
      for (const a of (await this.deps.alerts.list({ mn, limit: 500 })).items) {
        if (c.rules.length > 0 && !c.rules.includes(a.rule) && a.rule !== RULE_IDS.offline) continue;
        const seen = Math.max(a.lastSeenAt, a.raisedAt);
        if (seen >= since && (last === null || seen > last)) last = seen;
      }
    }
    return last;
  }

  async transition(id: number, input: CaseTransitionInput, actor: CaseActor): Promise<RectificationCase> {
    await this.get(id, actor.tenant); // 404 for another enterprise's
    const party: CaseParty = actor.tenant === null ? 'bureau' : 'enterprise';
    if (input.action === 'reassign' && input.officer !== undefined && !(await this.deps.isStaff(input.officer)))
      throw new HttpError(400, 'case_bad_officer', `${input.officer} is no active officer or administrator`);
    const full = await this.deps.store.get(id); // as stored: the views rename people
    if (!full) throw caseNotFound(id);
    const now = this.deps.now();
    const lastRecurrenceAt =
      input.action === 'close' && full.verifyingSince !== null ? await this.lastRecurrenceSince(full, full.verifyingSince) : null;
    const r = transitionCase(full, input, { now, actor: actor.principal.username, party, lastRecurrenceAt });
    if (!r.ok) {
      const status = r.reason === 'wrong_party' ? 403 : 409;
      throw new HttpError(status, r.reason === 'wrong_party' ? 'forbidden' : `case_${r.reason}`, r.message);
    }
    const saved = await this.deps.store.update(r.case, full.version, r.entry);
    await this.audit(ACTION_AUDIT[input.action], saved, actor, { status: saved.status, ...(r.entry.detail ?? {}) });
    this.announce(saved);
    return this.viewFor(actor.tenant)(saved);
  }

  /** Uploads, downloads and deletes of the case's files (server/cases/case-attachments.ts). */
  attach(id: number, name: string, bytes: Buffer, actor: CaseActor): Promise<CaseAttachment> {
    return this.attachments.attach(id, name, bytes, actor);
  }
  refuse(reason: AttachmentRefusal, c: RectificationCase | null, actor: CaseActor, name: string, size: number): Promise<never> {
    return this.attachments.refuse(reason, c, actor, name, size);
  }
  file(id: number, attachmentId: string, tenant: string | null): Promise<{ attachment: CaseAttachment; path: string }> {
    return this.attachments.file(id, attachmentId, tenant);
  }
  detach(id: number, attachmentId: string, actor: CaseActor): Promise<void> {
    return this.attachments.remove(id, attachmentId, actor);
  }

  /** Marks the cases newly overdue (once each) and notifies; returns how many. */
  async tickOverdue(): Promise<number> {
    const now = this.deps.now();
    const today = localDate(now, this.deps.utcOffsetMinutes);
    let marked = 0;
    for (const c of await this.deps.store.dueForOverdue(today)) {
      const due = dueDateOf(c.deadline);
      const done = await this.deps.store.markOverdue(c.id, now, {
        at: now,
        by: 'system',
        event: 'overdue',
        note: null,
        detail: { due },
        internal: false,
      });
      if (!done) continue;
      marked++;
      const saved = (await this.deps.store.get(c.id)) ?? c;
      this.deps.notifyOverdue(saved);
      await this.audit(
        'case.overdue',
        saved,
        { principal: { username: 'system' }, tenant: null, ip: null },
        { due, officer: saved.officer },
      );
      this.announce(saved);
    }
    return marked;
  }

  private announce(c: RectificationCase): void {
    this.deps.events.emit('case:changed', c);
  }

  private async audit(action: CaseAuditAction, c: RectificationCase, actor: CaseActor, detail: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ actor: actor.principal, action, target: `case:${c.id}`, detail, ip: actor.ip });
    this.deps.log.info({ action, case: c.id, by: actor.principal.username }, 'case changed');
  }
}
