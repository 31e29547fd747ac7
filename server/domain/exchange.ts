/**
 * The data-exchange API for other departments (issue 21 item 5, PLANS H4): versioned read answers
 * under /api/exchange/v1 — the shapes as zod schemas (the OpenAPI document's and the tests'), the
 * page every list answers with, and its opaque cursor. Pure.
 *
 * Paging: every list is `{items, limit, next}`, in a stable order (named per endpoint); `next` is
 * the cursor of the following page (null on the last), and `nextUrl` the same request with it. A
 * cursor says where the previous page ended (the last row's sort key), so rows added meanwhile
 * never shift a page; pass it back with the same filters.
 */
import { z } from 'zod';
import { ALERT_STATES, SEVERITIES } from './alert';
import { DATA_FLAGS, DATA_KINDS } from './reading';
import { SOURCE_KINDS } from './source-kinds';

/** The path prefix of this version. */
export const EXCHANGE_V1 = '/api/exchange/v1';
/** Rows per page: the default and the hard maximum. */
export const EXCHANGE_PAGE_DEFAULT = 100;
export const EXCHANGE_PAGE_MAX = 1000;
/** Longest spans one request may cover. */
export const EXCHANGE_MAX_HOURLY_DAYS = 7;
export const EXCHANGE_MAX_DAILY_DAYS = 31;
export const EXCHANGE_MAX_LOAD_MONTHS = 12;
/** Emission loads are answered in kilograms. */
export const LOAD_UNIT = 'kg';

/** Alert status: open (not closed), attention (open and unacknowledged), closed. */
export const EXCHANGE_ALERT_STATUSES = ['open', 'attention', 'closed'] as const;
export type ExchangeAlertStatus = (typeof EXCHANGE_ALERT_STATUSES)[number];

// ---- the cursor ------------------------------------------------------------------------------

/** Where a page ended: the last row's sort key (lists built in memory), or for alerts the last id and the rows scanned. */
export type ExchangeCursor = { after: string } | { beforeId: number; offset: number };

const cursorSchema = z.union([
  z.object({ after: z.string().max(512) }).strict(),
  z.object({ beforeId: z.number().int().positive(), offset: z.number().int().nonnegative() }).strict(),
]);

/** base64url of UTF-8 text (btoa/atob: no Node import in the domain). */
function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}
function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export const encodeCursor = (c: ExchangeCursor): string => toBase64Url(JSON.stringify(c));

/** The cursor of a `cursor` query parameter, or undefined when it is not one this API gave. */
export function decodeCursor(text: string): ExchangeCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(fromBase64Url(text)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not base64url JSON: not a cursor of ours (the router answers 400)
  }
}

/** A page as a service answers it (the router adds the limit and the next link). */
export interface ExchangePage<T> {
  items: T[];
  next: string | null;
}

/** What page to answer: at most `limit` rows after the previous page's last sort key. */
export interface ExchangePaging {
  limit: number;
  after?: string;
}

/** The page of rows after `cursor` (rows sorted by `keyOf`, ascending, keys unique). */
export function pageAfter<T>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  cursor: { after: string } | undefined,
  limit: number,
): { items: T[]; next: string | null } {
  const start = cursor === undefined ? 0 : rows.findIndex((r) => keyOf(r) > cursor.after);
  const from = start === -1 ? rows.length : start;
  const items = rows.slice(from, from + limit);
  const last = items.at(-1);
  const more = from + limit < rows.length;
  return { items, next: more && last !== undefined ? encodeCursor({ after: keyOf(last) }) : null };
}

/** A sort key from parts: each padded so that string order is the parts' order. */
export const sortKey = (...parts: (string | number)[]): string =>
  parts.map((p) => (typeof p === 'number' ? String(p).padStart(16, '0') : p)).join('\u0001');

/** ISO-8601 of an instant in local time with its offset: `2026-07-01T10:00:00+08:00` (milliseconds only when it has some). */
export function isoLocal(ts: number, utcOffsetMinutes: number): string {
  const local = new Date(ts + utcOffsetMinutes * 60_000).toISOString().slice(0, ts % 1000 === 0 ? 19 : 23);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// ---- the answers -------------------------------------------------------------------------------

const ms = z.number().int().meta({ description: 'epoch ms' });
const iso = z.string().meta({ description: 'the same instant, ISO-8601 in local (China) time with its offset' });

/** A page of rows: the stable order is each endpoint's; `next` null on the last page. */
export const exchangePageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      limit: z.number().int(),
      next: z.string().nullable().meta({ description: 'cursor of the next page (pass as ?cursor=), null on the last page' }),
      nextUrl: z.string().nullable().meta({ description: 'this request with the next cursor, null on the last page' }),
    })
    .meta({ id });

export const exchangeLimitSchema = z
  .object({
    factor: z.string(),
    unit: z.string(),
    max: z.number().nullable(),
    min: z.number().nullable(),
    o2Converted: z.boolean().meta({ description: 'the limit judges the value converted to the source’s reference O2' }),
  })
  .meta({ id: 'ExchangeLimit' });

