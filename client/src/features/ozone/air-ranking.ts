/**
 * The station ranking of the air-quality tab (pure): per station its latest row with an AQI, worst
 * first; stations without any AQI last, by name.
 */
import type { AqiRow } from '../../api/air';

export function rankStations(rows: readonly AqiRow[]): AqiRow[] {
  const latest = new Map<string, AqiRow>();
  for (const r of rows) {
    const seen = latest.get(r.id);
    if (!seen || (r.aqi !== null && (seen.aqi === null || r.time > seen.time))) latest.set(r.id, r);
  }
  return [...latest.values()].sort((a, b) => {
    if (a.aqi === null || b.aqi === null)
      return a.aqi === null && b.aqi === null ? a.name.localeCompare(b.name, 'zh-CN') : a.aqi === null ? 1 : -1;
    return b.aqi - a.aqi || a.name.localeCompare(b.name, 'zh-CN');
  });
}
