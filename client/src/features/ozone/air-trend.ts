/**
 * The city and district AQI trends (pure): one line per scope on the local hours or days any of them
 * has (the server's local labels, never epoch numbers), the city first, then the districts by name;
 * and the HJ 633 level limits drawn across the chart in their colours.
 */
import { AQI_LEVELS } from '@domain/aqi';
import type { AqiInterval, AqiRow } from '../../api/air';

export interface TrendLine {
  id: string;
  scope: 'city' | 'district';
  name: string;
  /** AQI per label, null where the scope has none. */
  values: (number | null)[];
}

export interface Trend {
  /** Hour: `MM-DD HH:00`; day: `YYYY-MM-DD` (local time). */
  labels: string[];
  lines: TrendLine[];
}

export function trendSeries(rows: readonly AqiRow[], interval: AqiInterval): Trend {
  const short = (label: string) => (interval === 'hour' ? label.slice(5) : label);
  const sorted = [...rows].sort((a, b) => a.time - b.time);
  const labels = [...new Set(sorted.map((r) => short(r.label)))];
  const at = new Map(labels.map((l, i) => [l, i]));
  const lines = new Map<string, TrendLine>();
  for (const r of sorted) {
    if (r.scope === 'station') continue;
    const key = `${r.scope}:${r.id}`;
    let line = lines.get(key);
    if (!line) {
      line = { id: r.id, scope: r.scope, name: r.name, values: labels.map(() => null) };
      lines.set(key, line);
    }
    line.values[at.get(short(r.label)) ?? 0] = r.aqi;
  }
  return {
    labels,
    lines: [...lines.values()].sort((a, b) =>
      a.scope !== b.scope ? (a.scope === 'city' ? -1 : 1) : a.name.localeCompare(b.name, 'zh-CN'),
    ),
  };
}

/** The top of each level but the last (50, 100, 150, 200, 300), in the level's colour. */
export const LEVEL_LINES = AQI_LEVELS.filter((l) => l.max !== null).map((l) => ({
  value: l.max as number,
  level: l.level,
  zh: l.zh,
  en: l.en,
  colour: l.colour,
}));
