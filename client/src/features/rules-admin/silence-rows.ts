/** The silences list's rows (pure): active first, then the most recent; and the time left in hours and minutes. */
import type { Silence } from '@domain/alert';

/** Whole minutes left, rounded up (59 s left is "1 min"), split in hours and minutes; null once it has ended. */
export function remainingOf(endsAt: number, now: number): { h: number; m: number } | null {
  if (endsAt <= now) return null;
  const minutes = Math.ceil((endsAt - now) / 60_000);
  return { h: Math.floor(minutes / 60), m: minutes % 60 };
}

/** Active silences (soonest to end first), then ended ones (most recently ended first). */
export function silenceRows(items: readonly Silence[], now: number): Silence[] {
  const active = items.filter((s) => s.endsAt > now).sort((a, b) => a.endsAt - b.endsAt || a.id - b.id);
  const ended = items.filter((s) => s.endsAt <= now).sort((a, b) => b.endsAt - a.endsAt || b.id - a.id);
  return [...active, ...ended];
}

/** A new silence as the form holds it ('' = any source / factor / rule). */
export interface SilenceDraft {
  mn: string;
  factor: string;
  rule: string;
  reason: string;
  /** How long, in hours (decimals allowed: 0.5 = 30 min). */
  hours: string;
}
export interface SilenceBody {
  mn?: string;
  factor?: string;
  rule?: string;
  reason: string;
  durationMin: number;
}
/** Form field → locale key under `silencesAdmin.error`. */
export type SilenceErrors = Partial<Record<'target' | 'reason' | 'hours', string>>;

/** The longest silence the server takes: 365 days (server/http/silences-router.ts MAX_SILENCE_MIN). */
export const MAX_SILENCE_HOURS = 8760;

export const emptySilenceDraft = (): SilenceDraft => ({ mn: '', factor: '', rule: '', reason: '', hours: '2' });

/** The POST /api/silences body of a draft, or what is wrong with it (checked as the server checks it). */
export function silenceBody(d: SilenceDraft): { body: SilenceBody | null; errors: SilenceErrors } {
  const errors: SilenceErrors = {};
  if (!d.mn && !d.factor && !d.rule) errors.target = 'target';
  const reason = d.reason.trim();
  if (!reason) errors.reason = 'reasonRequired';
  else if (reason.length > 500) errors.reason = 'reasonTooLong';
  const hours = /^\d+(\.\d+)?$/.test(d.hours.trim()) ? Number(d.hours) : Number.NaN;
  const durationMin = Math.round(hours * 60);
  if (!(durationMin >= 1 && hours <= MAX_SILENCE_HOURS)) errors.hours = 'hours';
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return {
    body: {
      ...(d.mn ? { mn: d.mn } : {}),
      ...(d.factor ? { factor: d.factor } : {}),
      ...(d.rule ? { rule: d.rule } : {}),
      reason,
      durationMin,
    },
    errors,
  };
}
