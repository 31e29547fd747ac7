/**
 * The stations on the air-quality map (pure): each ambient station placed at its registered position
 * and coloured by its latest hour with an AQI (HJ 633 level colour); a station without one is grey.
 */
import type { AqiPollutant } from '@domain/aqi';
import type { AqiRow } from '../../api/air';
import { rankStations } from './air-ranking';

/** The colour of a station without an hourly AQI (无数据). */
export const NO_DATA_COLOUR = '#9aa5b1';

export interface PlacedStation {
  mn: string;
  name: string;
  district: string;
  lon: number;
  lat: number;
}

export interface StationPoint {
  mn: string;
  name: string;
  district: string;
  /** [longitude, latitude]. */
  value: [number, number];
  aqi: number | null;
  /** HJ 633 level 1–6, or null without data. */
  level: number | null;
  colour: string;
  /** The hour's local label `YYYY-MM-DD HH:00`, or null without data (not `label`: ECharts reads that). */
  hour: string | null;
  primary: AqiPollutant[];
}

export function stationPoints(stations: readonly PlacedStation[], rows: readonly AqiRow[]): StationPoint[] {
  const latest = new Map(rankStations(rows).map((r) => [r.id, r]));
  return stations.map((s) => {
    const r = latest.get(s.mn);
    const rated = r && r.aqi !== null && r.level ? r : null;
    return {
      mn: s.mn,
      name: s.name,
      district: s.district,
      value: [s.lon, s.lat],
      aqi: rated?.aqi ?? null,
      level: rated?.level?.level ?? null,
      colour: rated?.level?.colour ?? NO_DATA_COLOUR,
      hour: rated?.label ?? null,
      primary: rated?.primary ?? [],
    };
  });
}
