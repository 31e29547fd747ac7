/**
 * A warning's response as stored and answered (issue 18 items 3, 4; PLANS E4–E7): the plan
 * (`planResponse`) made when a heavy-pollution warning is issued, re-made on a level change (the
 * earlier plans kept in its history), ended when the warning is lifted or cancelled; each
 * enterprise's acknowledgement of its measures; and the verification of each required measure,
 * hour by hour (`judgeMeasureHour`). Shared by the server and the dashboard; no zod.
 *
 * What an enterprise may see (`responseForEnterprise`): its own part only — never another
 * enterprise's measures, the others in scope or the city's check.
 */
import { failStreak, type Check, type CheckVerdict } from './reduction-verify';
import type { PollutantCheck, ResponseLevel } from './reduction-list';
import type { EnterpriseResponse } from './reduction-response';
import { HOUR_MS, MINUTE_MS } from './local-time';
import { inWindow, type DailyWindow } from './reduction-list';

export const RESPONSE_STATUSES = ['active', 'ended'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** An entry of a response's history: started, re-planned at another level, ended. */
export interface ResponseHistoryEntry {
  at: number;
  event: 'started' | 'replanned' | 'ended';
  level: ResponseLevel;
}

/** One enterprise's acknowledgement (已知悉) of its measures. */
export interface ResponseAck {
  username: string;
  at: number;
}

/** How one measure stands over the hours judged so far. */
export interface MeasureVerification {
  entryId: string;
  judged: number;
  passed: number;
  failed: number;
  nodata: number;
  /** Failed closed hours in a row at the last hour judged (`failStreak`). */
  streak: number;
  /** The last hour judged (its start, epoch ms) and its checks; null before the first. */
  lastHour: number | null;
  lastVerdict: CheckVerdict | null;
  lastChecks: Check[];
}

/** An enterprise's part: what applies to it, its acknowledgement and the verification of its required measures. */
export interface ResponseEnterprisePart extends EnterpriseResponse {
  name: string;
  acknowledged: ResponseAck | null;
  verification: MeasureVerification[];
}

export interface ReductionResponse {
  id: number;
  warningId: number;
  level: ResponseLevel;
  districts: string[];
  status: ResponseStatus;
  /** When the response's hours begin (the warning's start) and end (lifted or cancelled; null while active). */
  startAt: number;
  endAt: number | null;
  enterprises: ResponseEnterprisePart[];
  /** Enterprises in scope without a current list (the bureau only). */
  withoutList: string[];
  /** The city's check against 10/20/30 % (the bureau only; an enterprise sees none). */
  city: PollutantCheck[];
  history: ResponseHistoryEntry[];
  /** Hours starting before this have been judged. */
  judgedUntil: number;
  version: number;
}

/** What an enterprise sees of a response: its own part only; null when it is not in scope. */
export function responseForEnterprise(r: ReductionResponse, enterpriseId: string): ReductionResponse | null {
  const own = r.enterprises.find((e) => e.enterpriseId === enterpriseId);
  if (!own) return null;
  return { ...r, enterprises: [own], withoutList: [], city: [] };
}

/** One judged hour of one measure, as stored. */
export interface JudgedHour {
  responseId: number;
  enterpriseId: string;
  entryId: string;
  hour: number;
  level: ResponseLevel;
  verdict: CheckVerdict;
  checks: Check[];
}

/** The verification of a measure from its judged hours (oldest first): counts and the streak. */
export function summarise(entryId: string, hours: readonly Pick<JudgedHour, 'hour' | 'verdict' | 'checks'>[]): MeasureVerification {
  const out: MeasureVerification = {
    entryId,
    judged: 0,
    passed: 0,
    failed: 0,
    nodata: 0,
    streak: 0,
    lastHour: null,
    lastVerdict: null,
    lastChecks: [],
  };
  for (const h of hours) {
    out.judged++;
    if (h.verdict === 'pass') out.passed++;
    else if (h.verdict === 'fail') out.failed++;
    else out.nodata++;
    out.streak = failStreak(out.streak, h.verdict);
    out.lastHour = h.hour;
    out.lastVerdict = h.verdict;
    out.lastChecks = h.checks;
  }
  return out;
}

/**
 * Does a measure apply in the closed hour starting at `hour`: the whole hour inside the response's
 * period [startAt, endAt) (a part hour at either end is the enterprise's time to act), and with a
 * daily window, the hour's local start inside it.
 */
export function hourApplies(
  hour: number,
  period: { startAt: number; endAt: number | null },
  window: DailyWindow | undefined,
  utcOffsetMinutes: number,
): boolean {
  if (hour < period.startAt || (period.endAt !== null && hour + HOUR_MS > period.endAt)) return false;
  const minuteOfDay = (((Math.floor(hour / MINUTE_MS) + utcOffsetMinutes) % 1440) + 1440) % 1440;
  return inWindow(window, minuteOfDay);
}
