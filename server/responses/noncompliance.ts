/**
 * A measure's non-compliance as an alert finding (issue 18 item 4): pure. After `failHours` failed
 * closed hours in a row a `measure-noncompliance` finding (severity major) on the entry's outlet MN
 * (or its line's logger) and the failing check's factor, with the evidence: the entry, the measure,
 * the level, the response, each check's observed vs allowed (with its unit, the facility's name and,
 * for an emission rate, the baseline; line power: read from the logger or an import, named), the
 * hours; a passing hour makes the same keys normal.
 */
import type { Evidence, Finding } from '../domain/alert';
import {
  MEASURE_ACTION_NAMES,
  RESPONSE_LEVEL_NAMES,
  type ReductionEntry,
  type ResolvedMeasure,
  type ResponseLevel,
} from '../domain/reduction-list';
import type { Check } from '../domain/reduction-verify';
import type { Facility } from '../domain/registry';
import { RULE_IDS } from '../domain/rule-ids';
import { signalCode, SIGNAL } from '../domain/working-condition';
import { FLOW_CODE, mainPollutantCode } from './measure-hour';

/** The alert's source and factor for a check: the outlet, or the line's logger and its power signal. */
export function subjectOf(
  entry: Pick<ReductionEntry, 'outletMns' | 'facilityId'>,
  measure: ResolvedMeasure['measure'],
  check: Check,
  facilities: readonly Pick<Facility, 'id' | 'mn' | 'channel'>[],
): { mn: string; factor: string } | undefined {
  const outlet = entry.outletMns[0];
  switch (check.what) {
    case 'line-power': {
      const f = facilities.find((x) => x.id === check.subject);
      const factor = f?.channel !== undefined ? signalCode(SIGNAL.power, f.channel) : SIGNAL.power;
      const mn = outlet ?? f?.mn;
      return mn === undefined ? undefined : { mn, factor };
    }
    case 'outlet-flow':
    case 'flag':
      return { mn: check.subject, factor: FLOW_CODE };
    case 'limit':
      return { mn: check.subject, factor: check.code ?? FLOW_CODE };
    case 'emission':
      return { mn: check.subject, factor: mainPollutantCode(measure) };
  }
}

export interface MeasureState {
  enterpriseId: string;
  entry: Pick<ReductionEntry, 'id' | 'name' | 'outletMns' | 'facilityId'>;
  resolved: Pick<ResolvedMeasure, 'measure'>;
  /** The response's level and id; null for a peak-shift schedule (no warning). */
  level: ResponseLevel | null;
  responseId: number | null;
  /** A peak-shift schedule's period (错峰生产), when the stop comes from one. */
  peakShift?: { from: string; to: string; note?: string };
  /** The failed hours in a row (starts), oldest first, ending with the last hour judged. */
  failedHours: number[];
  lastVerdict: 'pass' | 'fail' | 'nodata';
  lastChecks: Check[];
  lastHour: number;
}

const HOUR_MS = 3_600_000;

/**
 * The findings after a measure's last judged hour: raised when it failed `failHours` in a row (one
 * per failing check's subject), normal for every check's subject when it passed; nothing on nodata.
 */
export function measureFindings(
  s: MeasureState,
  failHours: number,
  facilities: readonly Pick<Facility, 'id' | 'mn' | 'channel' | 'name'>[],
): Finding[] {
  const rule = RULE_IDS.measureNoncompliance;
  const ts = s.lastHour + HOUR_MS;
  if (s.lastVerdict === 'pass')
    return dedupe(s.lastChecks.map((c) => subjectOf(s.entry, s.resolved.measure, c, facilities))).map((k) => ({
      type: 'normal',
      ...k,
      rule,
      value: 0,
      ts,
    }));
  if (s.lastVerdict !== 'fail' || s.failedHours.length < failHours) return [];
  const evidence: Evidence = {
    responseId: s.responseId,
    level: s.level === null ? null : RESPONSE_LEVEL_NAMES[s.level].zh,
    ...(s.peakShift && { peakShift: `${s.peakShift.from} 至 ${s.peakShift.to}`, peakShiftNote: s.peakShift.note ?? null }),
    entry: s.entry.name,
    measure: MEASURE_ACTION_NAMES[s.resolved.measure.action].zh,
    limitToPct: s.resolved.measure.limitToPct ?? null,
    firstHour: s.failedHours[0] ?? s.lastHour,
    lastHour: s.lastHour,
    failedHours: s.failedHours.length,
    ...importEvidence(s.lastChecks),
    checks: s.lastChecks.map((c) => checkRow(c, s.resolved.measure, facilities)),
  };
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const c of s.lastChecks) {
    if (c.verdict !== 'fail') continue;
    const k = subjectOf(s.entry, s.resolved.measure, c, facilities);
    if (!k || seen.has(`${k.mn}|${k.factor}`)) continue;
    seen.add(`${k.mn}|${k.factor}`);
    out.push({
      type: 'exceeded',
      ...k,
      rule,
      severity: 'major',
      value: c.observed ?? 0,
      limit: c.allowed ?? 0,
      unit: UNIT[c.what],
      ts,
      evidence,
    });
  }
  return out;
}

/**
 * One check as an evidence row: what, its subject (a facility id or an outlet MN) and the facility's
 * name, the code, observed and allowed in `unit`, the baseline an emission rate was held to (allowed
 * ÷ the share kept), the verdict.
 */
function checkRow(c: Check, measure: ResolvedMeasure['measure'], facilities: readonly Pick<Facility, 'id' | 'name'>[]) {
  const share = (measure.limitToPct ?? 100) / 100;
  return {
    what: c.what,
    subject: c.subject,
    name: c.what === 'line-power' ? (facilities.find((f) => f.id === c.subject)?.name ?? null) : null,
    code: c.code ?? null,
    observed: c.observed,
    allowed: c.allowed,
    baseline: c.what === 'emission' && c.allowed !== null && share > 0 ? c.allowed / share : null,
    unit: UNIT[c.what],
    verdict: c.verdict,
    ...(c.source !== undefined && { source: c.source }),
    ...(c.importIds !== undefined && { importIds: c.importIds.join('、') }),
  };
}

/** Line power read from a power-data import: said at the top of the evidence (the wall shows it), with the imports. */
function importEvidence(checks: readonly Check[]): Evidence {
  const ids = [...new Set(checks.flatMap((c) => (c.source === 'import' ? (c.importIds ?? []) : [])))];
  return ids.length > 0 ? { imported: true, importId: ids.join('、') } : {};
}

const UNIT: Record<Check['what'], string> = { 'line-power': 'kW', 'outlet-flow': 'm³/h', flag: 'm³/h', limit: 'mg/m³', emission: 'kg/h' };

function dedupe(keys: ({ mn: string; factor: string } | undefined)[]): { mn: string; factor: string }[] {
  const out = new Map<string, { mn: string; factor: string }>();
  for (const k of keys) if (k) out.set(`${k.mn}|${k.factor}`, k);
  return [...out.values()];
}
