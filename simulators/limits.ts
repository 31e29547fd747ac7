/**
 * Limits the simulators aim below (normal operation) or above (exceedance). A source's own
 * permit limits in the registry win; otherwise the typical figures of DOMAIN §§1, 5, 6 and 7,
 * the same numbers as the default rule pack (config/rules/limits.yaml), which the simulators
 * may not import. They only choose plausible values: the server judges with its own rule pack.
 */
import type { Source } from '../server/domain/registry';
import type { SourceKind } from '../server/domain/source-kinds';

const TYPICAL_MAX: Record<SourceKind, Record<string, number>> = {
  cems: { a34013: 10, a21026: 35, a21002: 50 },
  ammonia: { a21001: 8 },
  vocs: { a24088: 60 },
  vapour: { apr01: 150 },
  ambient: { a05024: 200 },
};

/** The upper limit of `factor` for this source, or undefined when none is known. */
export function upperLimit(source: Source, factor: string): number | undefined {
  return source.limits[factor]?.max ?? TYPICAL_MAX[source.kind][factor];
}

/** The factor a scenario targets by default for each kind. */
export const PRIMARY_FACTOR: Record<SourceKind, string> = {
  cems: 'a21002',
  ammonia: 'a21001',
  vocs: 'a24088',
  vapour: 'apr01',
  ambient: 'a05024',
};
