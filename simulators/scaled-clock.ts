/**
 * The demo's clock: real time, or real time run faster by a factor (a test replaying ten minutes
 * of the demo in twenty seconds). One clock drives the whole demo — the app's `now` (ingest, the
 * rules, the facility engine, the record rules, the dust means, alerts), the simulators' instants
 * and their timers — so every stage agrees on the time: now = origin + (real − realStart) × factor.
 * A timer of `ms` demo milliseconds fires after ms / factor real ones. The app's own periodic
 * timers (the rules' tick every rules.tickS...) still count real seconds: faster, they tick less
 * often in demo time, which changes when a condition is judged, never how.
 */
import type { FleetTimers } from './fleet';

export interface DemoClock {
  /** Demo time, epoch ms. */
  now: () => number;
  /** Timers counting demo milliseconds (the simulators'). */
  timers: FleetTimers;
  /** Demo milliseconds per real millisecond (1: real time). */
  factor: number;
  /** Sets the clock going (the demo calls it when its simulators start); a no-op once going. */
  start(): void;
}

export function realClock(): DemoClock {
  return {
    now: Date.now,
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    factor: 1,
    start: () => undefined,
  };
}

/**
 * Real time run `factor` times faster, reading `origin` (default the real now) until start() and
 * going from there: the demo's time 0:00 is `origin` however long the app took to start, so a demo
 * started at a chosen instant (e.g. on a local quarter-hour) is still one consistent clock.
 */
export function scaledClock(factor: number, origin: number = Date.now()): DemoClock {
  if (!(factor >= 1) || !Number.isFinite(factor)) throw new RangeError(`clock factor must be a finite number ≥ 1, not ${factor}`);
  let realStart: number | null = null;
  return {
    now: () => (realStart === null ? origin : Math.floor(origin + (Date.now() - realStart) * factor)),
    start: () => void (realStart ??= Date.now()),
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms) / factor),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    factor,
  };
}
