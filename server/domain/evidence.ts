/**
 * The evidence package of a rectification case (证据包, PLANS H3; issue 19): what it covers and how
 * its files are written, pure. The period runs from a day before the earliest of the case's alerts
 * (or its creation) to its closure (or now), at most EVIDENCE_LIMITS.maxSpanDays from its start;
 * series and frames are capped per source, and the manifest says what was cut. CSV files are UTF-8
 * with a BOM (Excel shows Chinese), CRLF line ends, quoted where needed. Attachments keep their
 * names as uploaded, made safe for an archive entry (no folders, no control characters, unique).
 */
import { DAY_MS } from './local-time';

export const EVIDENCE_LIMITS = {
  /** The longest period the series and frames cover. */
  maxSpanDays: 31,
  /** Margin before the first alert (or the case's creation): what led up to it. */
  leadMs: DAY_MS,
  /** Series rows per source (every data kind together). */
  maxSeriesRows: 200_000,
  /** Raw frames per source. */
  maxFrames: 20_000,
} as const;

export interface EvidencePeriod {
  from: number;
  to: number;
  /** The period was cut to maxSpanDays. */
  capped: boolean;
}

/** The period the package's series and frames cover. */
export function evidencePeriod(
  c: { createdAt: number; closedAt: number | null },
  alertOpenings: readonly number[],
  now: number,
  limits: Pick<typeof EVIDENCE_LIMITS, 'maxSpanDays' | 'leadMs'> = EVIDENCE_LIMITS,
): EvidencePeriod {
  const from = Math.min(c.createdAt, ...alertOpenings) - limits.leadMs;
  const end = Math.max(from, c.closedAt ?? now);
  const latest = from + limits.maxSpanDays * DAY_MS;
  return end > latest ? { from, to: latest, capped: true } : { from, to: end, capped: false };
}

/** The byte-order mark that makes Excel read a CSV as UTF-8. */
export const CSV_BOM = '\uFEFF';

export type CsvCell = string | number | null | undefined;

const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** One CSV line with its CRLF. */
export const csvLine = (cells: readonly CsvCell[]): string =>
  cells.map((c) => quote(c === null || c === undefined ? '' : String(c))).join(',') + '\r\n';

/** A whole small CSV file: BOM, header, rows. */
export const csvText = (header: readonly string[], rows: readonly (readonly CsvCell[])[]): string =>
  CSV_BOM + csvLine(header) + rows.map(csvLine).join('');

/**
 * A name safe as one archive entry: folders, control characters and characters Windows refuses
 * replaced by `_`, leading dots removed, at most 120 characters (the extension kept), and unique
 * among `taken` (`name (2).pdf`). Adds the result to `taken`.
 */
export function safeEntryName(name: string, taken: Set<string>): string {
  let clean = [...name]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '/\\:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^[.\s]+/, '')
    .trim();
  if (clean === '') clean = 'file';
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  let stem = ext ? clean.slice(0, dot) : clean;
  stem = [...stem].slice(0, 120 - ext.length).join('');
  let out = stem + ext;
  for (let n = 2; taken.has(out.toLowerCase()); n++) out = `${stem} (${n})${ext}`;
  taken.add(out.toLowerCase());
  return out;
}

/** One file of the package, as the manifest lists it. */
export interface ManifestEntry {
  path: string;
  /** What it holds, in Chinese. */
  title: string;
  /** Rows written (CSV), or null. */
  rows: number | null;
  /** The cap cut it: later rows of the period are not in the file. */
  truncated: boolean;
}
