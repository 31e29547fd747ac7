/**
 * The duty pages' forms as pure functions (issue 21): a person's settings form to the request body
 * and the problems the form shows before it is sent (the server checks the same with the domain's
 * schemas), the escalation steps' order, the times a quiet-hours range can start and end at.
 */
import { isEmailAddress, isMobilePhone, normalizePhone } from '@domain/notify-channels';
import type { EscalationPolicy, NotifySettings, PersonalChannel, Subscription } from '@domain/duty';

/** The settings form: text fields as typed, quiet hours switchable. */
export interface SettingsForm {
  email: string;
  phone: string;
  subscription: Omit<Subscription, 'quietHours'>;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
}

export type SettingsProblem = 'email' | 'phone' | 'channel';

export function formOf(s: NotifySettings): SettingsForm {
  const { quietHours, ...subscription } = s.subscription;
  return {
    email: s.contacts.email ?? '',
    phone: s.contacts.phone ?? '',
    subscription: { ...subscription },
    quiet: quietHours !== null,
    quietFrom: quietHours?.from ?? '22:00',
    quietTo: quietHours?.to ?? '07:00',
  };
}

/** What is wrong with the form, by field (none: it can be sent). */
export function settingsProblems(f: SettingsForm): Partial<Record<'email' | 'phone' | 'channels', SettingsProblem>> {
  const out: Partial<Record<'email' | 'phone' | 'channels', SettingsProblem>> = {};
  if (f.email.trim() && !isEmailAddress(f.email.trim())) out.email = 'email';
  if (f.phone.trim() && !isMobilePhone(normalizePhone(f.phone.trim()))) out.phone = 'phone';
  if (f.subscription.channels.length === 0) out.channels = 'channel';
  return out;
}

export function settingsOf(f: SettingsForm): NotifySettings {
  return {
    contacts: { email: f.email.trim() || null, phone: f.phone.trim() ? normalizePhone(f.phone.trim()) : null },
    subscription: { ...f.subscription, quietHours: f.quiet ? { from: f.quietFrom, to: f.quietTo } : null },
  };
}

/** Every half hour of the day, HH:MM. */
export const QUIET_TIMES: readonly string[] = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
);

/** Whether each step comes later than the one before (the server refuses the chain otherwise). */
export const stepsInOrder = (steps: EscalationPolicy['steps']): boolean =>
  steps.every((s, i) => i === 0 || s.afterMin > (steps[i - 1]?.afterMin ?? 0));

/** A new step after the last: 15 minutes later, to the backup. */
export const nextStep = (steps: EscalationPolicy['steps']): EscalationPolicy['steps'][number] => ({
  afterMin: (steps.at(-1)?.afterMin ?? 0) + 15,
  to: { kind: 'position', position: 'backup' },
});

export const CHANNELS: readonly PersonalChannel[] = ['email', 'sms'];
