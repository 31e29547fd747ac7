/**
 * Readings as InfluxDB line protocol. One point per reading:
 *   telemetry,cn=2011,ent=qilu-power,kind=cems,mn=370300… a21002_rtd=31.2,a21002_zs=40.1,a21002_flag="N" 1782871200000
 * Tags (sorted, as InfluxDB prefers): cn, ent, kind, mn. Fields: `{factor}_{field}` floats (a bare
 * number is a float in line protocol; values are finite, validated at ingest) and
 * `{factor}_flag` strings. Timestamps in ms. Same series + time → InfluxDB keeps one point, so a
 * redelivered reading overwrites itself instead of double counting.
 */
import { DATA_FLAGS, FACTOR_FIELDS, type DataFlag, type FactorField, type Reading } from '../../domain/reading';

export const MEASUREMENT = 'telemetry';

/** `_flag="N"` etc.: one constant string per flag. */
const FLAG_FIELD = Object.fromEntries(DATA_FLAGS.map((f) => [f, `_flag="${f}"`])) as Record<DataFlag, string>;

const NEEDS_TAG_ESCAPE = /[,= \\]/;
const escapeTag = (s: string): string => (NEEDS_TAG_ESCAPE.test(s) ? s.replace(/([,= \\])/g, '\\$1') : s);

/** A source's series keys by data kind, with the tags they were built from. */
interface SourceKeys {
  enterpriseId: string;
  kind: string;
  byCn: Map<string, string>;
}

/**
 * Series keys repeat for every reading of a source: built once, found by the MN (a key joined
 * from all four tags for each lookup cost 2% of the ingest's CPU). A source whose enterprise or
 * kind changed (the registry edited) gets its keys built again.
 */
const seriesKeys = new Map<string, SourceKeys>();
function seriesKey(r: Reading): string {
  let keys = seriesKeys.get(r.mn);
  if (keys === undefined || keys.enterpriseId !== r.enterpriseId || keys.kind !== r.kind) {
    if (seriesKeys.size > 100_000) seriesKeys.clear();
    keys = { enterpriseId: r.enterpriseId, kind: r.kind, byCn: new Map() };
    seriesKeys.set(r.mn, keys);
  }
  let key = keys.byCn.get(r.cn);
  if (key === undefined) {
    key = `${MEASUREMENT},cn=${escapeTag(r.cn)},ent=${escapeTag(r.enterpriseId)},kind=${escapeTag(r.kind)},mn=${escapeTag(r.mn)} `;
    keys.byCn.set(r.cn, key);
  }
  return key;
}

/**
 * The line's pieces, joined once: `Array#join` writes one flat string of the summed length, where
 * `+=` made a rope of ~40 pieces (5 KB a reading, measured) that had to be flattened, since the
 * write path holds the line for a second or more. Reused: the function does not re-enter.
 */
const parts: string[] = [];

/** A factor code's field names with `=`, and its flag fields: each with the comma before it and without. */
interface CodePieces {
  /** `,a21002_rtd=` etc., in FACTOR_FIELDS' order, then the same without the comma. */
  comma: string[];
  bare: string[];
  /** `,a21002_flag="N"` and `a21002_flag="N"` by flag. */
  flagComma: Record<string, string>;
  flagBare: Record<string, string>;
}

/**
 * A factor's pieces repeat for every reading that carries it: made once per code, so that a line
 * joins a third of the pieces it did (each factor's name, field and comma were pieces of their own).
 * Codes are validated at ingest ([a-z][a-z0-9]*), a few hundred at most; kept up to 10,000.
 */
const piecesByCode = new Map<string, CodePieces>();
function piecesOf(code: string): CodePieces {
  let p = piecesByCode.get(code);
  if (p === undefined) {
    if (piecesByCode.size >= 10_000) piecesByCode.clear();
    const bare = FACTOR_FIELDS.map((f) => `${code}_${f}=`);
    const flagBare = Object.fromEntries(DATA_FLAGS.map((f) => [f, `${code}${FLAG_FIELD[f]}`]));
    p = {
      comma: bare.map((b) => `,${b}`),
      bare,
      flagComma: Object.fromEntries(DATA_FLAGS.map((f) => [f, `,${flagBare[f]}`])),
      flagBare,
    };
    piecesByCode.set(code, p);
  }
  return p;
}

