/**
 * The CP area (`CP=&&…&&`): `DataTime=…;a21026-Rtd=…,a21026-Flag=N;…`. Fields of one quantity are
 * separated by `,`, quantities by `;` — real devices mix the two up, so both separate pairs here;
 * a piece without `=` is the continuation of the previous value (a `,` inside an `-Info` text).
 */
import type { CpArea, CpFactor } from './types';

const SEMI = 59; // ;
const COMMA = 44; // ,

/** Keys that must never become object properties. */
const isUnsafeKey = (k: string): boolean => k === '__proto__';

export function parseCp(text: string): CpArea {
  const params: Record<string, string> = {};
  const factors: CpFactor[] = [];
  const byCode = new Map<string, CpFactor>();
  let last: { fields: Record<string, string>; key: string } | undefined;
  let start = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? SEMI : text.charCodeAt(i);
    if (c !== SEMI && c !== COMMA) continue;
    if (i > start) {
      const piece = text.slice(start, i);
      const eq = piece.indexOf('=');
      if (eq < 0) {
        // The previous value contained a separator; glue it back.
        if (last) last.fields[last.key] += text[start - 1]! + piece;
      } else {
        const key = piece.slice(0, eq).trim();
        const value = piece.slice(eq + 1);
        const dash = key.indexOf('-');
        if (dash > 0) {
          const code = key.slice(0, dash);
          const field = key.slice(dash + 1);
          let factor = byCode.get(code);
          if (!factor) {
            factor = { code, fields: {} };
            byCode.set(code, factor);
            factors.push(factor);
          }
          if (!isUnsafeKey(field)) {
            factor.fields[field] = value;
            last = { fields: factor.fields, key: field };
          }
        } else if (key.length > 0 && !isUnsafeKey(key)) {
          params[key] = value;
          last = { fields: params, key };
        }
      }
    }
    start = i + 1;
  }
  return { params, factors };
}

/** The canonical text: params joined by `;`, then per quantity its fields joined by `,`. */
export function encodeCp(cp: CpArea): string {
  const parts: string[] = [];
  for (const key of Object.keys(cp.params)) parts.push(`${key}=${cp.params[key]}`);
  for (const f of cp.factors) {
    const fields: string[] = [];
    for (const key of Object.keys(f.fields)) fields.push(`${f.code}-${key}=${f.fields[key]}`);
    if (fields.length > 0) parts.push(fields.join(','));
  }
  return parts.join(';');
}
