/**
 * Transmission figures (GET /api/reports/transmission, being built on the server): null while the
 * route does not exist yet (404), so the dashboard shows "—" instead of failing.
 */
import { isItems, isTransmissionRow, type TransmissionRow } from './guards';
import { ApiError, requestJson } from './rest';

export async function fetchTransmission(fetchFn: typeof fetch = fetch): Promise<TransmissionRow[] | null> {
  try {
    return (await requestJson('GET', '/api/reports/transmission', isItems(isTransmissionRow), undefined, fetchFn)).items;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return null;
    throw err;
  }
}

/** Mean effective transmission rate (0–1 or %) of the newest day reported, or null without data. */
export function meanEffectiveRate(rows: readonly TransmissionRow[]): number | null {
  if (rows.length === 0) return null;
  const newest = rows.reduce((d, r) => (r.date > d ? r.date : d), '');
  const day = rows.filter((r) => r.date === newest);
  return day.reduce((s, r) => s + r.effectiveRate, 0) / day.length;
}
