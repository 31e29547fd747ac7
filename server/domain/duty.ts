/**
 * Who gets what (issue 21 item 2): users' contacts, their subscriptions (with quiet hours), the
 * duty roster and the escalation chain of unacknowledged alerts. The REST contract shared by the
 * server and the dashboard, and the pure decisions: who is on duty at an instant, whether a
 * subscription matches an alert, whether someone is in their quiet hours, which escalation steps
 * are due. Times of day are the bureau's local time (China, UTC+8, no daylight saving).
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from './alert';
import { emailAddressSchema, mobilePhoneSchema, normalizePhone } from './notify-channels';
import type { Department } from './site-register';
import { SOURCE_KINDS, type SourceKind } from './source-kinds';

export const CHINA_UTC_OFFSET_MIN = 480;
export const PERSONAL_CHANNELS = ['email', 'sms'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];
export const DUTY_POSITIONS = ['primary', 'backup'] as const;
export type DutyPosition = (typeof DUTY_POSITIONS)[number];

/** A user's own contacts (null: none). The phone is accepted as people type it (+86, spaces, dashes). */
export const contactsSchema = z
  .object({
    email: emailAddressSchema.nullable(),
    phone: z.preprocess((v) => (typeof v === 'string' ? normalizePhone(v.trim()) : v), mobilePhoneSchema.nullable()),
  })
  .strict();
export type Contacts = z.infer<typeof contactsSchema>;
export const NO_CONTACTS: Contacts = { email: null, phone: null };

const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeOfDay = z.string().regex(HHMM_RE, 'a time of day is HH:MM (00:00–23:59)');

/** A local-time range of the day; `from` after `to` crosses midnight (22:00–07:00). */
export const quietHoursSchema = z
  .object({ from: timeOfDay, to: timeOfDay })
  .strict()
  .refine((q) => q.from !== q.to, 'quiet hours start and end at different times');
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** What a user wants to be told of. Empty lists: every district / kind / rule. */
export const subscriptionSchema = z
  .object({
    enabled: z.boolean(),
    minSeverity: z.enum(SEVERITIES),
    districts: z.array(z.string().min(1).max(60)).max(50),
    kinds: z.array(z.enum(SOURCE_KINDS)).max(SOURCE_KINDS.length),
    rules: z.array(z.string().min(1).max(60)).max(100),
    channels: z.array(z.enum(PERSONAL_CHANNELS)).min(1, 'at least one channel').max(2),
    quietHours: quietHoursSchema.nullable(),
  })
  .strict();
export type Subscription = z.infer<typeof subscriptionSchema>;
export const DEFAULT_SUBSCRIPTION: Subscription = {
  enabled: false,
  minSeverity: 'critical',
  districts: [],
  kinds: [],
  rules: [],
  channels: ['email'],
  quietHours: null,
};

/** PUT /api/notify-settings/me and /api/duty/users/:username/settings. */
export const notifySettingsSchema = z.object({ contacts: contactsSchema, subscription: subscriptionSchema }).strict();
export type NotifySettings = z.infer<typeof notifySettingsSchema>;

export const MAX_SHIFT_MS = 7 * 86_400_000;
/** POST /api/duty/shifts (and PUT of one). */
export const newShiftSchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    position: z.enum(DUTY_POSITIONS),
    startsAt: z.number().int().min(0),
    endsAt: z.number().int().min(0),
  })
  .strict()
  .refine((s) => s.endsAt > s.startsAt, { message: 'a shift ends after it starts', path: ['endsAt'] })
  .refine((s) => s.endsAt - s.startsAt <= MAX_SHIFT_MS, { message: 'a shift lasts at most 7 days', path: ['endsAt'] });
export type NewShift = z.infer<typeof newShiftSchema>;
export interface Shift extends NewShift {
  id: string;
}

/** Who a step of the chain goes to: whoever holds a position now, or a named user. */
export const escalationToSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('position'), position: z.enum(DUTY_POSITIONS) }).strict(),
  z.object({ kind: z.literal('user'), username: z.string().trim().min(1).max(64) }).strict(),
]);
export type EscalationTo = z.infer<typeof escalationToSchema>;

