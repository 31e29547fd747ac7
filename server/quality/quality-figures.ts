/**
 * The data-quality page's figures (issue 19; PLANS A5, A7, A11), pure: per source the effective
 * transmission of a period from its rollup hours (the arithmetic of the transmission report,
 * report-figures.ts), its fault hours and suspected-falsification alerts; ranked by district
 * (district means, best first); per O&M contractor; and the sources due a rectification case.
 */
import type { CaseDue, ContractorQuality, DistrictQuality, QualityRules, SourceQuality, TransmissionQuality } from '../domain/quality';
import type { Enterprise, Source } from '../domain/registry';
import { expectedIntervals, transmissionRates } from '../reports/report-figures';
import type { SourceHour } from '../storage/hourly-rollup';

/** Data flags of an equipment fault: D instrument fault, B instrument–logger communication failure (DOMAIN §3). */
const FAULT_FLAGS: readonly string[] = ['D', 'B'];

export interface SourceInput {
  source: Source;
  enterprise: Enterprise | undefined;
  district: string;
  /** Its rollup hours in the period. */
  hours: Iterable<SourceHour>;
  /** Suspected-falsification alerts opened in the period. */
  suspected: number;
}

/** An open, active offline alert: the source silent since `since`, due a case after `caseAfterS`. */
export interface Outage {
  mn: string;
  enterpriseId: string;
  district: string;
  since: number;
  caseAfterS: number;
}

export interface QualityPeriodView {
  text: string;
  kind: 'month' | 'quarter';
  from: number;
  to: number;
}

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** One source's figures over [from, min(to, now)). */
export function sourceQuality(
  input: SourceInput,
  period: QualityPeriodView,
  now: number,
  rules: QualityRules['transmission'],
): SourceQuality {
  const { source, enterprise } = input;
  let received = 0;
  let valid = 0;
  let faultHours = 0;
  for (const h of input.hours) {
    if (h.hour < period.from || h.hour >= period.to) continue;
    received += h.intervals;
    valid += h.validIntervals;
    if (Object.values(h.factors).some((f) => FAULT_FLAGS.includes(f.flag))) faultHours++;
  }
  const end = Math.min(period.to, now);
  const r = transmissionRates(end > period.from ? expectedIntervals(period.from, end, source.intervalS) : 0, received, valid);
  const stack = source.stackHeightM ?? null;
  return {
    mn: source.mn,
    name: source.name,
    enterpriseId: source.enterpriseId,
    enterpriseName: enterprise?.name ?? source.enterpriseId,
    district: input.district,
    kind: source.kind,
    stackHeightM: stack,
    elevated: stack !== null && stack > rules.elevatedStackM,
    omContractor: enterprise?.omContractor ?? null,
    expected: r.expected,
    received: r.received,
    valid: r.valid,
    transmissionRate: round(r.transmissionRate),
    validityRate: round(r.validityRate),
    effectiveRate: round(r.effectiveRate),
    pass: r.effectiveRate >= rules.passRate,
    faultHours,
    suspectedFalsification: input.suspected,
  };
}

/** Districts by their sources' mean effective rate, best first (ties: by name). */
export function rankDistricts(sources: readonly SourceQuality[]): DistrictQuality[] {
  const by = new Map<string, SourceQuality[]>();
  for (const s of sources) by.set(s.district, [...(by.get(s.district) ?? []), s]);
  return [...by]
    .map(([district, list]) => ({
      district,
      rank: 0,
      sources: list.length,
      meanEffectiveRate: round(mean(list.map((s) => s.effectiveRate))),
      failing: list.filter((s) => !s.pass).length,
    }))
    .sort((a, b) => b.meanEffectiveRate - a.meanEffectiveRate || a.district.localeCompare(b.district, 'zh-CN'))
    .map((d, i) => ({ ...d, rank: i + 1 }));
}

/** Per O&M contractor (null: none on file), the contractors with the worst mean first. */
export function byContractor(sources: readonly SourceQuality[]): ContractorQuality[] {
  const by = new Map<string | null, SourceQuality[]>();
  for (const s of sources) by.set(s.omContractor, [...(by.get(s.omContractor) ?? []), s]);
  return [...by]
    .map(([contractor, list]) => ({
      contractor,
      sources: list.length,
      enterprises: new Set(list.map((s) => s.enterpriseId)).size,
      meanEffectiveRate: round(mean(list.map((s) => s.effectiveRate))),
      failing: list.filter((s) => !s.pass).length,
      faultHours: list.reduce((n, s) => n + s.faultHours, 0),
      suspectedFalsification: list.reduce((n, s) => n + s.suspectedFalsification, 0),
    }))
    .sort((a, b) => a.meanEffectiveRate - b.meanEffectiveRate || (a.contractor ?? '').localeCompare(b.contractor ?? '', 'zh-CN'));
}

/**
 * The sources due a case: below the pass mark over an ended period (a running month is not judged
 * yet: its rate is up to now), and those offline longer than their offline.caseAfterS now.
 */
export function casesDue(sources: readonly SourceQuality[], outages: readonly Outage[], period: QualityPeriodView, now: number): CaseDue[] {
  const complete = period.to <= now;
  const transmission: CaseDue[] = complete
    ? sources
        .filter((s) => !s.pass)
        .map((s) => ({
          mn: s.mn,
          enterpriseId: s.enterpriseId,
          district: s.district,
          reason: 'transmission',
          period: period.text,
          effectiveRate: s.effectiveRate,
          offlineSince: null,
          offlineHours: null,
        }))
    : [];
  const outage: CaseDue[] = outages
    .filter((o) => now - o.since >= o.caseAfterS * 1000)
    .map((o) => ({
      mn: o.mn,
      enterpriseId: o.enterpriseId,
      district: o.district,
      reason: 'outage',
      period: period.text,
      effectiveRate: null,
      offlineSince: o.since,
      offlineHours: Math.floor((now - o.since) / 3_600_000),
    }));
  return [...transmission, ...outage];
}

/** The page's whole answer. */
export function transmissionQuality(
  inputs: readonly SourceInput[],
  outages: readonly Outage[],
  period: QualityPeriodView,
  now: number,
  rules: QualityRules['transmission'],
): TransmissionQuality {
  const figures = inputs.map((i) => sourceQuality(i, period, now, rules));
  const districts = rankDistricts(figures);
  const rankOf = new Map(districts.map((d) => [d.district, d.rank]));
  const sources = [...figures].sort(
    (a, b) =>
      (rankOf.get(a.district) ?? 0) - (rankOf.get(b.district) ?? 0) || b.effectiveRate - a.effectiveRate || a.mn.localeCompare(b.mn),
  );
  return {
    period: period.text,
    kind: period.kind,
    from: period.from,
    to: period.to,
    complete: period.to <= now,
    passRate: rules.passRate,
    elevatedStackM: rules.elevatedStackM,
    sources,
    districts,
    contractors: byContractor(figures),
    caseDue: casesDue(figures, outages, period, now),
  };
}
