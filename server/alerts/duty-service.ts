/**
 * Who gets what, administered (issue 21): users' contacts and subscriptions (by an administrator or
 * by the user), the duty roster and the escalation chain. Stored in the registry's database
 * (server/storage/sql/duty-store.ts), kept in memory for routing (reloaded after every change and
 * every minute, so accounts created or disabled meanwhile count), every change audited.
 *
 * Personal SMS use the sign name and template of an SMS notification target: the one the chain
 * designates (`smsTargetId`), else the oldest SMS target; with none, nobody is texted. Personal email
 * goes through the default SMTP server (alerts.notify.email).
 */
import type { AuditActor } from '../auth/audit-log';
import { isBureauRole, isEnterpriseRole } from '../domain/access';
import type { Department } from '../domain/site-register';
import type { Alert } from '../domain/alert';
import type { DutyAuditAction } from '../domain/audit';
import {
  CHINA_UTC_OFFSET_MIN,
  DEFAULT_ESCALATION,
  DEFAULT_SUBSCRIPTION,
  NO_CONTACTS,
  onDutyAs,
  type DutyView,
  type EscalationPolicy,
  type NewShift,
  type NotifySettings,
  type NotifySettingsView,
  type Shift,
} from '../domain/duty';
import { HttpError } from '../domain/errors';
import { localDateTime } from '../domain/local-time';
import type { NotifyTarget as StoredTarget } from '../domain/notify-target';
import type { Role } from '../domain/principal';
import type { SourceKind } from '../domain/source-kinds';
import type { Logger } from '../logger';
import type { DutySnapshot, DutyStore } from '../storage/sql/duty-store';
import { factsOf, noticeRecipientsOf, personalTargets, recipientsOf, type PersonalReach, type RoutingUser } from './alert-routing';
import type { NotifyTarget } from './notifier';
import type { AuditSink } from './notify-targets';

export interface DutyServiceDeps {
  store: DutyStore;
  audit: AuditSink;
  log: Logger;
  now: () => number;
  /** The accounts as they are now (the identity store). */
  users: () => Promise<readonly RoutingUser[]>;
  /** The administered notification targets (the designated SMS target is one). */
  targets: () => readonly StoredTarget[];
  /** Whether the server has an SMTP server for personal email. */
  canEmail: () => boolean;
  /** Whether SMS is configured (an AccessKey). */
  canSms: () => boolean;
  /** An alert's source: its district and kind (null when unknown). */
  sourceOf: (mn: string) => { district: string; kind: SourceKind; ownerDepartment?: Department | undefined } | undefined;
}

const EMPTY: DutySnapshot = { contacts: new Map(), subscriptions: new Map(), shifts: [], escalation: null };
/** Shifts that ended more than this long ago are not read for routing (the roster page shows them from the store). */
const KEEP_ENDED_MS = 7 * 86_400_000;

const bad = (message: string) => new HttpError(400, 'invalid', message);

/** Audit details are flat and worded by the audit viewer: names, not ids; local times, not epochs. */
const auditedSettings = (s: NotifySettings) => ({
  email: s.contacts.email,
  phone: s.contacts.phone,
  subscribed: s.subscription.enabled,
  minSeverity: s.subscription.minSeverity,
  districts: s.subscription.districts,
  kinds: s.subscription.kinds,
  ruleCount: s.subscription.rules.length,
  channels: s.subscription.channels,
  quietHours: s.subscription.quietHours ? `${s.subscription.quietHours.from}–${s.subscription.quietHours.to}` : null,
});

export class DutyService {
  private snap: DutySnapshot = EMPTY;
  private people: readonly RoutingUser[] = [];

  constructor(private readonly deps: DutyServiceDeps) {}

  async reload(): Promise<void> {
    const [snap, users] = await Promise.all([this.deps.store.snapshot(this.deps.now() - KEEP_ENDED_MS), this.deps.users()]);
    this.snap = snap;
    this.people = users;
  }

