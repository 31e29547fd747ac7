/**
 * Whom the reduction lists concern (issue 18), read from the registry: the enterprises with air
 * emissions (the coverage report's rows, a response's scope) and which list entries are production
 * lines (the stop-lines grade policy). Pure; shared by the lists and the responses stages.
 */
import type { ReductionEntry } from './reduction-list';
import type { Enterprise, Registry } from './registry';
import type { SourceKind } from './source-kinds';

/** Kinds of source that mean air emissions (not ambient stations, kitchens or sites). */
export const AIR_EMISSION_KINDS: readonly SourceKind[] = ['cems', 'vocs', 'ammonia', 'vapour', 'condition'];

/** Enterprises with at least one source of an air-emission kind, in registry order. */
export function airEmitters(reg: Pick<Registry, 'enterprises' | 'sources'>): Enterprise[] {
  const ids = new Set(reg.sources.filter((s) => AIR_EMISSION_KINDS.includes(s.kind)).map((s) => s.enterpriseId));
  return reg.enterprises.filter((e) => ids.has(e.id));
}

/** Is an entry a production line: its registry facility is of that kind. */
export function lineEntryTest(reg: Pick<Registry, 'facilities'>): (entry: ReductionEntry) => boolean {
  const lines = new Set((reg.facilities ?? []).filter((f) => f.kind === 'production-line').map((f) => f.id));
  return (e) => e.facilityId !== undefined && lines.has(e.facilityId);
}
