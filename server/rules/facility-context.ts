/**
 * What a facility rule (issue 16) sees and says: a facility at one instant — its running state and
 * its fresh signal values — what it serves, its outlets' NOx, the rule parameters of its logger;
 * and the verdict shapes the facility engine turns into findings. Pure.
 */
import type { Evidence, Severity } from '../domain/alert';
import type { Facility } from '../domain/registry';
import type { RuleId, RuleParams } from '../domain/rule-pack';
import { SIGNAL, type SignalFamilyKey } from '../domain/working-condition';
import type { NoxSample } from './facility-state';

/** A power meter (registry kind `power-meter`) whose power stands for the facility it `serves`. */
export type MeterRef = Pick<Facility, 'id' | 'name' | 'meterNo'>;

/** A fresh sample: its value and logger time; `meters` when it is the power of the meters serving the facility, not its own. */
export interface FreshSample {
  value: number;
  ts: number;
  meters?: readonly MeterRef[];
  /** With `meters`: the sum of their own `runningKw`, when each has one (the threshold of the load they measure). */
  runningKw?: number;
}

/** The power above which a facility runs: its meters' threshold when its power is theirs and they have one, else its own `runningKw`. */
export const runningKwOf = (f: Pick<Facility, 'runningKw'>, power: FreshSample): number | undefined => power.runningKw ?? f.runningKw;

/** A facility's fresh values: sampled within two reporting intervals of its logger. */
export type FreshValues = Partial<Record<SignalFamilyKey, FreshSample>>;

/** What a power sample read from these meters carries besides its value: the meters, and their summed threshold when each has one. */
export function meterSample(meters: readonly Facility[]): Pick<FreshSample, 'meters' | 'runningKw'> {
  const kws = meters.map((m) => m.runningKw);
  const runningKw = kws.length > 0 && kws.every((k) => k !== undefined) ? kws.reduce<number>((sum, k) => sum + (k ?? 0), 0) : undefined;
  return { meters: meters.map((m) => ({ id: m.id, name: m.name, meterNo: m.meterNo })), ...(runningKw === undefined ? {} : { runningKw }) };
}

/** Where a facility's findings are keyed: its own logger and channel, else those of the first meter serving it. */
export interface FacilityKey {
  mn: string;
  channel: string;
}

/** A facility as the rules see it at one instant. */
export interface FacilityView {
  facility: Facility;
  /** null: unknown (no fresh signal says either way). */
  running: boolean | null;
  /** Logger time the running state began (null while unknown). */
  since: number | null;
  values: FreshValues;
}

export interface FacilityInput {
  self: FacilityView;
  /** What it serves (a treatment facility's production line), when registered. */
  served: FacilityView | undefined;
  /** Fresh NOx samples of its outlets (outletMns). */
  outlets: readonly (NoxSample & { mn: string })[];
  /** The rule parameters of its logger (the pack, then the logger's overrides). */
  params: RuleParams;
  /** The logger time it is judged at. */
  at: number;
}

/**
 * A sustained rule's verdict now: the condition holds (with the signal, value and threshold it is
 * raised on, and its evidence), it does not (with the signal's value, if seen), or it cannot be
 * told (null: a state or value is unknown) — a raised condition then stays raised.
 */
export type Judgement =
  { holds: true; family: SignalFamilyKey; value: number; limit: number; evidence: Evidence } | { holds: false; value?: number } | null;

/** A rule judged on a facility's condition held for a duration (every facility rule but start-order). */
export interface SustainedRule {
  rule: RuleId;
  severity(params: RuleParams): Severity;
  /** How long the condition must hold before it is raised (0: at once). */
  durationMs(params: RuleParams): number;
  judge(input: FacilityInput): Judgement;
}

/** The families that tell whether a facility runs, in the order a finding names one. */
export const RUNNING_FAMILIES = [SIGNAL.power, SIGNAL.current, SIGNAL.runningState] as const;

/**
 * Whether a facility runs by its fresh values: power ≥ runningKw (runningKwOf), current ≥ runningA, or running
 * state 1 say it runs; below (or state 0) say it does not; one that runs wins. A value without its
 * threshold, or a running state other than 0 and 1 (calibrating, maintenance…), says nothing.
 */
export function runningOf(facility: Pick<Facility, 'runningKw' | 'runningA'>, values: FreshValues): boolean | null {
  const says: boolean[] = [];
  const power = values[SIGNAL.power];
  const kw = power && runningKwOf(facility, power);
  if (power && kw !== undefined) says.push(power.value >= kw);
  const current = values[SIGNAL.current];
  if (current && facility.runningA !== undefined) says.push(current.value >= facility.runningA);
  const state = values[SIGNAL.runningState]?.value;
  if (state === 0 || state === 1) says.push(state === 1);
  if (says.includes(true)) return true;
  return says.includes(false) ? false : null;
}

/** The signal a finding about a facility's running names, its value and threshold: power, else current, else running state. */
export function runningSignal(view: FacilityView): { family: SignalFamilyKey; value: number; limit: number } | undefined {
  const { facility: f, values } = view;
  const power = values[SIGNAL.power];
  const kw = power && runningKwOf(f, power);
  if (power && kw !== undefined) return { family: SIGNAL.power, value: power.value, limit: kw };
  const current = values[SIGNAL.current];
  if (current && f.runningA !== undefined) return { family: SIGNAL.current, value: current.value, limit: f.runningA };
  const state = values[SIGNAL.runningState];
  return state ? { family: SIGNAL.runningState, value: state.value, limit: 1 } : undefined;
}

/** The evidence naming a facility. */
export const facilityEvidence = (f: Pick<Facility, 'id' | 'name'>): Evidence => ({ facilityId: f.id, facility: f.name });

/** The evidence naming the meters a power sample was read from (none when it is the facility's own). */
export function meterEvidence(sample: FreshSample | undefined, prefix: 'meter' | 'lineMeter' = 'meter'): Evidence {
  const meters = sample?.meters;
  if (!meters?.length) return {};
  return {
    [`${prefix}Id`]: meters.map((m) => m.id).join(','),
    [prefix]: meters.map((m) => m.name).join('、'),
    [`${prefix}No`]: meters.map((m) => m.meterNo ?? '').join(','),
  };
}

/** The evidence naming what a facility serves and its state (running, since when, its power or current, the meters read). */
export function servedEvidence(view: FacilityView): Evidence {
  const { facility: f, values } = view;
  const power = values[SIGNAL.power];
  const current = values[SIGNAL.current];
  return {
    lineId: f.id,
    line: f.name,
    lineRunning: view.running,
    lineSince: view.since,
    ...(power ? { linePowerKw: power.value, ...meterEvidence(power, 'lineMeter') } : {}),
    ...(current ? { lineCurrentA: current.value } : {}),
  };
}

/** The facility's own power and current, where seen (its fan runs by them). */
export function ownRunEvidence(view: FacilityView): Evidence {
  const { values, facility: f } = view;
  const power = values[SIGNAL.power];
  const current = values[SIGNAL.current];
  return {
    running: view.running,
    ...(power ? { powerKw: power.value, runningKw: runningKwOf(f, power) ?? null } : {}),
    ...(current ? { currentA: current.value, runningA: f.runningA ?? null } : {}),
  };
}