  /** The chain in force (the default until an administrator saves one). */
  escalation(): EscalationPolicy {
    return this.snap.escalation ?? DEFAULT_ESCALATION;
  }

  /** How personal messages can go now. */
  reach(): PersonalReach {
    const sms = this.deps.canSms() ? this.smsTarget() : null;
    return { email: this.deps.canEmail(), sms: sms ? { signName: sms.sms.signName, templateCode: sms.sms.templateCode } : null };
  }

  private smsTarget(): Extract<StoredTarget, { kind: 'sms' }> | undefined {
    const sms = this.deps.targets().filter((t): t is Extract<StoredTarget, { kind: 'sms' }> => t.kind === 'sms');
    const id = this.escalation().smsTargetId;
    return id === null ? sms[0] : sms.find((t) => t.id === id);
  }

  /** Every person's own targets (read by the notifier at each delivery). */
  personal = (): NotifyTarget[] => {
    const reach = this.reach();
    return [...this.snap.contacts].flatMap(([username, c]) => personalTargets(username, c, reach));
  };

  /** The personal targets a new alert goes to (none for other events: escalation has its chain). */
  route = (event: 'opened' | 'escalated', alert: Alert): NotifyTarget[] => {
    if (event !== 'opened') return [];
    const reach = this.reach();
    const facts = factsOf(alert, this.deps.sourceOf(alert.mn));
    const people = { users: this.people, ...this.snap };
    return recipientsOf(facts, people, this.deps.now(), reach).flatMap((r) =>
      personalTargets(r.username, this.snap.contacts.get(r.username), reach).filter((t) => r.channels.some((c) => t.id?.endsWith(`:${c}`))),
    );
  };

  /** Who holds a position now, or who is named: the username, or null. */
  /** The personal email targets a notice to these enterprises goes to (alert-routing's noticeRecipientsOf). */
  noticeTargets = (enterpriseIds: readonly string[]): NotifyTarget[] => {
    const reach = { ...this.reach(), sms: null };
    return noticeRecipientsOf(enterpriseIds, { users: this.people, contacts: this.snap.contacts }).flatMap((username) =>
      personalTargets(username, this.snap.contacts.get(username), reach),
    );
  };

  holderOf(to: EscalationPolicy['steps'][number]['to'], at: number): string | null {
    if (to.kind === 'position') return onDutyAs(this.snap.shifts, to.position, at);
    return this.people.some((u) => u.username === to.username && !u.disabled) ? to.username : null;
  }

  displayName(username: string): string {
    return this.people.find((u) => u.username === username)?.displayName ?? username;
  }

  /** How an enterprise reads a person: the bureau's staff by display name (never their account), enterprise users as they are. */
  nameForEnterprise(username: string): string {
    const u = this.people.find((p) => p.username === username);
    return u && !isEnterpriseRole(u.role as Role) ? u.displayName : username;
  }

  contactsOf(username: string) {
    return this.snap.contacts.get(username);
  }

  view(at: number): DutyView {
    return {
      shifts: this.snap.shifts,
      escalation: this.escalation(),
      onDuty: { primary: onDutyAs(this.snap.shifts, 'primary', at), backup: onDutyAs(this.snap.shifts, 'backup', at) },
      // The bureau's accounts only: they are who may be on duty, and an enterprise's staff's contacts are not the bureau's to read.
      users: this.people
        .filter((u) => !u.disabled && isBureauRole(u.role as Role))
        .map((u) => ({
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          enterpriseId: u.enterpriseId,
          contacts: this.snap.contacts.get(u.username) ?? NO_CONTACTS,
        })),
    };
  }

  async settingsOf(username: string): Promise<NotifySettingsView> {
    await this.user(username);
    const [contacts, subscription] = await Promise.all([this.deps.store.contactsOf(username), this.deps.store.subscriptionOf(username)]);
    const reach = this.reach();
    return {
      contacts: contacts ?? NO_CONTACTS,
      subscription: subscription ?? DEFAULT_SUBSCRIPTION,
      canEmail: reach.email,
      canSms: reach.sms !== null,
    };
  }

