/**
 * The per-enterprise scorecard for the environmental credit rating (信用评价, PLANS H5; issue 19),
 * pure: over a year, quarter or month, an enterprise's alerts by category and rule, its exceedances
 * (alerts and hours over a limit: the union of its hour- and day-mean exceedance alerts' open time
 * per outlet and factor), its effective transmission (the data-quality figures of its outlets,
 * together), its suspected falsification alerts (the falsification and transport signatures and the
 * flat line), and its rectification cases (opened and closed in the period; open and overdue now).
 * Measure compliance: the heavy-pollution responses' measure-noncompliance alerts opened in the
 * period (issue 18: each is a required measure failing its verification hour after hour).
 *
 * The ranking is no invented score: enterprises are ordered by the facts, most serious first —
 * suspected falsification alerts, measure non-compliances, overdue cases, hours over a limit,
 * exceedance alerts, open cases,
 * then the lower effective transmission — and rank 1 is the enterprise with the cleanest record.
 */
import { z } from 'zod';
import { FACILITY_RULES, FLAG_RULES, RULE_IDS, SUSPECT_RULES } from './rule-ids';

// ---------- periods ----------

/** A year `2026`, a quarter `2026-Q4` or a month `2026-11`. */
export const SCORECARD_PERIOD_PATTERN = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$/;

export interface ScorecardPeriod {
  text: string;
  kind: 'year' | 'quarter' | 'month';
  /** Local start (inclusive) and end (exclusive), epoch ms. */
  from: number;
  to: number;
}

/** The period named by `text` in local time (minutes east of UTC), or null when it names none. */
export function parseScorecardPeriod(text: string, utcOffsetMinutes: number): ScorecardPeriod | null {
  const m = SCORECARD_PERIOD_PATTERN.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const kind = m[2] ? 'month' : m[3] ? 'quarter' : 'year';
  const first = m[2] ? Number(m[2]) - 1 : m[3] ? (Number(m[3]) - 1) * 3 : 0;
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const at = (month: number) => Date.UTC(year, month, 1) - utcOffsetMinutes * 60_000;
  return { text, kind, from: at(first), to: at(first + months) };
}

/** The months or quarters a period's transmission is figured over (a year: its quarters). */
export function transmissionParts(p: ScorecardPeriod): string[] {
  return p.kind === 'year' ? [1, 2, 3, 4].map((q) => `${p.text}-Q${q}`) : [p.text];
}

export const scorecardQuerySchema = (utcOffsetMinutes: number) =>
  z
    .object({
      period: z.string({ error: 'a period YYYY, YYYY-Qn or YYYY-MM is required' }).transform((s, ctx) => {
        const p = parseScorecardPeriod(s, utcOffsetMinutes);
        if (!p) {
          ctx.addIssue({ code: 'custom', message: `"${s}" is not a year YYYY, a quarter YYYY-Qn or a month YYYY-MM` });
          return z.NEVER;
        }
        return p;
      }),
    })
    .strict();

// ---------- alert categories ----------

