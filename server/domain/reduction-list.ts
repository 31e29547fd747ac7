/**
 * Emergency emission-reduction lists (应急减排清单, issue 18; PLANS E3–E6): what each enterprise
 * with air emissions does at each warning level, down to production line, process and facility,
 * and how its performance grade shapes what applies. Pure: types and the three judgements the
 * rest of the product builds on —
 *
 * - `listStanding`: does an enterprise have a current list (revised by 31 August each year,
 *   reminded from 1 August)?
 * - `resolveMeasures`: the measures that apply to an enterprise at a level, from its list and grade;
 * - `cityReductionCheck`: do the expected reductions of everyone in scope reach 10/20/30 % of the
 *   city's emissions per pollutant at levels Ⅲ/Ⅱ/Ⅰ (yellow/orange/red)?
 *
 * The list holds the enterprise's full measures (what a grade-C plant would do, "C and ungraded:
 * the full list", PLANS §3.1); the grade policy derives what applies, so a downgrade (B → C for not
 * carrying out measures) takes effect at once without a new list. The policy is configurable
 * (`DEFAULT_GRADE_POLICY`). No zod here: the dashboard imports these (schemas:
 * reduction-list-schema.ts).
 */
import type { Grade } from './registry';
import { WARNING_LEVELS, type WarningLevel } from './warning';

/** Levels of a response: Ⅲ yellow, Ⅱ orange, Ⅰ red (the warning's level). */
export const RESPONSE_LEVELS = WARNING_LEVELS;
export type ResponseLevel = WarningLevel;
export const RESPONSE_LEVEL_NAMES: Record<ResponseLevel, { zh: string; en: string }> = {
  yellow: { zh: 'Ⅲ级（黄色）', en: 'Level III (yellow)' },
  orange: { zh: 'Ⅱ级（橙色）', en: 'Level II (orange)' },
  red: { zh: 'Ⅰ级（红色）', en: 'Level I (red)' },
};

/** The four pollutants a response must cut (PLANS E5). */
export const REDUCTION_POLLUTANTS = ['so2', 'nox', 'pm', 'vocs'] as const;
export type ReductionPollutant = (typeof REDUCTION_POLLUTANTS)[number];
export const REDUCTION_POLLUTANT_NAMES: Record<ReductionPollutant, { zh: string; en: string; code: string }> = {
  so2: { zh: '二氧化硫', en: 'SO2', code: 'a21026' },
  nox: { zh: '氮氧化物', en: 'NOx', code: 'a21002' },
  pm: { zh: '颗粒物', en: 'PM', code: 'a34013' },
  vocs: { zh: '挥发性有机物', en: 'VOCs', code: 'a24088' },
};
/** kg/h per pollutant; a pollutant left out is 0. */
export type KgPerHour = Partial<Record<ReductionPollutant, number>>;

/** stop: the line or process stops; limit: runs at no more than `limitToPct` % of its normal load; unchanged: no measure. */
export const MEASURE_ACTIONS = ['stop', 'limit', 'unchanged'] as const;
export type MeasureAction = (typeof MEASURE_ACTIONS)[number];
export const MEASURE_ACTION_NAMES: Record<MeasureAction, { zh: string; en: string }> = {
  stop: { zh: '停产', en: 'Stop' },
  limit: { zh: '限产', en: 'Limit' },
  unchanged: { zh: '不采取措施', en: 'No measure' },
};

/** A local time of day window, `HH:MM`–`HH:MM` (to < from crosses midnight: 22:00–06:00). */
export interface DailyWindow {
  from: string;
  to: string;
}

/**
 * A key indicator (关键性指标): what monitoring shows when the measure is carried out.
 * - line-power: the production line's power (its meters, or its own gkw signal) at most `maxKw`;
 * - outlet-flow: the outlet's flue-gas flow (a00000) at most `maxM3h`, m³/h;
 * - limit: the outlet's hourly mean of `code` at most `limit` (mg/m³, converted where the code is
 *   converted) for the response's hours — a special-period limit (PLANS E11).
 */
export type KeyIndicator =
  | { kind: 'line-power'; facilityId: string; maxKw: number }
  | { kind: 'outlet-flow'; mn: string; maxM3h: number }
  | { kind: 'limit'; mn: string; code: string; limit: number };
export const KEY_INDICATOR_KINDS = ['line-power', 'outlet-flow', 'limit'] as const satisfies readonly KeyIndicator['kind'][];

/** What an entry does at one level. */
export interface LevelMeasure {
  action: MeasureAction;
  /** For `limit`: the load it may keep, 1–99 % of normal. */
  limitToPct?: number;
  /** Only inside this daily window (e.g. coating paused 09:00–17:00); absent: all day. */
  window?: DailyWindow;
  /** Free text as the list states it (e.g. 「1#烧结机停产」). */
  description?: string;
  indicators: KeyIndicator[];
  /** Expected reduction while the measure is carried out, kg/h. */
  expectedKgH: KgPerHour;
}

