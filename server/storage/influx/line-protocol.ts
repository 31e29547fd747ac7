/**
 * Readings as InfluxDB line protocol. One point per reading:
 *   telemetry,cn=2011,ent=qilu-power,kind=cems,mn=370300… a21002_rtd=31.2,a21002_zs=40.1,a21002_flag="N" 1782871200000
 * Tags (sorted, as InfluxDB prefers): cn, ent, kind, mn. Fields: `{factor}_{field}` floats (a bare
 * number is a float in line protocol; values are finite, validated at ingest) and
 * `{factor}_flag` strings. Timestamps in ms. Same series + time → InfluxDB keeps one point, so a
 * redelivered reading overwrites itself instead of double counting.
 */
import { FACTOR_FIELDS, type Reading } from '../../domain/reading';

export const MEASUREMENT = 'telemetry';

const NEEDS_TAG_ESCAPE = /[,= \\]/;
const escapeTag = (s: string): string => (NEEDS_TAG_ESCAPE.test(s) ? s.replace(/([,= \\])/g, '\\$1') : s);
const escapeString = (s: string): string => s.replace(/(["\\])/g, '\\$1');

export function readingToLine(r: Reading): string {
  let fields = '';
  for (const code in r.factors) {
    const v = r.factors[code];
    if (v === undefined) continue;
    const key = escapeTag(code);
    for (const f of FACTOR_FIELDS) {
      const x = v[f];
      if (x !== undefined) fields += `${fields ? ',' : ''}${key}_${f}=${x}`;
    }
    fields += `${fields ? ',' : ''}${key}_flag="${escapeString(v.flag)}"`;
  }
  return `${MEASUREMENT},cn=${r.cn},ent=${escapeTag(r.enterpriseId)},kind=${r.kind},mn=${escapeTag(r.mn)} ${fields} ${r.ts}`;
}

export function readingsToBody(readings: readonly Reading[]): string {
  let body = '';
  for (const r of readings) body += readingToLine(r) + '\n';
  return body;
}

/** Quotes an InfluxQL string literal. */
export const influxString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** Quotes an InfluxQL identifier. */
export const influxIdent = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
