/**
 * Source-hours computed from the raw records (the reference the continuous rollup must equal):
 * one query per data kind over a span of hours, for every source asked of that span at once
 * (bounded: SOURCE_HOURS_PER_READ), grouped by source and local hour.
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

/**
 * Source-hours of raw records read per question: a source whose span is a day counts 24. An hour of
 * real-time data every 30 s is 120 records, so 25 source-hours are ~3,000 records, under a MB: the
 * answer's parse and fold hold the event loop a few ms. At 100, recomputing a replayed day right
 * after a saturated ingest held it long enough to take the alert latency's p99 from 274 to 913 ms
 * (bench, 2026-12-05).
 */
export const SOURCE_HOURS_PER_READ = 25;

/** One read of raw records: sources whose asked hours span the same range [from, to), each with its hours. */
export interface RawRead {
  from: number;
  to: number;
  sources: [mn: string, hours: number[]][];
}

/**
 * Sources' hours (mn → hours) planned as reads: each source's hours cut into spans of at most a
 * day, the sources of the same span read together, SOURCE_HOURS_PER_READ source-hours a read. The
 * same hours of a province's 20,000 sources (the hours running at a restart, a replayed backlog)
 * are 800 reads of each data kind, not 20,000.
 */
export function planRawReads(items: Iterable<readonly [string, readonly number[]]>): RawRead[] {
  const bySpan = new Map<string, RawRead>();
  const out: RawRead[] = [];
  for (const [mn, hours] of items) {
    for (const span of spans(hours)) {
      const from = span[0] as number;
      const to = (span.at(-1) as number) + HOUR_MS;
      const key = `${from}:${to}`;
      let read = bySpan.get(key);
      if (!read || (read.sources.length + 1) * ((to - from) / HOUR_MS) > SOURCE_HOURS_PER_READ) {
        bySpan.set(key, (read = { from, to, sources: [] }));
        out.push(read);
      }
      read.sources.push([mn, span]);
    }
  }
  return out;
}

/** A read's hours from the raw records: one question per data kind for all its sources. */
export async function hoursFromRaw(
  records: TelemetryRecordReader,
  read: RawRead,
  conversion: (mn: string) => ConversionSettings,
  utcOffsetMinutes: number,
): Promise<SourceHour[]> {
  const { from, to } = read;
  const mns = read.sources.map(([mn]) => mn);
  const [minutes, realtime] = await Promise.all([
    records.recordsOfSources({ mns, cn: '2051', from, to }),
    records.recordsOfSources({ mns, cn: '2011', from, to }),
  ]);
  const out: SourceHour[] = [];
  for (const [mn, hours] of read.sources) {
    const m = groupByHour(minutes.get(mn) ?? [], utcOffsetMinutes);
    const r = groupByHour(realtime.get(mn) ?? [], utcOffsetMinutes);
    const c = conversion(mn);
    for (const hour of hours) out.push(aggregateHour(mn, hour, m.get(hour) ?? [], r.get(hour) ?? [], c));
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
