/**
 * Validates a district boundary file (config `map.boundaryFile`): a GeoJSON FeatureCollection of
 * Polygons and MultiPolygons, each feature naming its district in `nameProperty`. Every problem is
 * reported with its place (`features.3.geometry.coordinates.0: a ring needs at least 4 positions`);
 * the result keeps only what the map needs (name, label point, geometry), so nothing else of the
 * file reaches the dashboard.
 */
import { z } from 'zod';
import type { DistrictBoundary, DistrictFeature, LonLat } from './city-map';
import { zodIssueLines } from './zod-issues';

/** Bounds on what every dashboard downloads. */
export const BOUNDARY_LIMITS = { maxFeatures: 500, maxPositions: 200_000 } as const;

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], z.number());
const ring = z
  .array(lonLat)
  .min(4, 'a ring needs at least 4 positions')
  .refine((r) => r[0]?.[0] === r[r.length - 1]?.[0] && r[0]?.[1] === r[r.length - 1]?.[1], 'a ring must end where it starts');
const polygon = z.array(ring).min(1, 'a polygon needs its outer ring');
const geometry = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('Polygon'), coordinates: polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1, 'a MultiPolygon needs a polygon') }),
  ],
  { error: (i) => (i.code === 'invalid_union' ? 'a district is a Polygon or a MultiPolygon' : undefined) },
);
const feature = z.object({
  type: z.literal('Feature'),
  geometry,
  properties: z.record(z.string(), z.unknown()).nullable(),
});
const collection = z.object(
  {
    type: z.literal('FeatureCollection', { error: 'the boundary must be a GeoJSON FeatureCollection' }),
    features: z.array(feature).min(1, 'the boundary has no district').max(BOUNDARY_LIMITS.maxFeatures),
  },
  { error: 'the boundary must be a GeoJSON FeatureCollection' },
);

export class BoundaryError extends Error {
  override readonly name = 'BoundaryError';
  constructor(readonly issues: string[]) {
    super(`invalid district boundary:\n  - ${issues.join('\n  - ')}`);
  }
}

const positions = (f: z.infer<typeof feature>): number =>
  f.geometry.type === 'Polygon'
    ? f.geometry.coordinates.reduce((n, r) => n + r.length, 0)
    : f.geometry.coordinates.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);

/** The label point a feature gives (`cp: [lon, lat]`), if it is one. */
function labelPoint(props: Record<string, unknown>): LonLat | undefined {
  const cp = lonLat.safeParse(props['cp']);
  return cp.success ? [cp.data[0], cp.data[1]] : undefined;
}

/** The boundary as the map serves it; throws BoundaryError listing every problem. */
export function parseBoundary(raw: unknown, nameProperty = 'name'): DistrictBoundary {
  const parsed = collection.safeParse(raw);
  if (!parsed.success) {
    throw new BoundaryError(zodIssueLines(parsed.error));
  }
  const issues: string[] = [];
  const seen = new Set<string>();
  const features: DistrictFeature[] = [];
  let total = 0;
  parsed.data.features.forEach((f, i) => {
    total += positions(f);
    const name = f.properties?.[nameProperty];
    if (typeof name !== 'string' || name.trim() === '') {
      issues.push(`features.${i}.properties.${nameProperty}: every district needs its name (a non-empty string)`);
      return;
    }
    if (seen.has(name)) issues.push(`features.${i}.properties.${nameProperty}: duplicate district "${name}"`);
    seen.add(name);
    const cp = labelPoint(f.properties ?? {});
    const geometry =
      f.geometry.type === 'Polygon'
        ? { type: 'Polygon' as const, coordinates: f.geometry.coordinates.map((r) => r.map(([x, y]): LonLat => [x, y])) }
        : {
            type: 'MultiPolygon' as const,
            coordinates: f.geometry.coordinates.map((p) => p.map((r) => r.map(([x, y]): LonLat => [x, y]))),
          };
    features.push({ type: 'Feature', properties: { name, ...(cp ? { cp } : {}) }, geometry });
  });
  if (total > BOUNDARY_LIMITS.maxPositions) {
    issues.push(`${total} positions: at most ${BOUNDARY_LIMITS.maxPositions} (simplify the outlines, e.g. mapshaper -simplify)`);
  }
  if (issues.length > 0) throw new BoundaryError(issues);
  return { type: 'FeatureCollection', features };
}