/** One line of a list: a production line, a process (工序) or a facility, and its measure per level. */
export interface ReductionEntry {
  /** Stable within the list (e.g. `e1`), so verification and acknowledgements can name it. */
  id: string;
  /** The registry facility it is (a production line or treatment facility), when registered. */
  facilityId?: string;
  /** What the list calls it: 「1#烧结生产线」, 「喷涂工序」. */
  name: string;
  process?: string;
  /** Outlets whose monitoring verifies it. */
  outletMns: string[];
  /** Power meters (registry facility ids) that show it running. */
  meterIds: string[];
  measures: Record<ResponseLevel, LevelMeasure>;
  /** Peak-shift production (错峰生产, e.g. a cement clinker line): must be stopped over these periods, whatever the warnings. */
  peakShift?: PeakShiftPeriod[];
  responsible: { name: string; phone: string };
}

/**
 * A peak-shift stop (错峰生产, PLANS E12 「持续推动常态化水泥错峰生产」): the line is stopped from
 * `from` to `to`, local dates, both whole days (`2026-11-15` – `2027-03-15`). Verified hour by hour
 * as a stop, independent of warnings and grades (reduction-schedule.ts).
 */
export interface PeakShiftPeriod {
  from: string;
  to: string;
  /** As the schedule states it (「采暖季错峰停窑」). */
  note?: string;
}

/** An enterprise's list for a year; a revision is a new version of the same year. */
export interface ReductionList {
  enterpriseId: string;
  year: number;
  version: number;
  /** When this version was filed, epoch ms. */
  filedAt: number;
  entries: ReductionEntry[];
}

// --- Standing: is the list current? ----------------------------------------------------------

/** Lists are revised by 31 August each year (PLANS E3, 003); reminders from 1 August. */
export const LIST_DUE = { month: 8, day: 31 } as const;
export const LIST_REMINDER = { month: 8, day: 1 } as const;

/**
 * current: this season's list (a list of year Y serves from its filing to the next 31 August);
 * due: the season's list exists but next year's is due (1–31 August, not yet filed);
 * outdated: only a list of an earlier season; missing: none at all.
 */
export type ListStanding = 'current' | 'due' | 'outdated' | 'missing';

/** `today` is the local date `YYYY-MM-DD`. */
export function listStanding(years: readonly number[], today: string): { standing: ListStanding; year: number | null } {
  const y = Number(today.slice(0, 4));
  const md = today.slice(5);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const afterDue = md > `${pad(LIST_DUE.month)}-${pad(LIST_DUE.day)}`;
  const inReminder = md >= `${pad(LIST_REMINDER.month)}-${pad(LIST_REMINDER.day)}` && !afterDue;
  const latest = years.filter((v) => v <= y).reduce<number | null>((a, b) => (a === null || b > a ? b : a), null);
  if (latest === null) return { standing: 'missing', year: null };
  // After 31 August only this year's list serves; before it, last year's still does.
  const serving = afterDue ? y : y - 1;
  if (latest < serving) return { standing: 'outdated', year: latest };
  if (latest < y && inReminder) return { standing: 'due', year: latest };
  return { standing: 'current', year: latest };
}

// --- Grades shape measures -------------------------------------------------------------------

/**
 * How a grade turns the full list into what applies (PLANS E6; 004):
 * - voluntary: the listed measure, not obliged (引领性 and A "may skip"): never a non-compliance;
 * - one-level-lower: the measure of the level below (B "does fewer"): red takes orange's, orange
 *   yellow's, yellow none;
 * - as-listed: the listed measure (C, not yet graded);
 * - stop-lines: every production line stops at every level, other entries take their strictest
 *   (red) measure (非分级: 「应采取停产措施或最严级别限产措施，以生产线计」).
 */
export const GRADE_POLICIES = ['voluntary', 'one-level-lower', 'as-listed', 'stop-lines'] as const;
export type GradePolicy = (typeof GRADE_POLICIES)[number];
export const DEFAULT_GRADE_POLICY: Record<Grade, GradePolicy> = {
  leading: 'voluntary',
  A: 'voluntary',
  B: 'one-level-lower',
  C: 'as-listed',
  ungraded: 'as-listed',
  'non-graded': 'stop-lines',
};

/** An entry's measure as it applies: obliged or voluntary, and where it came from. */
export interface ResolvedMeasure {
  entryId: string;
  name: string;
  facilityId?: string;
  obligation: 'required' | 'voluntary' | 'none';
  measure: LevelMeasure;
  /** The list level the measure was taken from (null: made by the policy, e.g. a line stop). */
  fromLevel: ResponseLevel | null;
  policy: GradePolicy;
}

const NO_MEASURE: LevelMeasure = { action: 'unchanged', indicators: [], expectedKgH: {} };

