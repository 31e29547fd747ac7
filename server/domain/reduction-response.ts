/**
 * A warning's response (issue 18; PLANS E4–E6): every enterprise with air emissions in the
 * warning's counties, its current list resolved for its grade at the warning's level, and the
 * city's check of the expected reductions. Pure: the caller passes the registry's enterprises and
 * each one's current list (a list whose standing is current or due; see `listStanding`).
 */
import type { Grade } from './registry';
import {
  cityReductionCheck,
  DEFAULT_GRADE_POLICY,
  DEFAULT_LEVEL_TARGET_PCT,
  resolveMeasures,
  type GradePolicy,
  type PollutantCheck,
  type ReductionEntry,
  type ReductionList,
  type ReductionPollutant,
  type ResolvedMeasure,
  type ResponseLevel,
} from './reduction-list';

export interface ResponseEnterprise {
  id: string;
  district: string;
  grade?: Grade | undefined;
}

/** One enterprise in a response: what applies to it, or why nothing can be asked of it. */
export interface EnterpriseResponse {
  enterpriseId: string;
  grade: Grade;
  /** The list it was resolved from; null: no current list (it cannot be told what to do, nor verified). */
  list: { year: number; version: number } | null;
  measures: ResolvedMeasure[];
  /** Measures it is obliged to carry out (the ones verified). */
  required: number;
}

export interface ResponsePlan {
  level: ResponseLevel;
  enterprises: EnterpriseResponse[];
  /** Enterprises in scope without a current list, by id. */
  withoutList: string[];
  city: PollutantCheck[];
}

export interface PlanOptions {
  /** Is an entry a production line (the registry facility's kind), for the non-graded policy. */
  isLine(enterpriseId: string, entry: ReductionEntry): boolean;
  policies?: Record<Grade, GradePolicy>;
  targets?: Record<ResponseLevel, number>;
  /** The city's annual emissions, t/a, per pollutant. */
  cityTonnesPerYear: Partial<Record<ReductionPollutant, number>>;
}

/** The response to a warning at `level` over `districts`. */
export function planResponse(
  level: ResponseLevel,
  districts: readonly string[],
  enterprises: readonly ResponseEnterprise[],
  currentList: (enterpriseId: string) => Pick<ReductionList, 'year' | 'version' | 'entries'> | undefined,
  options: PlanOptions,
): ResponsePlan {
  const inScope = enterprises.filter((e) => districts.includes(e.district)).sort((a, b) => a.id.localeCompare(b.id));
  const out: EnterpriseResponse[] = [];
  const withoutList: string[] = [];
  for (const e of inScope) {
    const grade = e.grade ?? 'ungraded';
    const list = currentList(e.id);
    if (!list) {
      withoutList.push(e.id);
      out.push({ enterpriseId: e.id, grade, list: null, measures: [], required: 0 });
      continue;
    }
    const measures = resolveMeasures(list, grade, level, (entry) => options.isLine(e.id, entry), options.policies ?? DEFAULT_GRADE_POLICY);
    out.push({
      enterpriseId: e.id,
      grade,
      list: { year: list.year, version: list.version },
      measures,
      required: measures.filter((m) => m.obligation === 'required').length,
    });
  }
  const city = cityReductionCheck(
    out.flatMap((e) => e.measures),
    level,
    options.cityTonnesPerYear,
    options.targets ?? DEFAULT_LEVEL_TARGET_PCT,
  );
  return { level, enterprises: out, withoutList, city };
}
