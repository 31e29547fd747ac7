/** Notification targets (/api/notify-targets): administrators only. URLs come back masked. */
import {
  NOTIFY_FORMATS,
  NOTIFY_TARGET_KINDS,
  SMTP_SECURITY,
  type DeliveryState,
  type NewNotifyTarget,
  type NotifyTargetPatch,
  type NotifyTargetView,
  type NotifyTestResult,
} from '@domain/notify-target';
import { isAnyObject, isItems } from './guards';
import { requestJson } from './rest';

export type { DeliveryState, NewNotifyTarget, NotifyTargetPatch, NotifyTargetView, NotifyTestResult };

type Fetch = typeof fetch;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v);

export const isDeliveryState = (v: unknown): v is DeliveryState =>
  isAnyObject(v) &&
  isNum(v['pending']) &&
  isNum(v['delivered']) &&
  isNum(v['failedAttempts']) &&
  isNum(v['abandoned']) &&
  isStrOrNull(v['lastError']) &&
  isNumOrNull(v['lastErrorAt']) &&
  isNumOrNull(v['lastDeliveredAt']);

const isStrList = (v: unknown): boolean => Array.isArray(v) && v.every(isStr);
const isSmtpView = (v: unknown): boolean =>
  v === null ||
  (isAnyObject(v) &&
    isStr(v['host']) &&
    isNum(v['port']) &&
    (SMTP_SECURITY as readonly unknown[]).includes(v['security']) &&
    isStr(v['username']) &&
    isStr(v['from']) &&
    typeof v['hasPassword'] === 'boolean');

/** How the target is reached, by kind: a webhook's format and masked URL, an email's recipients and server, an SMS's phones. */
const isChannel = (v: Record<string, unknown>): boolean => {
  const email = v['email'];
  const sms = v['sms'];
  switch (v['kind']) {
    case 'webhook':
      return (NOTIFY_FORMATS as readonly unknown[]).includes(v['format']) && isStr(v['url']);
    case 'email':
      return isAnyObject(email) && isStrList(email['recipients']) && isSmtpView(email['smtp']);
    case 'sms':
      return isAnyObject(sms) && isStrList(sms['phones']) && isStr(sms['signName']) && isStr(sms['templateCode']);
    default:
      return false;
  }
};

export const isNotifyTarget = (v: unknown): v is NotifyTargetView =>
  isAnyObject(v) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  (NOTIFY_TARGET_KINDS as readonly unknown[]).includes(v['kind']) &&
  isChannel(v) &&
  typeof v['enabled'] === 'boolean' &&
  isNum(v['version']) &&
  isNum(v['updatedAt']) &&
  isDeliveryState(v['delivery']);

const isTargetAnswer = (v: unknown): v is { target: NotifyTargetView } => isAnyObject(v) && isNotifyTarget(v['target']);
const isDeleteAnswer = (v: unknown): v is { abandoned: number } => isAnyObject(v) && isNum(v['abandoned']);
const isTestAnswer = (v: unknown): v is { result: NotifyTestResult } => {
  const r = isAnyObject(v) ? v['result'] : null;
  return isAnyObject(r) && typeof r['ok'] === 'boolean' && isNumOrNull(r['status']) && isStrOrNull(r['error']) && isNum(r['ms']);
};

const path = (id?: string) => `/api/notify-targets${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

export async function fetchNotifyTargets(fetchFn: Fetch = fetch): Promise<NotifyTargetView[]> {
  return (await requestJson('GET', path(), isItems(isNotifyTarget), undefined, fetchFn)).items;
}

export async function createNotifyTarget(body: NewNotifyTarget, fetchFn: Fetch = fetch): Promise<NotifyTargetView> {
  return (await requestJson('POST', path(), isTargetAnswer, body, fetchFn)).target;
}

export async function updateNotifyTarget(id: string, patch: NotifyTargetPatch, fetchFn: Fetch = fetch): Promise<NotifyTargetView> {
  return (await requestJson('PATCH', path(id), isTargetAnswer, patch, fetchFn)).target;
}

/** Resolves with how many queued notifications were given up. */
export async function deleteNotifyTarget(id: string, version: number, fetchFn: Fetch = fetch): Promise<number> {
  return (await requestJson('DELETE', `${path(id)}?version=${version}`, isDeleteAnswer, undefined, fetchFn)).abandoned;
}

export async function testNotifyTarget(id: string, fetchFn: Fetch = fetch): Promise<NotifyTestResult> {
  return (await requestJson('POST', `${path(id)}/test`, isTestAnswer, undefined, fetchFn)).result;
}
