/**
 * The city's map as the dashboard draws it: its districts (GeoJSON polygons, each with its name and
 * optionally the point its label sits on), the city's name and the initial view. The boundary is
 * configuration (config `map.boundaryFile`), served at GET /api/map; pure types and geometry here,
 * shared by the server, the dashboard and the tests (no zod: the client bundle stays small).
 */

/** [longitude, latitude] in degrees, as GeoJSON orders them. */
export type LonLat = [number, number];
/** A closed ring of positions (first = last). */
export type Ring = LonLat[];

export type DistrictGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

export interface DistrictFeature {
  type: 'Feature';
  /** `name`: the district; `cp`: where its label sits (ECharts reads it), when the file gives one. */
  properties: { name: string; cp?: LonLat };
  geometry: DistrictGeometry;
}

export interface DistrictBoundary {
  type: 'FeatureCollection';
  features: DistrictFeature[];
}

/** GET /api/map. */
export interface CityMap {
  city: { zh: string; en: string };
  /** Centre of the initial view; null: fit the whole boundary. */
  center: LonLat | null;
  /** Initial zoom (1: the whole boundary, or the view around `center`, fills the map). */
  zoom: number;
  boundary: DistrictBoundary;
}

/** Ray casting (even–odd) on one ring. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat;
    const [xj, yj] = ring[j] as LonLat;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Inside the outer ring and outside every hole. */
const inPolygon = (lon: number, lat: number, rings: Ring[]): boolean =>
  rings.length > 0 && inRing(lon, lat, rings[0] as Ring) && !rings.slice(1).some((hole) => inRing(lon, lat, hole));

export function inGeometry(lon: number, lat: number, g: DistrictGeometry): boolean {
  return g.type === 'Polygon' ? inPolygon(lon, lat, g.coordinates) : g.coordinates.some((p) => inPolygon(lon, lat, p));
}

/** The names of the districts whose outline holds the point (one, on a clean map; none outside it). */
export function districtsAt(lon: number, lat: number, boundary: DistrictBoundary): string[] {
  return boundary.features.filter((f) => inGeometry(lon, lat, f.geometry)).map((f) => f.properties.name);
}
