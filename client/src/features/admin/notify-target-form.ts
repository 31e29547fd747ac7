/** The notification target form: draft ↔ request body and its rules, from the domain schema (server/domain/notify-target.ts). */
import {
  EMAIL_RECIPIENTS_MAX,
  isEmailAddress,
  isMobilePhone,
  isSmtpHost,
  isTemplateCode,
  normalizePhone,
  SMS_PHONES_MAX,
  SMS_SIGN_MAX,
  SMS_SIGN_MIN,
  type EmailSettings,
  type SmsSettings,
  type SmtpSecurity,
} from '@domain/notify-channels';
import {
  NOTIFY_NAME_MAX,
  notifyTargetNameSchema,
  webhookUrlProblem,
  type NewNotifyTarget,
  type NotifyFormat,
  type NotifyTargetKind,
  type NotifyTargetPatch,
  type NotifyTargetView,
} from '@domain/notify-target';
import type { FormErrors } from './enterprise-form';

export interface NotifyTargetDraft {
  kind: NotifyTargetKind;
  name: string;
  enabled: boolean;
  /** Webhook. */
  format: NotifyFormat;
  /** Empty when editing: the stored URL stays (it is never sent back to the page). */
  url: string;
  /** Email: addresses, one per line (commas and semicolons too). */
  recipients: string;
  /** Email: the target's own SMTP server instead of the configured one. */
  ownSmtp: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: SmtpSecurity;
  smtpUsername: string;
  /** Write-only: empty keeps the stored password when editing. */
  smtpPassword: string;
  smtpFrom: string;
  /** SMS: mobile numbers, one per line. */
  phones: string;
  signName: string;
  templateCode: string;
}

export const emptyNotifyTargetDraft = (): NotifyTargetDraft => ({
  kind: 'webhook',
  name: '',
  enabled: true,
  format: 'dingtalk',
  url: '',
  recipients: '',
  ownSmtp: false,
  smtpHost: '',
  smtpPort: '465',
  smtpSecurity: 'tls',
  smtpUsername: '',
  smtpPassword: '',
  smtpFrom: '',
  phones: '',
  signName: '',
  templateCode: '',
});

export function notifyTargetDraftOf(t: NotifyTargetView): NotifyTargetDraft {
  const d = { ...emptyNotifyTargetDraft(), kind: t.kind, name: t.name, enabled: t.enabled };
  switch (t.kind) {
    case 'webhook':
      return { ...d, format: t.format };
    case 'email': {
      const s = t.email.smtp;
      const own = s
        ? {
            ownSmtp: true,
            smtpHost: s.host,
            smtpPort: String(s.port),
            smtpSecurity: s.security,
            smtpUsername: s.username,
            smtpFrom: s.from,
          }
        : {};
      return { ...d, recipients: t.email.recipients.join('\n'), ...own };
    }
    case 'sms':
      return { ...d, phones: t.sms.phones.join('\n'), signName: t.sms.signName, templateCode: t.sms.templateCode };
  }
}

