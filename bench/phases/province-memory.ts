/**
 * The province server's memory and event loop by step of the phase (issue 20): its RSS sampled
 * every two seconds from /proc and, at each step's highest sample, its parts from /metrics (V8 heap,
 * external, the rest), so a peak can be put down to what the server was doing then; and from the
 * same /metrics, asked each time, the event loop's delay (what a page's request waited).
 */
import { memoryOf, type MemoryBreakdown, type ServerChild } from '../processes';

export interface StepMemory {
  step: string;
  /** Highest RSS sampled during the step, MiB. */
  peakRssMb: number;
  /** The parts at that sample (null: /metrics did not answer in time). */
  atPeak: MemoryBreakdown | null;
  /** The event loop's delay over the step, ms: the highest 99th percentile of a sampling interval, the longest delay. */
  loopP99Ms: number;
  loopMaxMs: number;
}

export interface MemorySampler {
  /** Samples from now on count for `name`. */
  step(name: string): void;
  /** Stops sampling; the steps in the order they began. */
  stop(): StepMemory[];
}

export function sampleMemory(server: ServerChild, everyMs = 2_000): MemorySampler {
  const steps: StepMemory[] = [];
  const begin = (step: string): StepMemory => ({ step, peakRssMb: 0, atPeak: null, loopP99Ms: 0, loopMaxMs: 0 });
  let current = begin('start');
  steps.push(current);
  let asking = false;
  const sample = () => {
    const step = current;
    try {
      step.peakRssMb = Math.max(step.peakRssMb, Math.round(memoryOf(server.pid).rssMb));
    } catch {
      return; // the server has exited
    }
    // One /metrics request at a time: a busy server must not pile them up. Its loop delay covers
    // the time since the previous request, so each one is kept for the step it answered in.
    if (asking) return;
    asking = true;
    void server
      .memoryBreakdown()
      .then(
        (parts) => {
          step.loopP99Ms = Math.max(step.loopP99Ms, parts.loopP99Ms);
          step.loopMaxMs = Math.max(step.loopMaxMs, parts.loopMaxMs);
          if (!step.atPeak || parts.rssMb >= step.atPeak.rssMb) step.atPeak = parts;
        },
        () => undefined,
      )
      .finally(() => (asking = false));
  };
  const timer = setInterval(sample, everyMs);
  return {
    step(name) {
      sample();
      current = begin(name);
      steps.push(current);
    },
    stop() {
      sample();
      clearInterval(timer);
      return steps;
    },
  };
}

/** One line per step: its peak RSS and what made it up. */
export function memoryText(steps: readonly StepMemory[]): string {
  return steps
    .map((s) => {
      const p = s.atPeak;
      const parts = p ? ` (heap ${p.heapUsedMb} used of ${p.heapTotalMb}, external ${p.externalMb}, other ${p.otherMb})` : '';
      return `${s.step} ${s.peakRssMb}${parts}`;
    })
    .join(' · ');
}

/** One line per step: the event loop’s worst sampling interval (p99) and its longest delay. */
export function loopText(steps: readonly StepMemory[]): string {
  return steps.map((s) => `${s.step} p99 ${s.loopP99Ms} · max ${s.loopMaxMs}`).join(' · ');
}