export const ALERT_CATEGORIES = ['exceedance', 'earlyWarning', 'falsification', 'offline', 'facility', 'instrument', 'other'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

/** Hour- and day-mean limits (and `limit`, the id of older alerts): the legal exceedances. */
export const EXCEEDANCE_RULES: readonly string[] = ['limit', RULE_IDS.limitHour, RULE_IDS.limitDay, RULE_IDS.dustMean];
/** Suspected falsification: the signatures of issue 19 (data and transport) and the flat line. */
export const FALSIFICATION_RULES: readonly string[] = [...SUSPECT_RULES, RULE_IDS.flatLine];

export function categoryOf(rule: string): AlertCategory {
  if (EXCEEDANCE_RULES.includes(rule)) return 'exceedance';
  if (rule === RULE_IDS.limitInstant) return 'earlyWarning';
  if (FALSIFICATION_RULES.includes(rule)) return 'falsification';
  if (rule === RULE_IDS.offline) return 'offline';
  if (FACILITY_RULES.includes(rule)) return 'facility';
  if (FLAG_RULES.includes(rule) || rule === RULE_IDS.overRange) return 'instrument';
  return 'other';
}

// ---------- the card ----------

export interface ScorecardAlert {
  mn: string;
  factor: string;
  rule: string;
  openedAt: number;
  clearedAt: number | null;
  closedAt: number | null;
}

/** An outlet's transmission figures over the period (its parts summed). */
export interface ScorecardTransmission {
  mn: string;
  expected: number;
  received: number;
  valid: number;
}

export interface ScorecardCase {
  status: string;
  createdAt: number;
  closedAt: number | null;
  overdue: boolean;
}

export interface ScorecardInput {
  enterprise: { id: string; name: string; district: string };
  period: ScorecardPeriod;
  now: number;
  /** The enterprise's alerts opened in the period. */
  alerts: readonly ScorecardAlert[];
  transmission: readonly ScorecardTransmission[];
  passRate: number;
  /** Every case of the enterprise. */
  cases: readonly ScorecardCase[];
}

export interface RuleCount {
  rule: string;
  count: number;
}

export interface Scorecard {
  enterpriseId: string;
  enterpriseName: string;
  district: string;
  period: string;
  kind: ScorecardPeriod['kind'];
  from: number;
  to: number;
  /** The period has ended (else: figures up to now). */
  complete: boolean;
  /** Rank among the enterprises listed (1: the cleanest record), null on a single card. */
  rank: number | null;
  alerts: { total: number; byCategory: Record<AlertCategory, number>; byRule: RuleCount[] };
  exceedance: { alerts: number; hours: number };
  /** null rates: no outlet expected to send data in the period. */
  transmission: { outlets: number; failing: number; effectiveRate: number | null; passRate: number; pass: boolean | null };
  falsification: { alerts: number; byRule: RuleCount[] };
  /** Emergency measures found not carried out (measure-noncompliance alerts opened in the period). */
  measures: { noncompliance: number };
  cases: { opened: number; closed: number; open: number; overdue: number };
}

const HOUR = 3_600_000;
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Hours covered by the union of the intervals (each clipped to [from, to)). */
export function unionHours(intervals: readonly (readonly [number, number])[], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let span: [number, number] | null = null;
  for (const [a, b] of clipped) {
    if (span === null || a > span[1]) {
      if (span) total += span[1] - span[0];
      span = [a, b];
    } else span[1] = Math.max(span[1], b);
  }
  if (span) total += span[1] - span[0];
  return round(total / HOUR, 1);
}

function countRules(alerts: readonly ScorecardAlert[]): RuleCount[] {
  const by = new Map<string, number>();
  for (const a of alerts) by.set(a.rule, (by.get(a.rule) ?? 0) + 1);
  return [...by].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

function exceedanceHours(alerts: readonly ScorecardAlert[], from: number, end: number): number {
  const by = new Map<string, [number, number][]>();
  for (const a of alerts) {
    if (categoryOf(a.rule) !== 'exceedance') continue;
    const key = `${a.mn}\u0000${a.factor}`;
    by.set(key, [...(by.get(key) ?? []), [a.openedAt, a.clearedAt ?? a.closedAt ?? end]]);
  }
  return round(
    [...by.values()].reduce((n, list) => n + unionHours(list, from, end), 0),
    1,
  );
}

function transmissionOf(rows: readonly ScorecardTransmission[], passRate: number): Scorecard['transmission'] {
  const judged = rows.filter((r) => r.expected > 0);
  const rate = (r: { expected: number; received: number; valid: number }) =>
    (r.expected > 0 ? Math.min(1, r.received / r.expected) : 0) * (r.received > 0 ? r.valid / r.received : 0);
  const sum = judged.reduce(
    (s, r) => ({ expected: s.expected + r.expected, received: s.received + r.received, valid: s.valid + r.valid }),
    {
      expected: 0,
      received: 0,
      valid: 0,
    },
  );
  const effectiveRate = judged.length === 0 ? null : round(rate(sum), 4);
  return {
    outlets: judged.length,
    failing: judged.filter((r) => rate(r) < passRate).length,
    effectiveRate,
    passRate,
    pass: effectiveRate === null ? null : effectiveRate >= passRate,
  };
}

export function scorecard(input: ScorecardInput): Scorecard {
  const { period, now } = input;
  const end = Math.min(period.to, now);
  const inPeriod = input.alerts.filter((a) => a.openedAt >= period.from && a.openedAt < period.to);
  const byCategory = Object.fromEntries(ALERT_CATEGORIES.map((c) => [c, 0])) as Record<AlertCategory, number>;
  for (const a of inPeriod) byCategory[categoryOf(a.rule)]++;
  const within = (t: number | null) => t !== null && t >= period.from && t < period.to;
  return {
    enterpriseId: input.enterprise.id,
    enterpriseName: input.enterprise.name,
    district: input.enterprise.district,
    period: period.text,
    kind: period.kind,
    from: period.from,
    to: period.to,
    complete: period.to <= now,
    rank: null,
    alerts: { total: inPeriod.length, byCategory, byRule: countRules(inPeriod) },
    exceedance: { alerts: byCategory.exceedance, hours: exceedanceHours(inPeriod, period.from, end) },
    transmission: transmissionOf(input.transmission, input.passRate),
    falsification: { alerts: byCategory.falsification, byRule: countRules(inPeriod.filter((a) => categoryOf(a.rule) === 'falsification')) },
    measures: { noncompliance: inPeriod.filter((a) => a.rule === RULE_IDS.measureNoncompliance).length },
    cases: {
      opened: input.cases.filter((c) => within(c.createdAt)).length,
      closed: input.cases.filter((c) => within(c.closedAt)).length,
      open: input.cases.filter((c) => c.status !== 'closed').length,
      overdue: input.cases.filter((c) => c.overdue).length,
    },
  };
}

/** Most serious first: the order of the facts the ranking compares (negative: a is the more serious). */
function seriousness(a: Scorecard, b: Scorecard): number {
  return (
    b.falsification.alerts - a.falsification.alerts ||
    b.measures.noncompliance - a.measures.noncompliance ||
    b.cases.overdue - a.cases.overdue ||
    b.exceedance.hours - a.exceedance.hours ||
    b.exceedance.alerts - a.exceedance.alerts ||
    b.cases.open - a.cases.open ||
    (a.transmission.effectiveRate ?? 1) - (b.transmission.effectiveRate ?? 1)
  );
}

/** The cards ranked, the cleanest record first (rank 1); equal records share a rank. */
export function rankScorecards(cards: readonly Scorecard[]): Scorecard[] {
  const sorted = [...cards].sort((a, b) => -seriousness(a, b) || a.enterpriseName.localeCompare(b.enterpriseName, 'zh-CN'));
  return sorted.map((c, i) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && seriousness(sorted[j] as Scorecard, c) === 0; j--) rank = j + 1;
    return { ...c, rank };
  });
}
