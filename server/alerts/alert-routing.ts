/**
 * Who gets a new alert by their own email or SMS (issue 21): everyone on duty now (whatever the
 * alert and the hour: quiet hours never apply on duty) and every subscriber whose filters match and
 * who is not in their quiet hours. An enterprise user only ever gets their own enterprise's alerts,
 * a department user those of the sites it oversees (neither is ever on duty); a disabled account
 * gets nothing. Pure: the people, the roster and the clock are given.
 *
 * A person is reached through "personal targets" (`person:<username>:email|sms`): notifier targets
 * that are never enabled (a broadcast never picks them), addressed by key (Notifier.enqueueTo), so
 * their deliveries go through the outbox with its retries and delivery state like any other.
 */
import type { Alert } from '../domain/alert';
import { isBureauRole, isEnterpriseRole } from '../domain/access';
import { departmentOversees, type Department } from '../domain/site-register';
import {
  inQuietHours,
  shiftsAt,
  subscriptionMatches,
  type AlertFacts,
  type Contacts,
  type DutyUser,
  type PersonalChannel,
  type Shift,
  type Subscription,
} from '../domain/duty';
import type { Role } from '../domain/principal';
import type { SmsSettings } from '../domain/notify-channels';
import type { NotifyTarget } from './notifier';

export interface RoutingUser extends DutyUser {
  /** The account's number (audit targets name users by it). */
  id?: number;
  disabled: boolean;
}

/** What routing reads: the people, their contacts and subscriptions, the roster. */
export interface RoutingPeople {
  users: readonly RoutingUser[];
  contacts: ReadonlyMap<string, Contacts>;
  subscriptions: ReadonlyMap<string, Subscription>;
  shifts: readonly Shift[];
}

/** How personal messages can go: email through the default SMTP server, SMS with a designated target's sign name and template. */
export interface PersonalReach {
  email: boolean;
  sms: Pick<SmsSettings, 'signName' | 'templateCode'> | null;
}

export interface Recipient {
  username: string;
  channels: PersonalChannel[];
  onDuty: boolean;
}

/** The channels a person can be reached on now (their contacts, what the server can send). */
export function reachable(contacts: Contacts | undefined, reach: PersonalReach): PersonalChannel[] {
  return [...(contacts?.email && reach.email ? (['email'] as const) : []), ...(contacts?.phone && reach.sms ? (['sms'] as const) : [])];
}

/** Does this department oversee the alert's source? (no department: no) */
const overseesAlert = (department: Department | null | undefined, alert: AlertFacts): boolean =>
  !!department && alert.kind !== null && departmentOversees(department, { kind: alert.kind, ownerDepartment: alert.ownerDepartment });

/** The recipients of a new alert at `at`, each with the channels to use (none: left out). */
export function recipientsOf(alert: AlertFacts, people: RoutingPeople, at: number, reach: PersonalReach): Recipient[] {
  const onDuty = new Set(shiftsAt(people.shifts, at).map((s) => s.username));
  const out: Recipient[] = [];
  for (const u of people.users) {
    if (u.disabled) continue;
    const can = reachable(people.contacts.get(u.username), reach);
    const role = u.role as Role;
    if (isEnterpriseRole(role) && u.enterpriseId !== alert.enterpriseId) continue;
    if (role === 'department' && !overseesAlert(u.department, alert)) continue;
    if (isBureauRole(role) && onDuty.has(u.username)) {
      if (can.length > 0) out.push({ username: u.username, channels: can, onDuty: true });
      continue;
    }
    const sub = people.subscriptions.get(u.username);
    if (!sub || !subscriptionMatches(sub, alert) || inQuietHours(sub.quietHours, at)) continue;
    const channels = can.filter((c) => sub.channels.includes(c));
    if (channels.length > 0) out.push({ username: u.username, channels, onDuty: false });
  }
  return out;
}

/**
 * Who of these enterprises gets a notice addressed to them (a warning, a pre-notice): every active
 * user of theirs with an email address, by email. A notice is a letter to the enterprise, not an
 * alert: no subscription filter and no quiet hours hold it back (an email wakes nobody), and no SMS
 * (the provider sends approved templates, and ours carries an alert's variables).
 */
export function noticeRecipientsOf(enterpriseIds: readonly string[], people: Pick<RoutingPeople, 'users' | 'contacts'>): string[] {
  const addressed = new Set(enterpriseIds);
  return people.users
    .filter((u) => !u.disabled && isEnterpriseRole(u.role as Role) && u.enterpriseId !== null && addressed.has(u.enterpriseId))
    .filter((u) => Boolean(people.contacts.get(u.username)?.email))
    .map((u) => u.username);
}

export const personalKey = (username: string, channel: PersonalChannel): string => `person:${username}:${channel}`;

/** The personal targets of one person (never enabled: reached only by key). */
export function personalTargets(username: string, contacts: Contacts | undefined, reach: PersonalReach): NotifyTarget[] {
  const out: NotifyTarget[] = [];
  if (contacts?.email && reach.email)
    out.push({
      id: personalKey(username, 'email'),
      name: `${username} (email)`,
      enabled: false,
      kind: 'email',
      email: { recipients: [contacts.email], smtp: null },
    });
  if (contacts?.phone && reach.sms)
    out.push({
      id: personalKey(username, 'sms'),
      name: `${username} (SMS)`,
      enabled: false,
      kind: 'sms',
      sms: { phones: [contacts.phone], ...reach.sms },
    });
  return out;
}

/** The facts routing reads of an alert: its source's district and kind from the registry. */
export const factsOf = (
  alert: Alert,
  source: { district: string; kind: AlertFacts['kind']; ownerDepartment?: Department | undefined } | undefined,
): AlertFacts => ({
  severity: alert.severity,
  rule: alert.rule,
  enterpriseId: alert.enterpriseId,
  district: source?.district ?? '',
  kind: source?.kind ?? null,
  ...(source?.ownerDepartment ? { ownerDepartment: source.ownerDepartment } : {}),
});
