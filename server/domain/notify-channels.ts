/**
 * The settings of the email and SMS notification channels (issue 21), shared by the server and the
 * dashboard: who an email target writes to (and, optionally, through which SMTP server instead of
 * the configured one), which mobile numbers an SMS target texts with which approved Aliyun template
 * and sign name. Pure: zod schemas and the checks the form words.
 */
import { z } from 'zod';

/** How the SMTP connection is secured: TLS from the first byte (port 465), STARTTLS required (587), or none (a relay on the LAN). */
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export const EMAIL_RECIPIENTS_MAX = 20;
export const SMS_PHONES_MAX = 20;
/** Aliyun: a sign name has 2–12 characters. */
export const SMS_SIGN_MIN = 2;
export const SMS_SIGN_MAX = 12;

/** A plain address (no display name), as RFC 5321 allows it in practice: local@domain.tld, at most 254 characters. */
const EMAIL_RE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** A mainland China mobile number, 11 digits (the form drops spaces, dashes and a +86 prefix before sending). */
const PHONE_RE = /^1[3-9]\d{9}$/;
/** An Aliyun template code as the console shows it, e.g. SMS_465324011. */
const TEMPLATE_RE = /^SMS_\d{1,20}$/;
const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/;

export const isEmailAddress = (v: string): boolean => v.length <= 254 && EMAIL_RE.test(v);
export const isMobilePhone = (v: string): boolean => PHONE_RE.test(v);
export const isTemplateCode = (v: string): boolean => TEMPLATE_RE.test(v);
export const isSmtpHost = (v: string): boolean => HOST_RE.test(v);

/** What the form accepts as a phone typed by a person: `+86 138-0013-8000` → `13800138000`. */
export const normalizePhone = (v: string): string => v.replace(/[\s-]/g, '').replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');

const unique = (list: readonly string[]) => new Set(list.map((x) => x.toLowerCase())).size === list.length;

export const emailAddressSchema = z
  .string()
  .trim()
  .refine(isEmailAddress, { message: 'not a valid email address (name@example.com)', params: { problem: 'email' } });

export const mobilePhoneSchema = z
  .string()
  .trim()
  .refine(isMobilePhone, { message: 'not a mainland China mobile number (11 digits, 1[3-9]…)', params: { problem: 'phone' } });

/** An SMTP server: the configured default, or a target's own. The password is write-only (never answered). */
export const smtpServerSchema = z
  .object({
    host: z.string().trim().refine(isSmtpHost, 'not a valid host name'),
    port: z.number().int().min(1).max(65_535),
    security: z.enum(SMTP_SECURITY),
    username: z.string().max(256).default(''),
    /** On a change: absent keeps the stored password, '' removes it. */
    password: z.string().max(256).optional(),
    from: emailAddressSchema,
  })
  .strict();
export type SmtpServer = z.infer<typeof smtpServerSchema>;

export const emailSettingsSchema = z
  .object({
    recipients: z
      .array(emailAddressSchema)
      .min(1, 'at least one recipient')
      .max(EMAIL_RECIPIENTS_MAX, `at most ${EMAIL_RECIPIENTS_MAX} recipients`)
      .refine(unique, 'a recipient is listed twice'),
    /** The target's own SMTP server; null: the configured one (alerts.notify.email). */
    smtp: smtpServerSchema.nullable().default(null),
  })
  .strict();
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export const smsSettingsSchema = z
  .object({
    phones: z
      .array(mobilePhoneSchema)
      .min(1, 'at least one phone number')
      .max(SMS_PHONES_MAX, `at most ${SMS_PHONES_MAX} phone numbers`)
      .refine(unique, 'a phone number is listed twice'),
    /** The approved sign name (短信签名), shown as 【…】 in the text. */
    signName: z
      .string()
      .trim()
      .min(SMS_SIGN_MIN, `a sign name has ${SMS_SIGN_MIN}–${SMS_SIGN_MAX} characters`)
      .max(SMS_SIGN_MAX, `a sign name has ${SMS_SIGN_MIN}–${SMS_SIGN_MAX} characters`),
    /** The approved template (模板 CODE); its variables are SMS_TEMPLATE_PARAMS. */
    templateCode: z.string().trim().refine(isTemplateCode, 'a template code looks like SMS_123456789'),
  })
  .strict();
export type SmsSettings = z.infer<typeof smsSettingsSchema>;

/**
 * The variables every alert SMS fills (server/alerts/notify-format.ts), so the template approved at
 * Aliyun must use these names, e.g. `${level}${event}：${enterprise}${source} ${factor} ${value}，
 * 限值${limit}，${rule}，${time}`. Each value is cut to SMS_PARAM_MAX characters (Aliyun's limit
 * for a variable of a notification template).
 */
export const SMS_TEMPLATE_PARAMS = ['level', 'event', 'enterprise', 'source', 'factor', 'value', 'limit', 'rule', 'time'] as const;
export type SmsTemplateParams = Record<(typeof SMS_TEMPLATE_PARAMS)[number], string>;
export const SMS_PARAM_MAX = 35;

/** An SMTP server as answered: the password replaced by whether there is one. */
export type SmtpServerView = Omit<SmtpServer, 'password'> & { hasPassword: boolean };
export type EmailSettingsView = Omit<EmailSettings, 'smtp'> & { smtp: SmtpServerView | null };

export const emailSettingsView = (e: EmailSettings): EmailSettingsView => {
  if (e.smtp === null) return { recipients: e.recipients, smtp: null };
  const { password, ...rest } = e.smtp;
  return { recipients: e.recipients, smtp: { ...rest, hasPassword: Boolean(password) } };
};
