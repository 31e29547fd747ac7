/**
 * Limits the simulators aim below (normal operation) or above (exceedance): the server's own
 * effective limits, resolved into each source's `limits` from the rule pack
 * (config/rules/limits.yaml) by `withEffectiveLimits` before the fleet starts.
 */
import type { Source } from '../server/domain/registry';
import type { SourceKind } from '../server/domain/source-kinds';

/** The upper limit of `factor` for this source, or undefined when none applies. */
export function upperLimit(source: Source, factor: string): number | undefined {
  return source.limits[factor]?.max;
}

/** The factor a scenario targets by default for each kind. */
export const PRIMARY_FACTOR: Record<SourceKind, string> = {
  cems: 'a21002',
  ammonia: 'a21001',
  vocs: 'a24088',
  vapour: 'apr01',
  ambient: 'a05024',
  condition: 'gkw01',
  catering: 'afm01',
  dust: 'a34002',
};