  async putSettings(username: string, settings: NotifySettings, actor: AuditActor, ip: string | null): Promise<NotifySettingsView> {
    await this.user(username);
    const before = await this.settingsOf(username);
    await this.deps.store.putSettings(username, settings.contacts, settings.subscription, this.deps.now());
    const user = await this.user(username);
    await this.audit('duty.settings_changed', `user:${user.id ?? username}`, actor, ip, {
      before: auditedSettings(before),
      after: auditedSettings(settings),
    });
    await this.reload();
    return this.settingsOf(username);
  }

  async createShift(s: NewShift, actor: AuditActor, ip: string | null): Promise<Shift> {
    await this.onDutyUser(s.username);
    const shift = await this.deps.store.createShift(s, this.deps.now());
    await this.audit('duty.shift_created', `shift:${shift.id}`, actor, ip, { before: null, after: this.auditedShift(shift) });
    await this.reload();
    return shift;
  }

  async updateShift(id: string, s: NewShift, actor: AuditActor, ip: string | null): Promise<Shift> {
    await this.onDutyUser(s.username);
    const { before, after } = await this.deps.store.updateShift(id, s);
    await this.audit('duty.shift_updated', `shift:${id}`, actor, ip, {
      before: this.auditedShift(before),
      after: this.auditedShift(after),
    });
    await this.reload();
    return after;
  }

  async removeShift(id: string, actor: AuditActor, ip: string | null): Promise<Shift> {
    const before = await this.deps.store.removeShift(id);
    await this.audit('duty.shift_deleted', `shift:${id}`, actor, ip, { before: this.auditedShift(before), after: null });
    await this.reload();
    return before;
  }

  async putEscalation(p: EscalationPolicy, actor: AuditActor, ip: string | null): Promise<EscalationPolicy> {
    for (const step of p.steps) if (step.to.kind === 'user') await this.onDutyUser(step.to.username);
    if (p.smsTargetId !== null && !this.deps.targets().some((t) => t.id === p.smsTargetId && t.kind === 'sms'))
      throw bad('smsTargetId names no SMS notification target');
    const before = this.escalation();
    await this.deps.store.putEscalation(p, this.deps.now());
    await this.audit('duty.escalation_changed', 'escalation:chain', actor, ip, {
      before: this.auditedEscalation(before),
      after: this.auditedEscalation(p),
    });
    await this.reload();
    return p;
  }

  private auditedShift(s: Shift) {
    const at = (ms: number) => localDateTime(ms, CHINA_UTC_OFFSET_MIN);
    return { name: this.displayName(s.username), dutyPosition: s.position, startsAt: at(s.startsAt), endsAt: at(s.endsAt) };
  }

  private auditedEscalation(p: EscalationPolicy) {
    const sms = p.smsTargetId === null ? null : (this.deps.targets().find((t) => t.id === p.smsTargetId)?.name ?? null);
    return { enabled: p.enabled, minSeverity: p.minSeverity, stepCount: p.steps.length, smsTarget: sms };
  }

  private async user(username: string): Promise<RoutingUser> {
    const u = (await this.deps.users()).find((x) => x.username === username);
    if (!u) throw new HttpError(404, 'not_found', `user ${username} not found`);
    return u;
  }

  /** A bureau account that may be on duty or named in the chain (never an enterprise user, never a disabled one). */
  private async onDutyUser(username: string): Promise<void> {
    const u = await this.user(username).catch(() => {
      throw bad(`no user ${username}`);
    });
    if (u.disabled) throw bad(`user ${username} is disabled`);
    if (!isBureauRole(u.role as Role))
      throw bad(`${u.role === 'enterprise' ? 'an enterprise' : 'a department'} user (${username}) is never on duty for the bureau`);
  }

  private async audit(action: DutyAuditAction, target: string, actor: AuditActor, ip: string | null, detail: Record<string, unknown>) {
    await this.deps.audit.record({ actor, action, target, detail, ip });
    this.deps.log.info({ action, target, by: actor.username }, 'duty settings changed');
  }
}
