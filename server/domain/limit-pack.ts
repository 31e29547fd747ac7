/**
 * The limit rule pack (config/rules/limits.yaml): default limits per source kind and factor, and
 * how they combine with a source's own limits (its permit). Shared by the server's limit rule and
 * the simulators, which aim their values below (or, in an exceedance, above) the same limits.
 */
import { z } from 'zod';
import { catalog } from './catalog';
import { limitSchema, limitsOn, type Limit, type Registry, type Source } from './registry';
import { SOURCE_KINDS } from './source-kinds';

export const limitPackSchema = z
  .object({
    limits: z.partialRecord(
      z.enum(SOURCE_KINDS),
      z.record(z.string().refine(catalog.has, { error: (i) => `unknown factor "${String(i.input)}"` }), limitSchema),
    ),
  })
  .strict();

export type LimitPack = z.infer<typeof limitPackSchema>;

/** A limit as the dashboard draws and reports it (the rules API and the reports answer at least this). */
export type LimitView = Pick<Limit, 'max' | 'min' | 'o2Converted'>;

/** The limits that apply to a source: pack defaults for its kind, then its own — with `day` (local
 * `YYYY-MM-DD`), its dated limits in force that day on top (limitsOn). Inlets of treatment units
 * are measured, not judged: none. */
export function effectiveLimits(source: Source, pack: LimitPack, day?: string): Record<string, Limit> {
  if (source.position === 'inlet') return {};
  return { ...pack.limits[source.kind], ...(day === undefined ? source.limits : limitsOn(source, day)) };
}

/** The registry with every source's limits resolved against the pack. */
export function withEffectiveLimits(registry: Registry, pack: LimitPack): Registry {
  return { ...registry, sources: registry.sources.map((s) => ({ ...s, limits: effectiveLimits(s, pack) })) };
}