/** A typed list: split on new lines, commas, semicolons and 、 (both widths), blanks dropped. */
export const listOf = (text: string): string[] =>
  text
    .split(/[\n,，;；、]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const phonesOf = (text: string): string[] => listOf(text).map(normalizePhone);
const hasDuplicate = (list: readonly string[]) => new Set(list.map((x) => x.toLowerCase())).size !== list.length;
const portOf = (text: string): number | null =>
  /^\d{1,5}$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 65_535 ? Number(text) : null;

/** A list's problem: required, an entry that fails `valid`, too many, listed twice; null when fine. */
function listProblem(list: readonly string[], valid: (x: string) => boolean, invalid: string, max: number): string | null {
  if (list.length === 0) return 'required';
  if (!list.every(valid)) return invalid;
  if (list.length > max) return 'tooMany';
  return hasDuplicate(list) ? 'duplicate' : null;
}

function emailErrors(d: NotifyTargetDraft, e: FormErrors): void {
  const recipients = listProblem(listOf(d.recipients), isEmailAddress, 'emailInvalid', EMAIL_RECIPIENTS_MAX);
  if (recipients) e['recipients'] = recipients;
  if (!d.ownSmtp) return;
  const host = d.smtpHost.trim();
  if (!host) e['smtpHost'] = 'required';
  else if (!isSmtpHost(host)) e['smtpHost'] = 'host';
  if (portOf(d.smtpPort) === null) e['smtpPort'] = 'port';
  if (!isEmailAddress(d.smtpFrom.trim())) e['smtpFrom'] = d.smtpFrom.trim() ? 'emailInvalid' : 'required';
}

function smsErrors(d: NotifyTargetDraft, e: FormErrors): void {
  const phones = listProblem(phonesOf(d.phones), isMobilePhone, 'phoneInvalid', SMS_PHONES_MAX);
  if (phones) e['phones'] = phones;
  const sign = [...d.signName.trim()].length;
  if (sign === 0) e['signName'] = 'required';
  else if (sign < SMS_SIGN_MIN || sign > SMS_SIGN_MAX) e['signName'] = 'signName';
  const code = d.templateCode.trim();
  if (!code) e['templateCode'] = 'required';
  else if (!isTemplateCode(code)) e['templateCode'] = 'templateCode';
}

/**
 * The form's errors by field, each a key of `admin.notify.error` (name: required, nameTooLong,
 * duplicateName; url: required, url, protocol, userinfo, urlTooLong; recipients/phones: required,
 * emailInvalid/phoneInvalid, tooMany, duplicate; SMTP: required, host, port, emailInvalid; SMS:
 * signName, templateCode). `before`: the target being edited (its URL may stay empty).
 */
export function validateNotifyTarget(d: NotifyTargetDraft, before: NotifyTargetView | null, names: readonly string[] = []): FormErrors {
  const e: FormErrors = {};
  const name = d.name.trim();
  if (!name) e['name'] = 'required';
  else if (name.length > NOTIFY_NAME_MAX) e['name'] = 'nameTooLong';
  else if (!notifyTargetNameSchema.safeParse(name).success) e['name'] = 'invalid';
  else if (names.some((n) => n === name && n !== before?.name)) e['name'] = 'duplicateName';
  if (d.kind === 'email') emailErrors(d, e);
  else if (d.kind === 'sms') smsErrors(d, e);
  else {
    const url = d.url.trim();
    if (before === null || url) {
      const problem = webhookUrlProblem(url);
      if (problem) e['url'] = problem === 'tooLong' ? 'urlTooLong' : problem;
    }
  }
  return e;
}

/** The email settings typed (the password only when one was typed). */
function emailOf(d: NotifyTargetDraft): EmailSettings {
  const recipients = listOf(d.recipients);
  if (!d.ownSmtp) return { recipients, smtp: null };
  const password = d.smtpPassword ? { password: d.smtpPassword } : {};
  return {
    recipients,
    smtp: {
      host: d.smtpHost.trim(),
      port: portOf(d.smtpPort) ?? 0,
      security: d.smtpSecurity,
      username: d.smtpUsername.trim(),
      ...password,
      from: d.smtpFrom.trim(),
    },
  };
}

const smsOf = (d: NotifyTargetDraft): SmsSettings => ({
  phones: phonesOf(d.phones),
  signName: d.signName.trim(),
  templateCode: d.templateCode.trim(),
});

export function toNewNotifyTarget(d: NotifyTargetDraft): NewNotifyTarget {
  const common = { name: d.name.trim(), enabled: d.enabled };
  if (d.kind === 'email') return { ...common, kind: 'email', email: emailOf(d) };
  if (d.kind === 'sms') return { ...common, kind: 'sms', sms: smsOf(d) };
  return { name: common.name, kind: 'webhook', format: d.format, url: d.url.trim(), enabled: d.enabled };
}

/** The stored email settings as the form would send them unchanged (no password: it stays). */
const emailAsSent = (t: Extract<NotifyTargetView, { kind: 'email' }>): EmailSettings => {
  if (!t.email.smtp) return { recipients: t.email.recipients, smtp: null };
  const { hasPassword: _, ...server } = t.email.smtp;
  return { recipients: t.email.recipients, smtp: server };
};

/** JSON with the keys sorted: the same settings compare equal whatever order their keys came in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/** Only what changed (the URL or SMTP password only when a new one was typed); null when nothing did. */
export function toNotifyTargetChange(d: NotifyTargetDraft, before: NotifyTargetView): Omit<NotifyTargetPatch, 'version'> | null {
  const change: Omit<NotifyTargetPatch, 'version'> = {};
  if (d.name.trim() !== before.name) change.name = d.name.trim();
  if (d.enabled !== before.enabled) change.enabled = d.enabled;
  if (before.kind === 'webhook') {
    if (d.format !== before.format) change.format = d.format;
    if (d.url.trim()) change.url = d.url.trim();
  } else if (before.kind === 'email') {
    const email = emailOf(d);
    if (canonical(email) !== canonical(emailAsSent(before))) change.email = email;
  } else {
    const sms = smsOf(d);
    if (canonical(sms) !== canonical(before.sms)) change.sms = sms;
  }
  return Object.keys(change).length ? change : null;
}