export const exchangeSourceSchema = z
  .object({
    mn: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    position: z.enum(['outlet', 'inlet']),
    enterpriseId: z.string(),
    enterpriseName: z.string(),
    district: z.string(),
    lat: z.number(),
    lon: z.number(),
    o2Ref: z.number().nullable().meta({ description: 'reference O2 in %, null when the source has none' }),
    intervalS: z.number().int().meta({ description: 'registered reporting interval of real-time data, s' }),
    limits: z.array(exchangeLimitSchema).meta({ description: 'the limits in force today (pack defaults, the permit, overrides)' }),
  })
  .meta({ id: 'ExchangeSource' });
export type ExchangeSource = z.infer<typeof exchangeSourceSchema>;

export const exchangeLatestSchema = z
  .object({
    mn: z.string(),
    enterpriseId: z.string(),
    factor: z.string(),
    unit: z.string(),
    cn: z.enum(DATA_KINDS),
    ts: ms,
    time: iso,
    value: z.number().nullable().meta({ description: 'rtd for real-time data, else avg' }),
    rtd: z.number().nullable(),
    avg: z.number().nullable(),
    zs: z.number().nullable().meta({ description: 'converted to reference O2 by the logger' }),
    cou: z.number().nullable(),
    flag: z.enum(DATA_FLAGS),
  })
  .meta({ id: 'ExchangeLatest' });
export type ExchangeLatest = z.infer<typeof exchangeLatestSchema>;

const meanFields = {
  mn: z.string(),
  enterpriseId: z.string(),
  factor: z.string(),
  unit: z.string(),
  value: z.number().nullable().meta({ description: 'the mean: converted to reference O2 when `converted`' }),
  measured: z.number().nullable().meta({ description: 'the mean of the measured (not converted) values' }),
  converted: z.boolean(),
  valid: z.boolean().meta({ description: 'enough valid inputs (hour: ≥ 45 valid minutes; day: ≥ 20 valid hours, HJ 75)' }),
  validInputs: z.number().int(),
  inputs: z.number().int(),
  flag: z.enum(DATA_FLAGS).nullable(),
};

export const exchangeHourlyMeanSchema = z
  .object({ ...meanFields, hour: ms, time: iso.meta({ description: 'the start of the local hour' }), exceeds: z.boolean() })
  .meta({ id: 'ExchangeHourlyMean' });
export type ExchangeHourlyMean = z.infer<typeof exchangeHourlyMeanSchema>;

export const exchangeDailyMeanSchema = z
  .object({
    ...meanFields,
    date: z.string().meta({ description: 'local day YYYY-MM-DD' }),
    exceedingHours: z.number().int(),
    exceeds: z.boolean(),
  })
  .meta({ id: 'ExchangeDailyMean' });
export type ExchangeDailyMean = z.infer<typeof exchangeDailyMeanSchema>;

export const exchangeAlertSchema = z
  .object({
    id: z.number().int(),
    mn: z.string(),
    enterpriseId: z.string(),
    factor: z.string().meta({ description: 'factor code, `*` for the whole source (offline)' }),
    rule: z.string(),
    severity: z.enum(SEVERITIES),
    state: z.enum(ALERT_STATES),
    status: z.enum(EXCHANGE_ALERT_STATUSES),
    value: z.number(),
    peak: z.number(),
    limit: z.number(),
    unit: z.string(),
    openedAt: ms,
    openedTime: iso,
    lastSeenAt: ms,
    clearedAt: ms.nullable(),
    acknowledgedAt: ms.nullable(),
    closedAt: ms.nullable(),
  })
  .meta({ id: 'ExchangeAlert' });
export type ExchangeAlert = z.infer<typeof exchangeAlertSchema>;

export const exchangeSourceLoadSchema = z
  .object({
    mn: z.string(),
    load: z.number().meta({ description: 'kg' }),
    hours: z.number().int().meta({ description: 'hours that contributed' }),
    couHours: z.number().int().meta({ description: 'of which from the logger’s hour amount (Cou)' }),
  })
  .meta({ id: 'ExchangeSourceLoad' });

export const exchangeLoadSchema = z
  .object({
    enterpriseId: z.string(),
    enterpriseName: z.string(),
    month: z.string().meta({ description: 'local month YYYY-MM' }),
    pollutant: z.string().meta({ description: 'factor code (a34013 particulate, a21026 SO2, a21002 NOx, a24088 NMHC)' }),
    unit: z.literal(LOAD_UNIT),
    load: z.number().meta({ description: 'the month’s emission, kg (t = kg ÷ 1000)' }),
    hours: z.number().int(),
    couHours: z.number().int(),
    sources: z.array(exchangeSourceLoadSchema),
  })
  .meta({ id: 'ExchangeLoad' });
export type ExchangeLoad = z.infer<typeof exchangeLoadSchema>;

export const exchangeSourcePageSchema = exchangePageOf(exchangeSourceSchema, 'ExchangeSourcePage');
export const exchangeLatestPageSchema = exchangePageOf(exchangeLatestSchema, 'ExchangeLatestPage');
export const exchangeHourlyPageSchema = exchangePageOf(exchangeHourlyMeanSchema, 'ExchangeHourlyMeanPage');
export const exchangeDailyPageSchema = exchangePageOf(exchangeDailyMeanSchema, 'ExchangeDailyMeanPage');
export const exchangeAlertPageSchema = exchangePageOf(exchangeAlertSchema, 'ExchangeAlertPage');
export const exchangeLoadPageSchema = exchangePageOf(exchangeLoadSchema, 'ExchangeLoadPage');
