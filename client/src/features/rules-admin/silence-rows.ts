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
