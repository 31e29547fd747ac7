/**
 * The reduction lists as the REST answers them (issue 18): a filed version, its summary, the
 * coverage report's rows and acknowledgements. Shared by the server and the dashboard; no zod.
 */
import type { Grade } from './registry';
import type { ListStanding, ReductionList, ResolvedMeasure, ResponseLevel } from './reduction-list';

/** A version as filed: the list and who filed it. */
export interface FiledReductionList extends ReductionList {
  /** The username of the officer, administrator or ozone centre user who filed it. */
  filedBy: string;
}

/** One version of a year's list, without its entries. */
export interface ReductionListVersion {
  version: number;
  filedAt: number;
  filedBy: string;
  entries: number;
}

/** An enterprise user's acknowledgement (已阅知) of a version. */
export interface ReductionAck {
  enterpriseId: string;
  year: number;
  version: number;
  username: string;
  at: number;
}

/** The latest version of an enterprise's list for a year, and whether that version was acknowledged. */
export interface ReductionListSummary extends ReductionListVersion {
  enterpriseId: string;
  year: number;
  /** The first acknowledgement of this version, or null. */
  acknowledged: { username: string; at: number } | null;
}

/** A row of the coverage report: an enterprise with air emissions and where its list stands. */
export interface ReductionCoverageRow {
  enterpriseId: string;
  name: string;
  district: string;
  grade: Grade | null;
  standing: ListStanding;
  /** The year of the list the standing is judged on (null: none filed). */
  year: number | null;
  version: number | null;
  filedAt: number | null;
  entries: number;
  acknowledged: { username: string; at: number } | null;
}

/** A list as GET /api/reduction-lists/:enterpriseId/:year answers it: with what applies to the enterprise now. */
export interface ReductionListAnswer {
  list: FiledReductionList;
  versions: ReductionListVersion[];
  /** The enterprise's current grade (null: ungraded) and the measures that apply at each level. */
  grade: Grade | null;
  applies: Record<ResponseLevel, ResolvedMeasure[]>;
  /** The enterprise's acknowledgements of this version. */
  acknowledgements: ReductionAck[];
}

/** Every standing, in the order the coverage report sorts them (the ones needing action first). */
export const LIST_STANDINGS = ['missing', 'outdated', 'due', 'current'] as const satisfies readonly ListStanding[];
