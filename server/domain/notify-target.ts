/**
 * Notification targets as managed data (issue 14; issue 21 adds email and SMS channels,
 * subscriptions and rosters on top): the REST contract shared by the server and the dashboard.
 * A target's URL can carry a webhook secret (DingTalk `access_token`, WeCom `key`, a token in the
 * path), so it is write-only: the API and the audit log only ever show it masked (`maskUrl`).
 */
import { z } from 'zod';
import {
  emailSettingsSchema,
  emailSettingsView,
  smsSettingsSchema,
  type EmailSettings,
  type EmailSettingsView,
  type SmsSettings,
} from './notify-channels';

/** The request bodies a webhook target can send (server/alerts/notify-format.ts builds them). */
export const NOTIFY_FORMATS = ['json', 'dingtalk', 'wecom'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
/**
 * What a message other than an alert (a warning) is formatted for: a webhook's format, or email.
 * SMS targets carry alerts only: the provider sends approved templates, and theirs has the alert's variables.
 */
export type MessageChannel = NotifyFormat | 'email';

/** How a target is reached: a webhook (robot), email over SMTP, SMS through the provider (issue 21). */
export const NOTIFY_TARGET_KINDS = ['webhook', 'email', 'sms'] as const;
export type NotifyTargetKind = (typeof NOTIFY_TARGET_KINDS)[number];

/** Audit actions of target administration (declared with every other in ./audit); target `notify-target:<id>`. */
export { NOTIFY_AUDIT_ACTIONS, type NotifyAuditAction } from './audit';

export const NOTIFY_NAME_MAX = 60;
export const NOTIFY_URL_MAX = 2000;

export const notifyTargetNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(NOTIFY_NAME_MAX, `a name has at most ${NOTIFY_NAME_MAX} characters`);

/** Why a webhook URL is refused (a stable code the dashboard words), or null when it is fine. */
export function webhookUrlProblem(raw: string): 'required' | 'url' | 'protocol' | 'userinfo' | 'tooLong' | null {
  const text = raw.trim();
  if (!text) return 'required';
  if (text.length > NOTIFY_URL_MAX) return 'tooLong';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'protocol';
  if (!url.hostname) return 'url';
  if (url.username || url.password) return 'userinfo';
  return null;
}

const URL_MESSAGES: Record<NonNullable<ReturnType<typeof webhookUrlProblem>>, string> = {
  required: 'a URL is required',
  url: 'not a valid URL',
  protocol: 'only http and https URLs are accepted',
  userinfo: 'no user name or password in the URL (put a token in the query or path instead)',
  tooLong: `a URL has at most ${NOTIFY_URL_MAX} characters`,
};

export const webhookUrlSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = webhookUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: URL_MESSAGES[problem], params: { problem } });
  });

const base = { name: notifyTargetNameSchema, enabled: z.boolean().default(true) };

/** POST /api/notify-targets: a webhook (the kind when none is given), an email or an SMS target. */
export const newNotifyTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({ ...base, kind: z.literal('webhook').optional().default('webhook'), format: z.enum(NOTIFY_FORMATS), url: webhookUrlSchema })
    .strict(),
  z.object({ ...base, kind: z.literal('email'), email: emailSettingsSchema }).strict(),
  z.object({ ...base, kind: z.literal('sms'), sms: smsSettingsSchema }).strict(),
]);
export type NewNotifyTarget = z.input<typeof newNotifyTargetSchema>;
export type NewNotifyTargetParsed = z.output<typeof newNotifyTargetSchema>;

/**
 * PATCH /api/notify-targets/:id: the version it was made from, and only what changes (no url: unchanged).
 * The kind never changes; format and url fit webhooks only, email email targets, sms SMS targets (else 400).
 * An email target's SMTP password: absent keeps the stored one, '' removes it.
 */
