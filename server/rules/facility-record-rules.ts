/**
 * The facility-record rules of issue 16 item 2 (pure; truth tables in the test beside):
 *
 *   declared-stop-running  a production line's power ≥ its `runningKw` for `sustainS` while an
 *                          approved maintenance window covers it; clears when it stops or the
 *                          window ends. A window covers a line when it is the enterprise's own and
 *                          names no outlet (the whole enterprise), or names an outlet the line
 *                          feeds (`outletMns`) or the line's own logger.
 *   adsorbent-overdue      today past the last replacement + the facility's `adsorbentDays` (never
 *                          replaced: past `graceDays` after the product first watched it); raised
 *                          once per due date, cleared when a replacement makes it not overdue.
 *   unplanned-start-stop   a start or stop in the ozone season with no entry of the same line and
 *                          kind in the enterprise's plan within ± `toleranceDays`.
 *
 * A finding is keyed as every facility rule's: `mn` = the facility's logger, `factor` = its power
 * code (`gkw<channel>`) — the running-state code (`grs<channel>`) for an adsorber; a facility with no
 * logger cannot carry an alert and is not judged (its start/stop events are still counted).
 */
import type { Evidence, Finding, MaintenanceWindow } from '../domain/alert';
import { daysBetween, inSeason, isPlanned, type PlanEntry, type StartStopKind } from '../domain/facility-records';
import { addDays, localDate } from '../domain/local-time';
import type { Facility } from '../domain/registry';
import { RULE_IDS, type RuleParams } from '../domain/rule-pack';
import { SIGNAL, signalCode, type FacilityRunState, type SignalFamilyKey } from '../domain/working-condition';

/** The facility's logger and its signal code of a family, or undefined when it has no logger. */
const keyOf = (f: Facility, family: SignalFamilyKey): { mn: string; factor: string } | undefined =>
  f.mn !== undefined && f.channel !== undefined ? { mn: f.mn, factor: signalCode(family, f.channel) } : undefined;

const named = (f: Facility): Evidence => ({ facility: f.name, facilityId: f.id });

/** Does this (approved, current) maintenance window declare a stop of this production line? */
export const windowCoversLine = (w: MaintenanceWindow, line: Facility, now: number): boolean =>
  w.status === 'approved' &&
  w.enterpriseId === line.enterpriseId &&
  w.from <= now &&
  now < w.to &&
  (w.mn === null || w.mn === line.mn || (line.outletMns ?? []).includes(w.mn));

/** What the caller keeps per line between ticks. */
export interface DeclaredStopMemory {
  /** Since when the line has been seen running inside a declared stop. */
  runningSince: number | undefined;
  raised: boolean;
}

export interface DeclaredStopInput {
  line: Facility;
  state: FacilityRunState | undefined;
  /** Maintenance windows of the line's enterprise (any status: those covering the line are picked here). */
  windows: readonly MaintenanceWindow[];
  now: number;
  memory: DeclaredStopMemory;
  params: RuleParams['declaredStopRunning'];
  /** Where the finding goes and what its evidence adds, instead of the line's logger and power code (an imported meter's series). */
  key?: { mn: string; factor: string; evidence: Evidence };
}

/**
 * Is the line running: its power ≥ runningKw when both are known, else the facility engine's
 * judgement; undefined when nothing fresh says either way.
 */
function lineRunning(line: Facility, state: FacilityRunState | undefined): { running: boolean | undefined; kw: number } {
  const power = state?.latest[SIGNAL.power];
  if (state?.running === undefined) return { running: undefined, kw: power?.value ?? 0 };
  if (power !== undefined && line.runningKw !== undefined) return { running: power.value >= line.runningKw, kw: power.value };
  return { running: state.running, kw: power?.value ?? 0 };
}

export function judgeDeclaredStop(input: DeclaredStopInput): { findings: Finding[]; memory: DeclaredStopMemory } {
  const { line, now, memory, params } = input;
  const key = input.key ?? keyOf(line, SIGNAL.power);
  if (!key) return { findings: [], memory };
  const window = input.windows.find((w) => windowCoversLine(w, line, now));
  const { running, kw } = lineRunning(line, input.state);
  if (running === undefined && window !== undefined) return { findings: [], memory };
  const base = { mn: key.mn, factor: key.factor, rule: RULE_IDS.declaredStopRunning, ts: now };
  if (!running || window === undefined) {
    const findings: Finding[] = memory.raised ? [{ type: 'normal', ...base, value: kw }] : [];
    return { findings, memory: { runningSince: undefined, raised: false } };
  }
  const runningSince = memory.runningSince ?? now;
  if (now - runningSince < params.sustainS * 1000) return { findings: [], memory: { runningSince, raised: memory.raised } };
  const evidence: Evidence = {
    ...named(line),
    windowFrom: window.from,
    windowTo: window.to,
    windowId: window.id,
    runningKw: line.runningKw ?? null,
    since: runningSince,
    durationS: params.sustainS,
    ...input.key?.evidence,
  };
  const finding: Finding = {
    type: 'exceeded',
    ...base,
    severity: params.severity,
    value: kw,
    limit: line.runningKw ?? 0,
    unit: 'kW',
    evidence,
  };
  return { findings: [finding], memory: { runningSince, raised: true } };
}

