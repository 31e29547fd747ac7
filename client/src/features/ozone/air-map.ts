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

/** The words the tooltip needs, in the page's language. */
export interface TooltipWords {
  noData: string;
  level: (level: number) => string;
  primary: (names: string) => string;
  pollutant: (p: AqiPollutant) => string;
  none: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A station's tooltip (HTML lines): name, AQI and level, primary pollutants, the hour; or 无数据. */
export function stationTooltip(p: StationPoint, w: TooltipWords): string {
  const name = escapeHtml(p.name);
  if (p.aqi === null || p.level === null) return `${name}<br/>${w.noData}`;
  const primary = p.primary.length > 0 ? p.primary.map(w.pollutant).join('、') : w.none;
  return [name, `AQI ${p.aqi} ${w.level(p.level)}`, w.primary(primary), p.hour ?? ''].join('<br/>');
}
