/**
 * Source-hours computed from the raw records (the reference the continuous rollup must equal):
 * one query per data kind over a span of a source's hours, grouped by local hour.
 */
import { DAY_MS, HOUR_MS, hourStartOf } from '../domain/local-time';
import type { SourceHour } from '../storage/hourly-rollup';
import type { StoredRecord, TelemetryRecordReader } from '../storage/telemetry-store';
import { aggregateHour, type ConversionSettings } from './hour-aggregate';

function groupByHour(records: readonly StoredRecord[], utcOffsetMinutes: number): Map<number, StoredRecord[]> {
  const out = new Map<number, StoredRecord[]>();
  for (const r of records) {
    const h = hourStartOf(r.ts, utcOffsetMinutes);
    let list = out.get(h);
    if (!list) out.set(h, (list = []));
    list.push(r);
  }
  return out;
}

/** Hours (sorted) cut into runs that span at most a day, so one query never reads far beyond what is asked. */
function spans(hours: readonly number[]): number[][] {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const h of sorted) {
    const last = out.at(-1);
    if (last && h - (last[0] as number) < DAY_MS) last.push(h);
    else out.push([h]);
  }
  return out;
}

/** The given hours of one source from its raw records. */
export async function hoursFromRaw(
  records: TelemetryRecordReader,
  mn: string,
  hours: readonly number[],
  c: ConversionSettings,
  utcOffsetMinutes: number,
): Promise<SourceHour[]> {
  const out: SourceHour[] = [];
  for (const span of spans(hours)) {
    const from = span[0] as number;
    const to = (span.at(-1) as number) + HOUR_MS;
    const [minutes, realtime] = await Promise.all([
      records.records({ mn, cn: '2051', from, to }),
      records.records({ mn, cn: '2011', from, to }),
    ]);
    const m = groupByHour(minutes, utcOffsetMinutes);
    const r = groupByHour(realtime, utcOffsetMinutes);
    for (const hour of span) out.push(aggregateHour(mn, hour, m.get(hour) ?? [], r.get(hour) ?? [], c));
  }
  return out;
}

/** Runs `run` over the items, at most `concurrency` at once. */
export async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** From this many sources lacking hours, those with no raw record at all are found first (two queries). */
export const ASK_WHICH_HAVE_RAW = 20;

/**
 * The sources lacking hours (mn → hours) split into those to read from raw and those without a raw
 * record (minute or real-time) in the lacking hours' span: one question per data kind instead of a
 * read per source. Below ASK_WHICH_HAVE_RAW sources the question saves nothing: all are read.
 */
export async function splitByRawRecords(
  records: TelemetryRecordReader,
  missing: ReadonlyMap<string, number[]>,
): Promise<[read: [string, number[]][], silent: [string, number[]][]]> {
  const all = [...missing];
  if (missing.size < ASK_WHICH_HAVE_RAW) return [all, []];
  let from = Infinity;
  let to = -Infinity;
  for (const hours of missing.values())
    for (const h of hours) {
      from = Math.min(from, h);
      to = Math.max(to, h + HOUR_MS);
    }
  const kinds = await Promise.all((['2051', '2011'] as const).map((cn) => records.sourcesWithRecords(cn, from, to)));
  const withRaw = new Set(kinds.flatMap((k) => [...k]));
  return [all.filter(([mn]) => withRaw.has(mn)), all.filter(([mn]) => !withRaw.has(mn))];
}
