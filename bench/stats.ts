/** Percentiles and the CPU time of processes, for the report. */
import { readFileSync } from 'node:fs';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU seconds a process has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine (all cores) so far, from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const t = ticks.slice(0, 8).map(Number);
  const idle = (t[3] ?? 0) + (t[4] ?? 0);
  return (t.reduce((a, b) => a + b, 0) - idle) / CLOCK_TICKS_PER_S;
}

/**
 * CPU use of named groups of processes over an interval, as % of one core (200 % = both cores
 * here), plus `bench` (this process) and `others`: everything else busy on the machine (kernel included), which a
 * shared machine makes worth knowing. Polls every 250 ms so a process that exits still counts.
 */
export function cpuMeter(groups: Record<string, readonly number[]>): { stop(): Record<string, number> } {
  const all = { ...groups, bench: [process.pid] };
  const start = performance.now();
  const machineStart = machineBusySeconds();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const poll = () => {
    for (const pid of Object.values(all).flat()) {
      const s = cpuSeconds(pid);
      if (s === undefined) continue;
      if (!first.has(pid)) first.set(pid, s);
      last.set(pid, s);
    }
  };
  poll();
  const timer = setInterval(poll, 250);
  return {
    stop() {
      poll();
      clearInterval(timer);
      const secs = (performance.now() - start) / 1000;
      const pct = (cpu: number) => Math.round((100 * cpu) / secs);
      const used = (pids: readonly number[]) => pids.reduce((t, pid) => t + (last.get(pid) ?? 0) - (first.get(pid) ?? 0), 0);
      const ours = Object.values(all).reduce((t, pids) => t + used(pids), 0);
      const others = Math.max(0, machineBusySeconds() - machineStart - ours);
      return { ...Object.fromEntries(Object.entries(all).map(([k, pids]) => [k, pct(used(pids))])), others: pct(others) };
    },
  };
}
