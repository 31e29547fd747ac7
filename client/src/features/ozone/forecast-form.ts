/** The forecast entry form's rules and the IAQI / level it implies, checked as the user types (the server checks again). */
import { type AqiLevel, aqiLevel, O3_8H_SWITCH, o3EightHourIaqi } from '@domain/aqi';

export type ForecastMode = 'o3_8h' | 'iaqi';

export interface ForecastForm {
  /** `YYYY-MM-DD`, or '' when not chosen. */
  date: string;
  mode: ForecastMode;
  /** As typed. */
  value: string;
  note: string;
}

export type ForecastField = 'date' | 'value' | 'note';
export type ForecastErrorKey = 'required' | 'notNumber' | 'negative' | 'o3TooHigh' | 'iaqiWhole' | 'iaqiRange' | 'noteTooLong';
export type ForecastErrors = Partial<Record<ForecastField, ForecastErrorKey>>;

export const MAX_NOTE = 500;

const numberOf = (s: string): number | null => {
  const t = s.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
};

export function validateForecast(f: ForecastForm): ForecastErrors {
  const e: ForecastErrors = {};
  if (!f.date) e.date = 'required';
  const v = numberOf(f.value);
  if (v === null) e.value = 'required';
  else if (Number.isNaN(v)) e.value = 'notNumber';
  else if (v < 0) e.value = 'negative';
  else if (f.mode === 'o3_8h' && v > O3_8H_SWITCH) e.value = 'o3TooHigh';
  else if (f.mode === 'iaqi' && !Number.isInteger(v)) e.value = 'iaqiWhole';
  else if (f.mode === 'iaqi' && v > 500) e.value = 'iaqiRange';
  if (f.note.trim().length > MAX_NOTE) e.note = 'noteTooLong';
  return e;
}

/** The IAQI and level the typed value implies (null until it is a valid number). */
export function impliedIaqi(f: Pick<ForecastForm, 'mode' | 'value'>): { iaqi: number; level: AqiLevel } | null {
  const v = numberOf(f.value);
  if (v === null || Number.isNaN(v) || v < 0) return null;
  const i = f.mode === 'o3_8h' ? o3EightHourIaqi(v, null) : Number.isInteger(v) && v <= 500 ? v : null;
  return i === null ? null : { iaqi: i, level: aqiLevel(i) };
}

/** The request body for a valid form. */
export function forecastEntry(f: ForecastForm): { date: string; o3_8h?: number; iaqi?: number; note?: string } {
  const v = Number(f.value.trim());
  const note = f.note.trim();
  return { date: f.date, ...(f.mode === 'o3_8h' ? { o3_8h: v } : { iaqi: v }), ...(note ? { note } : {}) };
}

/** Which form field a server refusal names. */
export function forecastFieldOf(serverField: string | null): ForecastField | null {
  if (serverField === 'date' || serverField === 'note') return serverField;
  if (serverField === 'o3_8h' || serverField === 'iaqi') return 'value';
  return null;
}
