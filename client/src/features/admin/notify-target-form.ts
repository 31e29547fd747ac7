/** The notification target form: draft ↔ request body and its rules, from the domain schema (server/domain/notify-target.ts). */
import {
  NOTIFY_NAME_MAX,
  notifyTargetNameSchema,
  webhookUrlProblem,
  type NewNotifyTarget,
  type NotifyFormat,
  type NotifyTargetPatch,
  type NotifyTargetView,
} from '@domain/notify-target';
import type { FormErrors } from './enterprise-form';

export interface NotifyTargetDraft {
  name: string;
  format: NotifyFormat;
  /** Empty when editing: the stored URL stays (it is never sent back to the page). */
  url: string;
  enabled: boolean;
}

export const emptyNotifyTargetDraft = (): NotifyTargetDraft => ({ name: '', format: 'dingtalk', url: '', enabled: true });

export const notifyTargetDraftOf = (t: NotifyTargetView): NotifyTargetDraft => ({
  name: t.name,
  format: t.format,
  url: '',
  enabled: t.enabled,
});

/**
 * The form's errors by field, each a key of `admin.notify.error` (name: required, tooLong, duplicate;
 * url: required, url, protocol, userinfo, tooLong). `before`: the target being edited (its URL may stay empty).
 */
export function validateNotifyTarget(d: NotifyTargetDraft, before: NotifyTargetView | null, names: readonly string[] = []): FormErrors {
  const e: FormErrors = {};
  const name = d.name.trim();
  if (!name) e['name'] = 'required';
  else if (name.length > NOTIFY_NAME_MAX) e['name'] = 'nameTooLong';
  else if (!notifyTargetNameSchema.safeParse(name).success) e['name'] = 'invalid';
  else if (names.some((n) => n === name && n !== before?.name)) e['name'] = 'duplicateName';
  const url = d.url.trim();
  if (before === null || url) {
    const problem = webhookUrlProblem(url);
    if (problem) e['url'] = problem === 'tooLong' ? 'urlTooLong' : problem;
  }
  return e;
}

export function toNewNotifyTarget(d: NotifyTargetDraft): NewNotifyTarget {
  return { name: d.name.trim(), kind: 'webhook', format: d.format, url: d.url.trim(), enabled: d.enabled };
}

/** Only what changed (the URL only when a new one was typed); null when nothing did. */
export function toNotifyTargetChange(d: NotifyTargetDraft, before: NotifyTargetView): Omit<NotifyTargetPatch, 'version'> | null {
  const change: Omit<NotifyTargetPatch, 'version'> = {};
  if (d.name.trim() !== before.name) change.name = d.name.trim();
  if (d.format !== before.format) change.format = d.format;
  if (d.url.trim()) change.url = d.url.trim();
  if (d.enabled !== before.enabled) change.enabled = d.enabled;
  return Object.keys(change).length ? change : null;
}
