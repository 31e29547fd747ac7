/**
 * Data quality (server/http/quality-router.ts; shapes in server/domain/quality.ts): the page's
 * transmission figures of a month or quarter, and comparison tests. Rates are fractions 0–1.
 */
import type { ComparisonTest, CriterionBand, TransmissionQuality } from '@domain/quality';
import { arrayOf, isBool, isNum, isNumOrNull, isObj, isStr, isStrOrNull, type Guard } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export type { CaseDue, ComparisonTest, ContractorQuality, DistrictQuality, SourceQuality, TransmissionQuality } from '@domain/quality';

const has =
  <T>(fields: Record<string, Guard<unknown>>): Guard<T> =>
  (v: unknown): v is T =>
    isObj(v) && Object.entries(fields).every(([k, g]) => g(v[k]));

const isSourceQuality = has({
  mn: isStr,
  name: isStr,
  enterpriseName: isStr,
  district: isStr,
  stackHeightM: isNumOrNull,
  elevated: isBool,
  omContractor: isStrOrNull,
  effectiveRate: isNum,
  transmissionRate: isNum,
  validityRate: isNum,
  pass: isBool,
  faultHours: isNum,
  suspectedFalsification: isNum,
});
const isDistrict = has({ district: isStr, rank: isNum, sources: isNum, meanEffectiveRate: isNum, failing: isNum });
const isContractor = has({
  contractor: isStrOrNull,
  sources: isNum,
  meanEffectiveRate: isNum,
  faultHours: isNum,
  suspectedFalsification: isNum,
});
const isCaseDue = has({ mn: isStr, reason: (v) => v === 'transmission' || v === 'outage', period: isStr });

export const isTransmissionQuality = has<TransmissionQuality>({
  period: isStr,
  complete: isBool,
  passRate: isNum,
  elevatedStackM: isNum,
  sources: arrayOf(isSourceQuality),
  districts: arrayOf(isDistrict),
  contractors: arrayOf(isContractor),
  caseDue: arrayOf(isCaseDue),
});

export const isComparisonTest = has<ComparisonTest>({
  id: isNum,
  mn: isStr,
  factor: isStr,
  unit: isStr,
  from: isNum,
  to: isNum,
  referenceMean: isNum,
  onlineMean: isNumOrNull,
  error: isNumOrNull,
  allowed: isNumOrNull,
  pass: (v) => v === null || isBool(v),
  createdBy: isStr,
  createdAt: isNum,
});

export interface ComparisonList {
  items: ComparisonTest[];
  maxSpanH: number;
  criteria: Record<string, CriterionBand[]>;
}
const isComparisonList = (v: unknown): v is ComparisonList =>
  isObj(v) && arrayOf(isComparisonTest)(v['items']) && isNum(v['maxSpanH']) && isObj(v['criteria']);

export const fetchTransmissionQuality = (period: string, fetchFn: Fetch = fetch): Promise<TransmissionQuality> =>
  requestJson('GET', `/api/quality/transmission?${new URLSearchParams({ period })}`, isTransmissionQuality, undefined, fetchFn);

export const fetchComparisons = (fetchFn: Fetch = fetch): Promise<ComparisonList> =>
  requestJson('GET', '/api/quality/comparisons', isComparisonList, undefined, fetchFn);

export interface ComparisonDraft {
  mn: string;
  factor: string;
  from: number;
  to: number;
  referenceValues: number[];
  note?: string;
}

export const recordComparison = (draft: ComparisonDraft, fetchFn: Fetch = fetch): Promise<ComparisonTest> =>
  requestJson('POST', '/api/quality/comparisons', isComparisonTest, draft, fetchFn);
