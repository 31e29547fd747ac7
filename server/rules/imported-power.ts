/**
 * Judging a power-data import (issue 16): the grid company's 15-min kWh per meter arrives days
 * later, as readings of the past (2051 `gkw<channel>` of each meter's logger, `avg` = the interval's
 * mean kW = kWh × 60 / 15). The live facility engine judges on each logger's clock as data arrives
 * and keeps only the latest values, so it cannot place a day of past intervals beside the live state;
 * this judges the imported series themselves, interval by interval, for the rules that stand on
 * power alone:
 *
 *   treatment-off          a treatment facility's meters under its `runningKw` while the meters of
 *                          what it serves show it running (both must be in the file);
 *   declared-stop-running  a production line's meters at or above its `runningKw` inside an approved
 *                          maintenance window covering it.
 *
 * An interval's mean stands for the whole interval [start, start + 15 min): a condition holding over
 * it for the rule's duration is raised at its first instant + the duration (a treatment facility off
 * for one interval, 15 min > 5 min, raises at its start + 5 min); it clears at the start of the first
 * interval where it does not hold; a missing interval is unknown (raised stays raised, a count not yet
 * raised restarts), and so is the time after the file's last interval. A facility's power is the sum
 * of its meters in the file, unknown at an interval one of them lacks. Findings are keyed on the
 * facility's first meter in the file (its logger and `gkw<channel>`: the imported series that shows
 * it), so they never merge with or clear an alert the live engine raised from the facility's own
 * signals; the evidence names the meters and the import. The first interval judged where the
 * condition does not hold clears an alert an earlier import left open (an older file's clear, older
 * than that alert's last sample, changes nothing). Pure and deterministic: the same file, registry,
 * parameters and windows give the same findings. start-order is not judged: 15-min means cannot
 * resolve a 5-min lead or lag.
 */
import type { Evidence, Finding, MaintenanceWindow } from '../domain/alert';
import { isValidFlag, type Reading } from '../domain/reading';
import type { Facility } from '../domain/registry';
import type { RuleParams } from '../domain/rule-pack';
import { parseSignalCode, SIGNAL, signalCode, type FacilityRunState } from '../domain/working-condition';
import { meterEvidence, meterSample, runningOf, type FacilityKey, type FacilityView, type FreshSample } from './facility-context';
import { FacilityIndex } from './facility-index';
import { judgeDeclaredStop, windowCoversLine, type DeclaredStopMemory } from './facility-record-rules';
import { NO_CONDITION, type Condition } from './facility-state';
import { sustain } from './facility-sustain';
import { treatmentOffRule } from './treatment-off-rule';

export interface ImportedPowerInput {
  /** The registry's facilities. */
  facilities: readonly Facility[];
  /** The import's readings as stored (2051, `gkw<channel>` avg = mean kW). */
  readings: readonly Reading[];
  /** The import's interval (15 min). */
  intervalMs: number;
  /** The rule parameters of a logger (the pack, then its override). */
  paramsOf(mn: string): RuleParams;
  /** Approved maintenance windows (any time: those covering a line at an instant are picked here). */
  windows: readonly MaintenanceWindow[];
  /** Named in every finding's evidence. */
  importId: string;
}

export interface ImportedFindings {
  enterpriseId: string;
  findings: Finding[];
}

/** A facility's power per interval start in the file: the sum of its meters there. */
interface Metered {
  key: FacilityKey;
  /** The interval starts of its meters in the file. */
  starts: readonly number[];
  kw(at: number): FreshSample | undefined;
}

export function judgeImportedPower(input: ImportedPowerInput): ImportedFindings[] {
  const index = new FacilityIndex(input.facilities);
  const perMeter = meterSeries(index, input.readings);
  const metered = (f: Facility) => meteredOf(index, f, perMeter, input.intervalMs);
  const out = new Map<string, Finding[]>();
  const add = (f: Facility, findings: Finding[]) => {
    if (findings.length > 0) out.set(f.enterpriseId, [...(out.get(f.enterpriseId) ?? []), ...findings]);
  };
  const byId = new Map(input.facilities.map((f) => [f.id, f]));
  for (const f of input.facilities) {
    const own = metered(f);
    if (!own) continue;
    const served = f.serves === undefined ? undefined : byId.get(f.serves);
    const line = served && metered(served);
    if (f.kind === 'treatment' && served && line) add(f, treatmentOff(input, f, own, served, line));
    if (f.kind === 'production-line') add(f, declaredStop(input, f, own));
  }
  return [...out].map(([enterpriseId, findings]) => ({ enterpriseId, findings: findings.sort((a, b) => a.ts - b.ts) }));
}

/** Each meter's imported mean kW per interval start (valid values only). */
function meterSeries(index: FacilityIndex, readings: readonly Reading[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const r of readings) {
    for (const [code, fv] of Object.entries(r.factors)) {
      const signal = parseSignalCode(code);
      const meter = signal?.family.family === SIGNAL.power ? index.onChannel(r.mn, signal.channel) : undefined;
      const kw = fv.avg ?? fv.rtd;
      if (meter?.kind !== 'power-meter' || kw === undefined || !isValidFlag(fv.flag)) continue;
      out.set(meter.id, (out.get(meter.id) ?? new Map<number, number>()).set(r.ts, kw));
    }
  }
  return out;
}