/** A production line stopped by the stop-lines policy: its red measure's indicators and expected reductions, made a stop. */
function lineStop(entry: ReductionEntry): LevelMeasure {
  const red = entry.measures.red;
  return {
    action: 'stop',
    description: red.action === 'stop' ? red.description : undefined,
    indicators: red.indicators,
    expectedKgH: red.expectedKgH,
  };
}

/**
 * The measures that apply to an enterprise of `grade` at `level`. `isLine(entry)`: is the entry a
 * production line (for stop-lines: the registry knows, by the entry's facility kind).
 */
export function resolveMeasures(
  list: Pick<ReductionList, 'entries'>,
  grade: Grade | undefined,
  level: ResponseLevel,
  isLine: (entry: ReductionEntry) => boolean,
  policies: Record<Grade, GradePolicy> = DEFAULT_GRADE_POLICY,
): ResolvedMeasure[] {
  const policy = policies[grade ?? 'ungraded'];
  return list.entries.map((entry) => {
    const base = { entryId: entry.id, name: entry.name, ...(entry.facilityId !== undefined && { facilityId: entry.facilityId }), policy };
    switch (policy) {
      case 'voluntary':
        return { ...base, obligation: obligationOf(entry.measures[level], 'voluntary'), measure: entry.measures[level], fromLevel: level };
      case 'as-listed':
        return { ...base, obligation: obligationOf(entry.measures[level], 'required'), measure: entry.measures[level], fromLevel: level };
      case 'one-level-lower': {
        const below = RESPONSE_LEVELS[RESPONSE_LEVELS.indexOf(level) - 1];
        const measure = below === undefined ? NO_MEASURE : entry.measures[below];
        return { ...base, obligation: obligationOf(measure, 'required'), measure, fromLevel: below ?? null };
      }
      case 'stop-lines':
        return isLine(entry)
          ? { ...base, obligation: 'required', measure: lineStop(entry), fromLevel: null }
          : { ...base, obligation: obligationOf(entry.measures.red, 'required'), measure: entry.measures.red, fromLevel: 'red' };
    }
  });
}

const obligationOf = (m: LevelMeasure, when: 'required' | 'voluntary'): ResolvedMeasure['obligation'] =>
  m.action === 'unchanged' ? 'none' : when;

// --- The city's check ------------------------------------------------------------------------

/** Levels Ⅲ/Ⅱ/Ⅰ cut SO2, NOx, PM and VOCs by at least 10/20/30 % of the city's emissions (004). */
export const DEFAULT_LEVEL_TARGET_PCT: Record<ResponseLevel, number> = { yellow: 10, orange: 20, red: 30 };

export interface PollutantCheck {
  pollutant: ReductionPollutant;
  /** Sum of the required measures' expected reductions, kg/h. */
  expectedKgH: number;
  /** The city's emissions, kg/h (its annual tonnes ÷ 8.76); null when not configured. */
  cityKgH: number | null;
  /** expected ÷ city × 100, one decimal; null without the city's figure. */
  sharePct: number | null;
  targetPct: number;
  /** null: cannot tell without the city's figure. */
  pass: boolean | null;
}

/** A city's annual emissions in tonnes → kg/h over the year's 8,760 hours. */
export const tonnesPerYearToKgH = (t: number): number => (t * 1000) / 8760;

/**
 * Do the required measures of everyone in scope reach the level's share of the city's emissions?
 * Voluntary measures (A, leading) do not count: nothing obliges them.
 */
export function cityReductionCheck(
  resolved: readonly ResolvedMeasure[],
  level: ResponseLevel,
  cityTonnesPerYear: Partial<Record<ReductionPollutant, number>>,
  targets: Record<ResponseLevel, number> = DEFAULT_LEVEL_TARGET_PCT,
): PollutantCheck[] {
  return REDUCTION_POLLUTANTS.map((pollutant) => {
    const expectedKgH = resolved
      .filter((r) => r.obligation === 'required')
      .reduce((sum, r) => sum + (r.measure.expectedKgH[pollutant] ?? 0), 0);
    const tonnes = cityTonnesPerYear[pollutant];
    const cityKgH = tonnes !== undefined && tonnes > 0 ? tonnesPerYearToKgH(tonnes) : null;
    const sharePct = cityKgH === null ? null : Math.round((expectedKgH / cityKgH) * 1000) / 10;
    const targetPct = targets[level];
    return { pollutant, expectedKgH, cityKgH, sharePct, targetPct, pass: sharePct === null ? null : sharePct >= targetPct };
  });
}

// --- Windows ---------------------------------------------------------------------------------

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Is a local minute of the day (0–1439) inside the window? Absent window: always. */
export function inWindow(window: DailyWindow | undefined, minuteOfDay: number): boolean {
  if (!window) return true;
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  return from <= to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}