/** A numeric field's name and value, with the comma before unless it opens the fields (`bare`). */
function pushField(n: number, bare: boolean, p: CodePieces, field: number, value: number | undefined): number {
  if (value === undefined) return n;
  parts[n++] = bare ? p.bare[field]! : p.comma[field]!;
  parts[n++] = String(value);
  return n;
}

export function readingToLine(r: Reading): string {
  let n = 0;
  parts[n++] = seriesKey(r);
  const fieldsFrom = n;
  for (const code in r.factors) {
    const v = r.factors[code];
    if (v === undefined) continue;
    // Factor codes are validated ([a-z][a-z0-9]*) at ingest: no escaping needed. The fields in
    // FACTOR_FIELDS' order, read by name (a field read by a computed key costs more than the join saves).
    const p = piecesOf(code);
    n = pushField(n, n === fieldsFrom, p, 0, v.rtd);
    n = pushField(n, n === fieldsFrom, p, 1, v.avg);
    n = pushField(n, n === fieldsFrom, p, 2, v.min);
    n = pushField(n, n === fieldsFrom, p, 3, v.max);
    n = pushField(n, n === fieldsFrom, p, 4, v.zs);
    n = pushField(n, n === fieldsFrom, p, 5, v.cou);
    const bare = n === fieldsFrom;
    // Validated at ingest: one of N F M S D C T B.
    parts[n++] = (bare ? p.flagBare[v.flag] : p.flagComma[v.flag]) ?? `${bare ? '' : ','}${code}_flag="${v.flag}"`;
  }
  parts[n++] = ' ';
  parts[n++] = String(r.ts);
  // The tail of a longer earlier line is blanked, not cut: the array keeps its backing store.
  for (let i = n; i < parts.length && parts[i] !== ''; i++) parts[i] = '';
  return parts.join('');
}

export function readingsToBody(readings: readonly Reading[]): string {
  let body = '';
  for (const r of readings) body += readingToLine(r) + '\n';
  return body;
}

/** The tag `cn` of a line readingToLine made (its first tag), without parsing the rest. */
export function lineDataKind(line: string): string {
  const from = MEASUREMENT.length + 4; // `telemetry,cn=`
  return line.slice(from, line.indexOf(',', from));
}

const KIND_PREFIX = Buffer.from(`${MEASUREMENT},cn=`, 'latin1');
const COMMA = 0x2c;

/** `lineDataKind` of the line in bytes[from, to); undefined when it is not a line readingToLine made (an earlier spool's JSON). */
export function lineDataKindAt(bytes: Buffer, from: number, to: number): string | undefined {
  const at = from + KIND_PREFIX.length;
  if (at > to || bytes.compare(KIND_PREFIX, 0, KIND_PREFIX.length, from, at) !== 0) return undefined;
  const comma = bytes.indexOf(COMMA, at);
  return comma === -1 || comma > to ? undefined : bytes.toString('latin1', at, comma);
}

const unescapeTag = (s: string): string => (s.includes('\\') ? s.replace(/\\([,= \\])/g, '$1') : s);

/** Splits at each `sep` not escaped by a backslash. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Back from readingToLine: the reading a line was made of (a reading the store refused goes to the dead letters whole). */
export function lineToReading(line: string): Reading {
  const [series = '', fields = '', ts = ''] = splitUnescaped(line, ' ');
  const tags = new Map(
    splitUnescaped(series, ',')
      .slice(1)
      .map((t) => {
        const [k = '', v = ''] = splitUnescaped(t, '=');
        return [k, unescapeTag(v)];
      }),
  );
  const factors: Reading['factors'] = {};
  for (const f of fields.split(',')) {
    if (f === '') continue;
    const eq = f.indexOf('=');
    const key = f.slice(0, eq);
    const cut = key.lastIndexOf('_');
    const v = (factors[key.slice(0, cut)] ??= { flag: 'N' });
    const field = key.slice(cut + 1);
    const value = f.slice(eq + 1);
    if (field === 'flag') v.flag = value.slice(1, -1) as DataFlag;
    else v[field as FactorField] = Number(value);
  }
  return {
    mn: tags.get('mn') ?? '',
    enterpriseId: tags.get('ent') ?? '',
    kind: tags.get('kind') as Reading['kind'],
    cn: tags.get('cn') as Reading['cn'],
    ts: Number(ts),
    factors,
  };
}

/** Quotes an InfluxQL string literal. */
export const influxString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** Quotes an InfluxQL identifier. */
export const influxIdent = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