export interface AdsorbentInput {
  facility: Facility;
  /** Local date of the latest logged replacement, if any. */
  lastReplacement: string | undefined;
  /** Local date the product first watched the facility (the grace period counts from it). */
  firstSeen: string;
  /** Today's local date. */
  today: string;
  now: number;
  /** The due date an alert was last raised for (null: none raised, or cleared since). */
  raisedDue: string | null;
  params: RuleParams['adsorbentOverdue'];
}

export function judgeAdsorbent(input: AdsorbentInput): { findings: Finding[]; raisedDue: string | null } {
  const { facility, lastReplacement, today, raisedDue, params } = input;
  const key = keyOf(facility, SIGNAL.runningState);
  if (!key || facility.adsorbentDays === undefined) return { findings: [], raisedDue };
  const from = lastReplacement ?? input.firstSeen;
  const allowed = lastReplacement !== undefined ? facility.adsorbentDays : params.graceDays;
  const due = addDays(from, allowed);
  const overdue = today > due;
  const base = { ...key, rule: RULE_IDS.adsorbentOverdue, ts: input.now };
  const days = daysBetween(from, today);
  if (!overdue) return { findings: raisedDue !== null ? [{ type: 'normal', ...base, value: days }] : [], raisedDue: null };
  if (raisedDue === due) return { findings: [], raisedDue };
  const evidence: Evidence =
    lastReplacement !== undefined
      ? { ...named(facility), lastReplacement, adsorbentDays: facility.adsorbentDays, due }
      : { ...named(facility), lastReplacement: null, watchedSince: input.firstSeen, graceDays: params.graceDays, due };
  const finding: Finding = { type: 'exceeded', ...base, severity: params.severity, value: days, limit: allowed, unit: 'd', evidence };
  return { findings: [finding], raisedDue: due };
}

/** A line's last known running state (from its last event, or the last tick). */
export interface KnownRun {
  running: boolean;
  at: number;
}

/** The start or stop the new state shows against the last known one (nothing on first sight or when unknown). */
export function detectStartStop(
  prev: KnownRun | undefined,
  state: FacilityRunState,
  now: number,
): { kind: StartStopKind; at: number } | undefined {
  if (prev === undefined || state.running === undefined || state.running === prev.running) return undefined;
  const at = state.since ?? now;
  if (at <= prev.at) return undefined;
  return { kind: state.running ? 'start' : 'stop', at };
}

export interface StartStopInput {
  line: Facility;
  kind: StartStopKind;
  at: number;
  /** The entries of the enterprise's plan for the event's year; undefined when none was filed. */
  plan: readonly PlanEntry[] | undefined;
  params: RuleParams['unplannedStartStop'];
  utcOffsetMinutes: number;
}

export function judgeStartStop(input: StartStopInput): { inSeason: boolean; planned: boolean; findings: Finding[] } {
  const { line, kind, at, plan, params } = input;
  const date = localDate(at, input.utcOffsetMinutes);
  const season = inSeason(date, params.season);
  const planned = plan !== undefined && isPlanned(plan, line.id, kind, date, params.toleranceDays);
  const key = keyOf(line, SIGNAL.power);
  if (!season || planned || !key) return { inSeason: season, planned, findings: [] };
  const evidence: Evidence = {
    ...named(line),
    [kind === 'start' ? 'startedAt' : 'stoppedAt']: at,
    planFiled: plan !== undefined,
    toleranceDays: params.toleranceDays,
  };
  const finding: Finding = {
    type: 'exceeded',
    ...key,
    rule: RULE_IDS.unplannedStartStop,
    severity: params.severity,
    value: 1,
    limit: 0,
    unit: '',
    ts: at,
    evidence,
  };
  return { inSeason: season, planned, findings: [finding] };
}
