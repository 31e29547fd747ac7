/**
 * The comparison-test form (比对监测): what the officer types, checked before it is sent, as message
 * keys (`quality.form.problem.<key>`) the page words. Pure.
 */
import type { ComparisonDraft } from '../../api/quality';

export interface ComparisonFormDraft {
  mn: string;
  factor: string;
  /** The reference sampling period, epoch ms from the date-time pickers (null: not chosen). */
  range: [number, number] | null;
  /** Reference value(s), separated by commas, spaces or new lines (中文逗号 too). */
  values: string;
  note: string;
}

export const emptyComparisonForm = (): ComparisonFormDraft => ({ mn: '', factor: '', range: null, values: '', note: '' });

/** The numbers of `text`, or null when any part is not a number ≥ 0. */
export function parseReferenceValues(text: string): number[] | null {
  const parts = text
    .split(/[\s,，;；、]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  const values = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
  return values.every((v) => Number.isFinite(v)) ? values : null;
}

export type FormProblem = 'source' | 'factor' | 'range' | 'rangeOrder' | 'rangeTooLong' | 'rangeNotEnded' | 'values';

/** The first problem of the draft, or the body to send. */
export function checkComparisonForm(
  d: ComparisonFormDraft,
  now: number,
  maxSpanH: number,
): { ok: true; body: ComparisonDraft } | { ok: false; problem: FormProblem } {
  if (!d.mn) return { ok: false, problem: 'source' };
  if (!d.factor) return { ok: false, problem: 'factor' };
  if (!d.range) return { ok: false, problem: 'range' };
  const [from, to] = d.range;
  if (from >= to) return { ok: false, problem: 'rangeOrder' };
  if (to - from > maxSpanH * 3_600_000) return { ok: false, problem: 'rangeTooLong' };
  if (to > now) return { ok: false, problem: 'rangeNotEnded' };
  const referenceValues = parseReferenceValues(d.values);
  if (!referenceValues) return { ok: false, problem: 'values' };
  const note = d.note.trim();
  return { ok: true, body: { mn: d.mn, factor: d.factor, from, to, referenceValues, ...(note ? { note } : {}) } };
}
