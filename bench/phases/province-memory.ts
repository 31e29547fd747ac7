/**
 * The province server's memory by step of the phase (issue 20): its RSS sampled every second from
 * /proc and, at each step's highest sample, its parts from /metrics (V8 heap, external, the rest),
 * so a peak can be put down to what the server was doing then.
 */
import { memoryOf, type MemoryBreakdown, type ServerChild } from '../processes';

export interface StepMemory {
  step: string;
  /** Highest RSS sampled during the step, MiB. */
  peakRssMb: number;
  /** The parts at that sample (null: /metrics did not answer in time). */
  atPeak: MemoryBreakdown | null;
}

export interface MemorySampler {
  /** Samples from now on count for `name`. */
  step(name: string): void;
  /** Stops sampling; the steps in the order they began. */
  stop(): StepMemory[];
}

export function sampleMemory(server: ServerChild, everyMs = 1_000): MemorySampler {
  const steps: StepMemory[] = [];
  let current: StepMemory = { step: 'start', peakRssMb: 0, atPeak: null };
  steps.push(current);
  let asking = false;
  const sample = () => {
    let rss: number;
    try {
      rss = memoryOf(server.pid).rssMb;
    } catch {
      return; // the server has exited
    }
    const step = current;
    if (rss <= step.peakRssMb) return;
    step.peakRssMb = Math.round(rss);
    // One /metrics request at a time: a busy server must not pile them up.
    if (asking) return;
    asking = true;
    void server
      .memoryBreakdown()
      .then(
        (parts) => {
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
      current = { step: name, peakRssMb: 0, atPeak: null };
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
