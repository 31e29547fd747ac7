/**
 * Rounding of reported values by GB/T 8170 (数值修约规则), the rule HJ 663 and HJ 75 refer to: to
 * the nearest, and a dropped part of exactly 5 to the even digit (0.5 → 0, 1.5 → 2, 160.5 → 160).
 * Pure; tolerant of binary float artefacts (10.190499999999998 → 10.19 at 2 decimals).
 */
export function roundGbt8170(value: number, decimals = 0): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** decimals;
  const x = value * f;
  const lo = Math.floor(x);
  const frac = x - lo;
  const rounded = Math.abs(frac - 0.5) < 1e-9 ? (lo % 2 === 0 ? lo : lo + 1) : Math.round(x);
  return rounded / f + 0; // + 0: no -0
}

/** The value rounded and written with exactly `decimals` decimals ("10.19", "160", "0.50"). */
export const formatRounded = (value: number, decimals: number): string => roundGbt8170(value, decimals).toFixed(decimals);
