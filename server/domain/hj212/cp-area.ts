/**
 * The CP area (`CP=&&…&&`): `DataTime=…;a21026-Rtd=…,a21026-Flag=N;…`. Fields of one quantity are
 * separated by `,`, quantities by `;` — real devices mix the two up, so both separate pairs here;
 * a piece without `=` is the continuation of the previous value (a `,` inside an `-Info` text).
 */
import type { CpArea, CpFactor } from './types';

const SEMI = 59; // ;
const COMMA = 44; // ,
const DASH = 45; // -

/** Keys that must never become object properties. */
const isUnsafeKey = (k: string): boolean => k === '__proto__';

export function parseCp(text: string): CpArea {
  const params: Record<string, string> = {};
  const factors: CpFactor[] = [];
  let current: CpFactor | undefined; // fields of one quantity usually come together
  let lastFields: Record<string, string> | undefined;
  let lastKey = '';
  const n = text.length;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? SEMI : text.charCodeAt(i);
    if (c !== SEMI && c !== COMMA) continue;
    if (i > start) {
      const eq = text.indexOf('=', start);
      if (eq < 0 || eq >= i) {
        // The previous value contained a separator; glue it back.
        if (lastFields) lastFields[lastKey] += text[start - 1]! + text.slice(start, i);
      } else {
        let dash = start;
        while (dash < eq && text.charCodeAt(dash) !== DASH) dash++;
        const value = text.slice(eq + 1, i);
        if (dash > start && dash < eq) {
          const code = text.slice(start, dash).trim();
          const field = text.slice(dash + 1, eq).trim();
          if (!current || current.code !== code) current = factors.find((f) => f.code === code) ?? pushed(factors, code);
          if (!isUnsafeKey(field)) {
            current.fields[field] = value;
            lastFields = current.fields;
            lastKey = field;
          }
        } else {
          const key = text.slice(start, eq).trim();
          if (key.length > 0 && !isUnsafeKey(key)) {
            params[key] = value;
            lastFields = params;
            lastKey = key;
          }
        }
      }
    }
    start = i + 1;
  }
  return { params, factors };
}

function pushed(factors: CpFactor[], code: string): CpFactor {
  const f: CpFactor = { code, fields: {} };
  factors.push(f);
  return f;
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