export const ESCALATION_STEPS_MAX = 5;
/** The escalation chain: alerts at or above `minSeverity`, unacknowledged `afterMin` minutes after they were raised, go to step N. */
export const escalationPolicySchema = z
  .object({
    enabled: z.boolean(),
    minSeverity: z.enum(SEVERITIES),
    steps: z
      .array(
        z
          .object({
            afterMin: z
              .number()
              .int()
              .min(1)
              .max(24 * 60),
            to: escalationToSchema,
          })
          .strict(),
      )
      .max(ESCALATION_STEPS_MAX)
      .refine((s) => s.every((x, i) => i === 0 || x.afterMin > (s[i - 1]?.afterMin ?? 0)), 'each step comes later than the one before'),
    /** The SMS target whose sign name and template personal SMS use (null: no personal SMS). */
    smsTargetId: z.string().min(1).nullable(),
  })
  .strict();
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;
export const DEFAULT_ESCALATION: EscalationPolicy = {
  enabled: true,
  minSeverity: 'critical',
  steps: [
    { afterMin: 15, to: { kind: 'position', position: 'primary' } },
    { afterMin: 30, to: { kind: 'position', position: 'backup' } },
  ],
  smsTargetId: null,
};

export const atLeast = (severity: Severity, min: Severity): boolean => SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` lies in the quiet hours (local time; [from, to), crossing midnight when from > to). */
export function inQuietHours(q: QuietHours | null, at: number, utcOffsetMinutes = CHINA_UTC_OFFSET_MIN): boolean {
  if (!q) return false;
  const local = new Date(at + utcOffsetMinutes * 60_000);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  const [from, to] = [minutesOf(q.from), minutesOf(q.to)];
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** The shifts running at `at` (start ≤ at < end). */
export const shiftsAt = (shifts: readonly Shift[], at: number): Shift[] => shifts.filter((s) => s.startsAt <= at && at < s.endsAt);

/** Who holds a position at `at` (the earliest-starting shift, then by username), or null. */
export function onDutyAs(shifts: readonly Shift[], position: DutyPosition, at: number): string | null {
  const holding = shiftsAt(shifts, at)
    .filter((s) => s.position === position)
    .sort((a, b) => a.startsAt - b.startsAt || a.username.localeCompare(b.username));
  return holding[0]?.username ?? null;
}

/** What routing knows of an alert. */
export interface AlertFacts {
  severity: Severity;
  rule: string;
  enterpriseId: string;
  district: string;
  kind: SourceKind | null;
  /** A kitchen's or a construction site's owner department (who else may be told of it). */
  ownerDepartment?: Department;
}

/** Whether a subscription asks for this alert (its quiet hours and tenancy are decided elsewhere). */
export function subscriptionMatches(s: Subscription, a: AlertFacts): boolean {
  if (!s.enabled || !atLeast(a.severity, s.minSeverity)) return false;
  if (s.districts.length > 0 && !s.districts.includes(a.district)) return false;
  if (s.kinds.length > 0 && (a.kind === null || !s.kinds.includes(a.kind))) return false;
  return s.rules.length === 0 || s.rules.includes(a.rule);
}

/** The step indexes (0-based) of the chain due `elapsedMs` after the alert was raised. */
export const dueSteps = (policy: EscalationPolicy, elapsedMs: number): number[] =>
  policy.steps.flatMap((s, i) => (elapsedMs >= s.afterMin * 60_000 ? [i] : []));

/** A user as the duty pages show them (never an id). */
export interface DutyUser {
  username: string;
  displayName: string;
  role: string;
  enterpriseId: string | null;
  /** A department user's department. */
  department?: Department | null;
}

/** GET /api/duty: the roster, the chain, who is on duty now. */
export interface DutyView {
  shifts: Shift[];
  escalation: EscalationPolicy;
  onDuty: { primary: string | null; backup: string | null };
  users: (DutyUser & { contacts: Contacts })[];
}

/** GET /api/notify-settings/me. */
export interface NotifySettingsView extends NotifySettings {
  /** Whether the server can send personal SMS (an SMS target is designated) and email (an SMTP server). */
  canEmail: boolean;
  canSms: boolean;
}