export const notifyTargetPatchSchema = z
  .object({
    version: z.number().int().min(1),
    name: notifyTargetNameSchema.optional(),
    format: z.enum(NOTIFY_FORMATS).optional(),
    url: webhookUrlSchema.optional(),
    email: emailSettingsSchema.optional(),
    sms: smsSettingsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type NotifyTargetPatch = z.input<typeof notifyTargetPatchSchema>;
export type NotifyTargetPatchParsed = z.output<typeof notifyTargetPatchSchema>;

/** DELETE /api/notify-targets/:id?version=n. */
export const notifyTargetDeleteQuery = z.object({ version: z.coerce.number().int().min(1) }).strict();

/** What every target has. */
export interface NotifyTargetBase {
  id: string;
  name: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Starts at 1; every change adds one (PATCH and DELETE name the version they were made from). */
  version: number;
}

/** How a target is reached, by kind (the URL and SMTP password in clear: server side only). */
export type NotifyChannel =
  { kind: 'webhook'; format: NotifyFormat; url: string } | { kind: 'email'; email: EmailSettings } | { kind: 'sms'; sms: SmsSettings };

/** A target as stored. */
export type NotifyTarget = NotifyTargetBase & NotifyChannel;

/** What the outbox says about one target's notifications. */
export interface DeliveryState {
  /** Queued, not yet delivered nor given up. */
  pending: number;
  delivered: number;
  /** Attempts that failed (a notification retried three times counts three). */
  failedAttempts: number;
  /** Given up: too old, or the target was deleted. */
  abandoned: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastDeliveredAt: number | null;
}

export const EMPTY_DELIVERY: DeliveryState = {
  pending: 0,
  delivered: 0,
  failedAttempts: 0,
  abandoned: 0,
  lastError: null,
  lastErrorAt: null,
  lastDeliveredAt: null,
};

/** A target as the API answers it: a webhook's URL masked, an SMTP password left out, with its delivery state. */
export type NotifyTargetView = NotifyTargetBase & { delivery: DeliveryState } & (
    { kind: 'webhook'; format: NotifyFormat; url: string } | { kind: 'email'; email: EmailSettingsView } | { kind: 'sms'; sms: SmsSettings }
  );

/** The answer of POST /api/notify-targets/:id/test. */
export interface NotifyTestResult {
  ok: boolean;
  /** The status the other side answered: HTTP for webhooks and SMS, the SMTP reply code for email (null: no answer). */
  status: number | null;
  /** Why it failed (the webhook's refusal, a robot's errcode, a network error), else null. */
  error: string | null;
  /** How long the request took. */
  ms: number;
}

const MASK = '***';

/**
 * A URL with its secrets hidden: scheme, host and port and the first path segment stay, the rest of
 * the path and every query value become `***` (DingTalk's access_token, WeCom's key, a token in the path).
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.length === 0 ? '' : `/${segments[0]}${segments.length > 1 ? `/${MASK}` : ''}`;
  const keys = [...url.searchParams.keys()];
  const query = keys.length ? `?${[...new Set(keys)].map((k) => `${encodeURIComponent(k)}=${MASK}`).join('&')}` : '';
  return `${url.protocol}//${url.host}${path}${query}`;
}

/** The view of a target: URL masked, SMTP password left out. */
export function notifyTargetView(t: NotifyTarget, delivery: DeliveryState = EMPTY_DELIVERY): NotifyTargetView {
  switch (t.kind) {
    case 'webhook':
      return { ...t, url: maskUrl(t.url), delivery };
    case 'email':
      return { ...t, email: emailSettingsView(t.email), delivery };
    case 'sms':
      return { ...t, delivery };
  }
}

export {
  SMTP_SECURITY,
  emailSettingsView,
  SMS_TEMPLATE_PARAMS,
  type EmailSettings,
  type EmailSettingsView,
  type SmsSettings,
  type SmtpServer,
  type SmtpServerView,
} from './notify-channels';
