/** Who gets what (/api/duty, /api/notify-settings; issue 21): the roster, the escalation chain, one's own notification settings. */
import type { DutyView, EscalationPolicy, NewShift, NotifySettings, NotifySettingsView, Shift } from '@domain/duty';
import { isAnyObject } from './guards';
import { requestJson } from './rest';

export type { DutyView, EscalationPolicy, NewShift, NotifySettings, NotifySettingsView, Shift };

type Fetch = typeof fetch;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const isShift = (v: unknown): v is Shift =>
  isAnyObject(v) && isStr(v['id']) && isStr(v['username']) && isStr(v['position']) && isNum(v['startsAt']) && isNum(v['endsAt']);

const isPolicy = (v: unknown): v is EscalationPolicy =>
  isAnyObject(v) && typeof v['enabled'] === 'boolean' && isStr(v['minSeverity']) && Array.isArray(v['steps']);

export const isDutyView = (v: unknown): v is DutyView =>
  isAnyObject(v) &&
  Array.isArray(v['shifts']) &&
  v['shifts'].every(isShift) &&
  isPolicy(v['escalation']) &&
  isAnyObject(v['onDuty']) &&
  Array.isArray(v['users']);

export const isSettingsView = (v: unknown): v is NotifySettingsView =>
  isAnyObject(v) &&
  isAnyObject(v['contacts']) &&
  isAnyObject(v['subscription']) &&
  typeof v['canEmail'] === 'boolean' &&
  typeof v['canSms'] === 'boolean';

const hasShift = (v: unknown): v is { shift: Shift } => isAnyObject(v) && isShift(v['shift']);
const hasPolicy = (v: unknown): v is { escalation: EscalationPolicy } => isAnyObject(v) && isPolicy(v['escalation']);

export const fetchDuty = (fetchFn?: Fetch) => requestJson('GET', '/api/duty', isDutyView, undefined, fetchFn);
export const createShift = async (s: NewShift, fetchFn?: Fetch) =>
  (await requestJson('POST', '/api/duty/shifts', hasShift, s, fetchFn)).shift;
export const removeShift = async (id: string, fetchFn?: Fetch) =>
  (await requestJson('DELETE', `/api/duty/shifts/${encodeURIComponent(id)}`, hasShift, undefined, fetchFn)).shift;
export const saveEscalation = async (p: EscalationPolicy, fetchFn?: Fetch) =>
  (await requestJson('PUT', '/api/duty/escalation', hasPolicy, p, fetchFn)).escalation;
export const fetchMySettings = (fetchFn?: Fetch) => requestJson('GET', '/api/notify-settings/me', isSettingsView, undefined, fetchFn);
export const saveMySettings = (s: NotifySettings, fetchFn?: Fetch) =>
  requestJson('PUT', '/api/notify-settings/me', isSettingsView, s, fetchFn);
export const fetchUserSettings = (username: string, fetchFn?: Fetch) =>
  requestJson('GET', `/api/duty/users/${encodeURIComponent(username)}/settings`, isSettingsView, undefined, fetchFn);
export const saveUserSettings = (username: string, s: NotifySettings, fetchFn?: Fetch) =>
  requestJson('PUT', `/api/duty/users/${encodeURIComponent(username)}/settings`, isSettingsView, s, fetchFn);
