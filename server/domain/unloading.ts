/**
 * Daytime unloading at fuel stations and depots during special control (issue 18 item 4; PLANS C5
 * 「在特别管控期间实施夜间卸油」, the campaign measure `depot-night-unloading`). Pure.
 *
 * What the product has to see an unloading (卸油) by: a station's logger sends its tank pressure
 * (`apr01`, Pa) with the nozzles' A/L — no tank level and no unloading record. While a tanker
 * unloads with its vapour-balance hose connected (Stage I), the liquid entering the tank pushes its
 * vapour out and the tank pressure stands well above the slight vacuum that Stage II fuelling keeps
 * (A/L 1.0–1.2 returns as much vapour as liquid leaves): a run of samples at or above `minPa` for at
 * least `minMinutes` is taken as an unloading. It is an inference, so the alert says 疑似 (suspected)
 * and carries the pressure run as evidence; a leaking or blocked tank shows the same, which is worth
 * an officer's look either way (the `tank-pressure` rule watches the limit itself).
 */
import { inWindow, type DailyWindow } from './reduction-list';
import { MINUTE_MS } from './local-time';

export interface UnloadingParams {
  /** Tank pressure at or above this is the unloading signature, Pa (configurable default 300). */
  minPa: number;
  /** For at least this long, minutes (default 10). */
  minMinutes: number;
  /** A gap between samples longer than this ends a run, minutes (default 5). */
  maxGapMinutes: number;
  /** When unloading is allowed (the measure: 20:00–06:00). */
  night: DailyWindow;
}
export const DEFAULT_UNLOADING: UnloadingParams = { minPa: 300, minMinutes: 10, maxGapMinutes: 5, night: { from: '20:00', to: '06:00' } };

export interface UnloadingEvent {
  /** The first and last sample at or above minPa. */
  from: number;
  to: number;
  peakPa: number;
  samples: number;
  /** The run reaches the last sample given (it may go on). */
  ongoing: boolean;
}

/** Runs of tank pressure at or above minPa lasting minMinutes, from valid samples oldest first. */
export function detectUnloading(points: readonly { ts: number; pa: number }[], p: UnloadingParams): UnloadingEvent[] {
  const out: UnloadingEvent[] = [];
  let run: UnloadingEvent | null = null;
  let prevTs: number | null = null;
  const close = () => {
    if (run && run.to - run.from >= p.minMinutes * MINUTE_MS) out.push(run);
    run = null;
  };
  for (const pt of points) {
    if (prevTs !== null && pt.ts - prevTs > p.maxGapMinutes * MINUTE_MS) close();
    prevTs = pt.ts;
    if (pt.pa < p.minPa) {
      close();
      continue;
    }
    if (run) {
      run.to = pt.ts;
      run.peakPa = Math.max(run.peakPa, pt.pa);
      run.samples++;
    } else run = { from: pt.ts, to: pt.ts, peakPa: pt.pa, samples: 1, ongoing: false };
  }
  if (run) (run as UnloadingEvent).ongoing = true;
  close();
  return out;
}

/** Does an unloading fall in the daytime: does it start or end outside the night window (local time)? */
export function inDaytime(e: Pick<UnloadingEvent, 'from' | 'to'>, night: DailyWindow, utcOffsetMinutes: number): boolean {
  const minute = (ts: number) => (((Math.floor(ts / MINUTE_MS) + utcOffsetMinutes) % 1440) + 1440) % 1440;
  return !inWindow(night, minute(e.from)) || !inWindow(night, minute(e.to));
}
