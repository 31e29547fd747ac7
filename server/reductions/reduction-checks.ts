/**
 * What the registry says about a reduction list (issue 18): which enterprises have air emissions
 * (the coverage report's rows), whether an entry's facilities, meters and outlets are the
 * enterprise's own, and which entries are production lines (the stop-lines policy). Pure.
 */
import { RESPONSE_LEVELS, resolveMeasures, type ReductionEntry, type ResolvedMeasure, type ResponseLevel } from '../domain/reduction-list';
import type { Grade, Registry } from '../domain/registry';
import { lineEntryTest } from '../domain/reduction-scope';
import { sourcesOf } from '../domain/registry';

/** One reference of an entry the registry does not know as the enterprise's. */
export interface RegistryProblem {
  /** Index of the entry in the list. */
  entry: number;
  field: 'facilityId' | 'meterIds' | 'outletMns' | 'indicators';
  value: string;
}

/** The references of the entries that are not the enterprise's facilities, meters or outlets. */
export function registryProblems(entries: readonly ReductionEntry[], enterpriseId: string, reg: Registry): RegistryProblem[] {
  const facilities = new Set((reg.facilities ?? []).filter((f) => f.enterpriseId === enterpriseId).map((f) => f.id));
  const meters = new Set(
    (reg.facilities ?? []).filter((f) => f.enterpriseId === enterpriseId && f.kind === 'power-meter').map((f) => f.id),
  );
  const outlets = new Set(sourcesOf(reg.sources, enterpriseId).map((s) => s.mn));
  const problems: RegistryProblem[] = [];
  entries.forEach((e, entry) => {
    if (e.facilityId !== undefined && !facilities.has(e.facilityId)) problems.push({ entry, field: 'facilityId', value: e.facilityId });
    for (const m of e.meterIds) if (!meters.has(m)) problems.push({ entry, field: 'meterIds', value: m });
    for (const mn of e.outletMns) if (!outlets.has(mn)) problems.push({ entry, field: 'outletMns', value: mn });
    for (const level of RESPONSE_LEVELS)
      for (const k of e.measures[level].indicators) {
        const ref = k.kind === 'line-power' ? k.facilityId : k.mn;
        const known = k.kind === 'line-power' ? facilities.has(ref) : outlets.has(ref);
        if (!known && !problems.some((p) => p.entry === entry && p.field === 'indicators' && p.value === ref))
          problems.push({ entry, field: 'indicators', value: ref });
      }
  });
  return problems;
}

/** A problem in English (the REST answer). */
export function problemText(p: RegistryProblem, entries: readonly ReductionEntry[]): string {
  const name = entries[p.entry]?.name ?? '';
  const what = {
    facilityId: `facility "${p.value}" is not a facility of this enterprise`,
    meterIds: `meter "${p.value}" is not a power meter of this enterprise`,
    outletMns: `outlet "${p.value}" is not a source of this enterprise`,
    indicators: `a key indicator names "${p.value}", not a facility or source of this enterprise`,
  }[p.field];
  return `entries.${p.entry} (${name}): ${what}`;
}

/** A problem in the bureau's words (the import's row errors). */
export function problemZh(p: RegistryProblem): string {
  return {
    facilityId: `设施编号「${p.value}」不是该企业登记的设施`,
    meterIds: `电表「${p.value}」不是该企业登记的电表`,
    outletMns: `排口「${p.value}」不是该企业登记的排口`,
    indicators: `关键指标中的「${p.value}」不是该企业登记的设施或排口`,
  }[p.field];
}

/** What applies to an enterprise of this grade at each level, from its list. */
export function appliesByLevel(
  entries: readonly ReductionEntry[],
  grade: Grade | undefined,
  reg: Registry,
): Record<ResponseLevel, ResolvedMeasure[]> {
  const isLine = lineEntryTest(reg);
  const list = { entries: [...entries] };
  return {
    yellow: resolveMeasures(list, grade, 'yellow', isLine),
    orange: resolveMeasures(list, grade, 'orange', isLine),
    red: resolveMeasures(list, grade, 'red', isLine),
  };
}