function meteredOf(index: FacilityIndex, f: Facility, perMeter: Map<string, Map<number, number>>, intervalMs: number): Metered | undefined {
  const meters = index.metersOf(f.id).filter((m) => perMeter.has(m.id));
  const first = meters[0];
  if (first?.mn === undefined || first.channel === undefined) return undefined;
  const sample = meterSample(meters);
  return {
    key: { mn: first.mn, channel: first.channel },
    starts: meters.flatMap((m) => [...(perMeter.get(m.id)?.keys() ?? [])]),
    kw(at) {
      const start = at - (((at % intervalMs) + intervalMs) % intervalMs);
      const values = meters.map((m) => perMeter.get(m.id)?.get(start));
      if (values.some((x) => x === undefined)) return undefined;
      return { value: values.reduce<number>((sum, x) => sum + (x ?? 0), 0), ts: start, ...sample };
    },
  };
}

/** The instants to judge at: every interval's start and end, and the given edges within them, in order. */
function instantsOf(series: readonly Metered[], intervalMs: number, edges: readonly number[] = []): number[] {
  const at = new Set<number>();
  for (const s of series) for (const t of s.starts) at.add(t).add(t + intervalMs);
  const [lo, hi] = [Math.min(...at), Math.max(...at)];
  for (const e of edges) if (e > lo && e < hi) at.add(e);
  return [...at].sort((a, b) => a - b);
}

/** A facility's running state over the instants, with since when (the first instant showing it). */
class RunTrack {
  private running: boolean | null = null;
  private since: number | null = null;

  constructor(private readonly facility: Facility) {}

  view(sample: FreshSample | undefined, at: number): FacilityView {
    const running = sample ? runningOf(this.facility, { [SIGNAL.power]: sample }) : null;
    if (running !== this.running) [this.running, this.since] = [running, running === null ? null : at];
    return { facility: this.facility, running, since: this.since, values: sample ? { [SIGNAL.power]: sample } : {} };
  }
}

const importEvidence = (input: ImportedPowerInput): Evidence => ({
  imported: true,
  importId: input.importId,
  intervalMinutes: input.intervalMs / 60_000,
});

function treatmentOff(input: ImportedPowerInput, f: Facility, own: Metered, line: Facility, served: Metered): Finding[] {
  const params = input.paramsOf(f.mn ?? own.key.mn);
  const durationMs = treatmentOffRule.durationMs(params);
  const instants = instantsOf([own, served], input.intervalMs);
  const [self, lineTrack] = [new RunTrack(f), new RunTrack(line)];
  let cond: Condition = NO_CONDITION;
  let judged = false;
  const out: Finding[] = [];
  const judgeAt = (at: number) => {
    const view = { self: self.view(own.kw(at), at), served: lineTrack.view(served.kw(at), at), outlets: [], params, at };
    const j = treatmentOffRule.judge(view);
    if (!judged && j !== null) {
      judged = true;
      const factor = signalCode(SIGNAL.power, own.key.channel);
      if (!j.holds) out.push({ type: 'normal', mn: own.key.mn, factor, rule: treatmentOffRule.rule, value: j.value ?? 0, ts: at });
    }
    const step = sustain(own.key, cond, treatmentOffRule, view, false);
    cond = step.cond;
    out.push(...step.findings);
  };
  instants.forEach((at, i) => {
    judgeAt(at);
    const raiseAt = !cond.active && cond.since !== null ? cond.since + durationMs : undefined;
    if (raiseAt !== undefined && raiseAt > at && raiseAt < (instants[i + 1] ?? at)) judgeAt(raiseAt);
  });
  return out.map((x) => (x.type === 'exceeded' ? { ...x, evidence: { ...importEvidence(input), ...x.evidence } } : x));
}

function declaredStop(input: ImportedPowerInput, line: Facility, own: Metered): Finding[] {
  const params = input.paramsOf(line.mn ?? own.key.mn).declaredStopRunning;
  const windows = input.windows.filter((w) => windowCoversLine(w, line, w.from));
  const instants = instantsOf(
    [own],
    input.intervalMs,
    windows.flatMap((w) => [w.from, w.to]),
  );
  const track = new RunTrack(line);
  const factor = signalCode(SIGNAL.power, own.key.channel);
  // raised: an alert an earlier import left open is cleared at the first instant the condition does not hold.
  let memory: DeclaredStopMemory = { runningSince: undefined, raised: true };
  const out: Finding[] = [];
  const judgeAt = (at: number) => {
    const sample = own.kw(at);
    const view = track.view(sample, at);
    const state: FacilityRunState = {
      facilityId: line.id,
      enterpriseId: line.enterpriseId,
      running: view.running ?? undefined,
      since: view.since ?? undefined,
      latest: sample ? { [SIGNAL.power]: { value: sample.value, ts: sample.ts } } : {},
    };
    const key = { mn: own.key.mn, factor, evidence: { ...importEvidence(input), ...meterEvidence(sample) } };
    const step = judgeDeclaredStop({ line, state, windows, now: at, memory, params, key });
    memory = step.memory;
    out.push(...step.findings);
  };
  instants.forEach((at, i) => {
    judgeAt(at);
    const raiseAt = memory.runningSince === undefined ? undefined : memory.runningSince + params.sustainS * 1000;
    if (raiseAt !== undefined && raiseAt > at && raiseAt < (instants[i + 1] ?? at)) judgeAt(raiseAt);
  });
  // Judged at every instant, a raised stop repeats: one finding per episode is enough for a past one.
  return out.filter((x, i) => x.type === 'normal' || out[i - 1]?.type !== 'exceeded');
}
