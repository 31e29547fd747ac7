/**
 * The hourly rollup kept as hours close (issue 20): every accepted reading is folded into its
 * source-hour in memory (open-hours.ts); once an hour closes (its end plus the rule pack's grace)
 * it is written for every registered source — from memory, or from the raw records where memory
 * cannot be trusted (out of order, running at start, settings changed), or empty when the source
 * sent nothing — in batches, off the ingest path.
 *
 * Late data: a reading for a closed hour drops that source-hour from the store at once (so no
 * report reads a stale one: a read recomputes it from raw meanwhile) and queues it; the source's
 * queued hours are recomputed from the raw records once it has sent no late reading for `settleMs`
 * (the writer's lag), an hour at the latest `maxLateWaitMs` after late data first reached it (late-hours.ts).
 *
 * Start: closing resumes after the store's latest hour, filling in from the raw records (at most
 * `catchUpMs` back) the hours that closed while the server was down (a new store fills in nothing);
 * the hours running at start (memory missed their beginning) are computed from raw when they close.
 *
 * Reads: closed hours from the store in one query, open hours from memory; what the store lacks
 * (an hour older than the catch-up, or one late data dropped) is computed from raw and kept.
 *
 * Days: once a local day has closed, its hours are packed into one row per source (the store's
 * `compact`, a day per round for the days closed and not yet packed), and a day report reads those
 * rows as they are (`days`); a source whose row is incomplete or stale goes through `hours`.
 *
 * A reader (`start(…, { writes: false })`: a process that hears no live readings, `--role web`)
 * writes no hour: the process with the intake closes them. Its closed hours follow the clock, what
 * the store lacks and every open hour is computed from the raw records for a read (kept 30 s for
 * the reads that follow: raw-kept-hours.ts), and a reading it is handed for a closed hour (a power
 * import) drops that hour from the store.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Reading } from '../domain/reading';
import { DAY_MS, dayStartOf, HOUR_MS, hoursIn, hourStartOf } from '../domain/local-time';
import type { SourceHour, SourceHourKey } from '../storage/hourly-rollup';
import { DayView, EMPTY_DAY, H_INTERVAL_S, HOUR_FIELDS, packDay } from '../storage/rollup-day';
import { emptyHour } from './hour-aggregate';
import { LateHours } from './late-hours';
import { OpenHours } from './open-hours';
import { hoursFromRaw, planRawReads, pool, splitByRawRecords } from './raw-hours';
import { RawKeptHours } from './raw-kept-hours';
import { eachInTurns } from '../turns';
import type { ContinuousRollupOptions, RollupStats } from './rollup-options';

export type { ContinuousRollupOptions, RollupStats };

/** Source-hours put per store write. */
const WRITE_BATCH = 2_000;
/** Hours closed per round (a long catch-up goes a few hours at a time). */
const HOURS_PER_ROUND = 6;
/** Sources given their empty hours per turn of the event loop. */
const EMPTY_SLICE = 500;
type Failed = (mn: string, hours: number[]) => void;

export class ContinuousRollup {
  /** Every source's day being built, by day: asked again meanwhile, the same build answers. */
  private readonly allSourceDays = new Map<number, Promise<ReadonlyMap<string, Uint8Array>>>();
  private readonly open: OpenHours;
  /** Open hours computed from raw for a read, and closed ones late data waits on: for the reads that follow (raw-kept-hours.ts). */
  private readonly rawOpen = new RawKeptHours();
  private readonly rawLate = new RawKeptHours();
  private readonly late: LateHours;
  private pendingDrops: SourceHourKey[] = [];
  /** Start of the latest hour closed; later hours are open. */
  private closedThrough = Number.NEGATIVE_INFINITY;
  /** Hours before this were running when the server started: from the raw records at close. */
  private rawBefore = Number.NEGATIVE_INFINITY;
  private writes: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly counts = { hoursWritten: 0, hoursFromRaw: 0, lateRecomputes: 0 };
  private taken = 0; // readings taken: the late recompute's pace follows whether live ones come
  /** Whether this process closes and keeps hours (false: a reader). */
  private keeps = true;

  constructor(private readonly o: ContinuousRollupOptions) {
    this.open = new OpenHours(o.conversion);
    this.late = new LateHours((hour) => dayStartOf(hour, o.utcOffsetMinutes));
  }

  /** Late data waits for this source-hour: what the store holds of it is stale. */
  private isLate(mn: string, hour: number): boolean {
    return this.late.has(mn, hour);
  }

  private hourOf(ts: number): number {
    return hourStartOf(ts, this.o.utcOffsetMinutes);
  }

  /** Resumes closing after the store's latest hour; closes what is due every `tickMs` (a reader: see the head comment). */
  async start(tickMs = 1_000, { writes = true } = {}): Promise<void> {
    const now = this.o.now();
    const last = await this.o.store.lastHour();
    this.keeps = writes;
    this.rawBefore = this.keeps ? this.hourOf(now) + HOUR_MS : Number.POSITIVE_INFINITY;
    // A new store fills in nothing (a read computes an older hour from raw and keeps it); a restart, its downtime.
    this.closedThrough =
      last === null ? this.hourOf(now - this.o.graceMs()) - HOUR_MS : Math.max(last, this.hourOf(now - this.o.catchUpMs) - HOUR_MS);
    this.timer = setInterval(() => void this.tick(), tickMs).unref();
  }

  /** Every accepted reading (the pipeline's hook): folded into its open hour, or queued as late. */
  onReading(r: Reading): void {
    this.taken++;
    if (r.cn !== '2011' && r.cn !== '2051') return;
    const hour = this.hourOf(r.ts);
    if (!this.keeps && hour > this.followClock()) return; // an open hour: read from the raw records
    if (hour > this.closedThrough) return this.open.add(r as Reading & { cn: '2011' | '2051' }, hour, hour < this.rawBefore);
    this.rawLate.delete(r.mn, hour);
    if (this.late.add(r.mn, hour, this.o.now())) this.pendingDrops.push({ mn: r.mn, hour });
  }

  /**
   * What a built report of the day may be kept under: null while the day is open or late data is
   * waiting on it; else a number that changes whenever late data reaches the day.
   */
  dayStamp(day: number): number | null {
    if (day + DAY_MS - HOUR_MS > this.followClock()) return null;
    return this.late.waitingIn(day) ? null : this.late.changesOf(day);
  }

  /** One round: drops for late data, hours due to close, late sources due for their recompute. */
  tick(): Promise<void> {
    this.ticking ??= this.round()
      .catch((err: Error) => this.o.log.error({ err }, 'rollup round failed; retried on the next tick'))
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async round(): Promise<void> {
    const drops = this.pendingDrops;
    this.pendingDrops = [];
    if (drops.length > 0) await this.write(() => this.o.store.drop(drops));
    this.rawLate.expire(this.o.now());
    if (!this.keeps) return void this.late.takeDue(this.o.now(), this.o.settleMs, this.o.maxLateWaitMs); // settled: read from raw
    await this.closeDue();
    await this.recomputeLate();
    await this.compactClosed();
  }

  /**
   * Packs the kept hours of the oldest closed day not packed yet (one row per source-day): one day
   * per round, so a store an older version left with months of hours does not hold up closing.
   */
  private async compactClosed(): Promise<void> {
    const first = await this.o.store.oldestUnpacked(dayStartOf(this.closedThrough + HOUR_MS, this.o.utcOffsetMinutes));
    if (first === null) return;
    const day = dayStartOf(first, this.o.utcOffsetMinutes);
    let packed = 0;
    await this.write(async () => {
      packed = await this.o.store.compact(day);
    });
    this.o.log.debug({ day, sources: packed }, 'rollup day packed');
    if (packed > 0) this.o.onDayPacked?.(day);
  }

  private write(op: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(op);
    return this.writes;
  }

  private async put(hours: readonly SourceHour[]): Promise<void> {
    for (let i = 0; i < hours.length; i += WRITE_BATCH) {
      // The event loop gets a turn between batches: SQLite writes synchronously underneath, and a
      // province's day of hours (480,000) would otherwise hold requests and readings for seconds.
      if (i > 0) await nextTurn();
      await this.write(() => this.o.store.put(hours.slice(i, i + WRITE_BATCH)));
    }
  }

  private async closeDue(): Promise<void> {
    const now = this.o.now();
    const due: number[] = [];
    for (let h = this.closedThrough + HOUR_MS; h + HOUR_MS + this.o.graceMs() <= now && due.length < HOURS_PER_ROUND; h += HOUR_MS)
      due.push(h);
    if (due.length === 0) return;
    const fromMemory = new Map(due.map((h) => [h, this.open.take(h)]));
    // From here a reading for these hours is late (queued, and left out of what this round writes).
    this.closedThrough = due.at(-1) as number;
    const out: SourceHour[] = [];
    const needRaw = new Map<string, number[]>();
    for (const mn of this.o.sources()) {
      const since = this.o.heardSince ? this.o.heardSince(mn) : -Infinity;
      if (since === null) continue; // another worker's: it closes them
      for (const hour of due) {
        const kept = hour >= since ? fromMemory.get(hour)?.get(mn) : undefined;
        const seen = fromMemory.get(hour)?.has(mn) ?? false;
        if (kept) out.push(kept);
        else if (!seen && hour >= this.rawBefore && hour >= since) out.push(emptyHour(mn, hour, this.o.conversion(mn)));
        else (needRaw.get(mn) ?? needRaw.set(mn, []).get(mn))?.push(hour);
      }
    }
    // A source whose raw query fails is left out: its hours stay missing, and a read computes them.
    await this.fromRaw([...needRaw], out, () => undefined);
    await this.put(out.filter((h) => !this.isLate(h.mn, h.hour)));
    this.counts.hoursWritten += out.length;
    this.counts.hoursFromRaw += [...needRaw.values()].reduce((a, hs) => a + hs.length, 0);
    this.o.log.debug({ hours: due.length, sourceHours: out.length, fromRaw: needRaw.size }, 'rollup hours closed');
  }

  private async recomputeLate(): Promise<void> {
    const now = this.o.now();
    const due = this.late.takeDue(now, this.o.settleMs, this.o.maxLateWaitMs, this.o.intakeBehind?.());
    if (due.length === 0) return;
    const out: SourceHour[] = [];
    // A source whose raw query fails waits again, its hours missing from the store (a read computes them).
    await this.fromRaw(due, out, (mn, hours) => this.late.requeue(mn, hours, now), this.o.latePace);
    await this.put(out.filter((h) => !this.isLate(h.mn, h.hour)));
    for (const h of out) this.late.touch(h.hour);
    this.counts.lateRecomputes += out.length;
  }

  /**
   * Sources' hours from raw records into `out` (planRawReads), half `concurrency` reads at once; paced:
   * one at a time, each then a pause of `pace` times its duration if live readings came meanwhile
   * (else nothing needs the loop's rest: a replayed day is done sooner). A failed read's: `failed`.
   */
  private async fromRaw(items: [string, number[]][], out: SourceHour[], failed: Failed, pace = 0): Promise<void> {
    let errors = 0;
    let last: unknown;
    await pool(planRawReads(items), pace > 0 ? 1 : Math.max(1, Math.floor(this.o.concurrency / 2)), async (read) => {
      const [started, taken] = [performance.now(), this.taken];
      try {
        out.push(...(await hoursFromRaw(this.o.records, read, this.o.conversion, this.o.utcOffsetMinutes)));
      } catch (err) {
        [errors, last] = [errors + read.sources.length, err];
        for (const [mn, hours] of read.sources) failed(mn, hours);
      }
      if (pace > 0 && this.taken !== taken) await (this.o.pause ?? sleep)((performance.now() - started) * pace);
    });
    if (errors > 0)
      this.o.log.warn({ err: last, sources: errors }, 'rollup hours could not be computed from the raw records; retried later');
  }

  /** Waits for what is being written; queued drops are written too. */
  async flush(): Promise<void> {
    await this.ticking;
    const drops = this.pendingDrops;
    this.pendingDrops = [];
    if (drops.length > 0) await this.write(() => this.o.store.drop(drops));
    await this.writes;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  stats(): RollupStats {
    const { entries, numbers } = this.open.size();
    return { ...this.counts, memoryEntries: entries, memoryNumbers: numbers, lateQueued: this.late.queued };
  }

  /** A reader's closed hours follow the clock (a writer's, its closing); the latest closed hour's start. */
  private followClock(): number {
    if (!this.keeps) this.closedThrough = Math.max(this.closedThrough, this.hourOf(this.o.now() - this.o.graceMs()) - HOUR_MS);
    return this.closedThrough;
  }

  /** Every hour in [from, to) (hour-aligned) of each source that has begun: mn → hour start → SourceHour. */
  hours(mns: readonly string[], from: number, to: number, allSources = false): Promise<Map<string, Map<number, SourceHour>>> {
    return this.hoursOf(mns, from, to, allSources, true);
  }

  /**
   * `hours`, where `withSilent` false leaves out the hours of a source with no raw record in them
   * (a packed day reads an hour left out as one with nothing received: the day's readers need not
   * have them built, 480,000 of them for a province's day after an install).
   */
  private async hoursOf(
    mns: readonly string[],
    from: number,
    to: number,
    allSources: boolean,
    withSilent: boolean,
  ): Promise<Map<string, Map<number, SourceHour>>> {
    this.rawOpen.closedThrough(this.followClock());
    const now = this.o.now();
    const out = new Map<string, Map<number, SourceHour>>(mns.map((mn) => [mn, new Map()]));
    const hours = hoursIn(from, to).filter((h) => h <= now);
    const closed = hours.filter((h) => h <= this.closedThrough);
    const missing = new Map<string, number[]>();
    const lack = (mn: string, hour: number) => (missing.get(mn) ?? missing.set(mn, []).get(mn))?.push(hour);
    if (closed.length > 0) {
      for (const h of await this.o.store.get(allSources ? null : mns, from, (closed.at(-1) as number) + HOUR_MS)) {
        // An entry counted at another interval (the registry's intervalS changed since) is recomputed.
        if (h.intervalS === this.o.conversion(h.mn).intervalS && !this.isLate(h.mn, h.hour)) out.get(h.mn)?.set(h.hour, h);
      }
      for (const mn of mns) {
        const have = out.get(mn);
        if (have?.size === 0 && !this.late.waitsFor(mn))
          missing.set(mn, [...closed]); // the common case after an install: none kept
        else
          for (const h of closed) {
            if (have?.has(h)) continue;
            // Late data waits on it: as computed from raw a moment ago, else from raw.
            const computed = this.isLate(mn, h) ? this.rawLate.get(mn, h, now) : undefined;
            if (computed) have?.set(h, computed);
            else lack(mn, h);
          }
      }
    }
    for (const mn of mns) {
      for (const h of hours) {
        if (h <= this.closedThrough) continue;
        // From memory; empty (no reading since start); as computed from raw a moment ago; else from raw.
        const current = this.open.current(mn, h);
        const hour =
          current ?? (current === null && h >= this.rawBefore ? emptyHour(mn, h, this.o.conversion(mn)) : this.rawOpen.get(mn, h, now));
        if (hour) out.get(mn)?.set(h, hour);
        else lack(mn, h);
      }
    }
    await this.fill(out, missing, withSilent);
    return out;
  }

  /**
   * One local day of each source, packed: a closed day's row as the store keeps it when it is
   * complete and current (every hour, counted at the source's interval, no late data waiting),
   * else built from `hours` (today, a day not packed yet, recomputed hours), leaving out the hours
   * of a source with no raw record in them: a packed day's readers count an hour left out as one
   * with nothing received, and a silent source's day is EMPTY_DAY. `kept` collects the sources
   * answered from their kept row.
   */
  async days(mns: readonly string[], day: number, allSources = false, kept?: Set<string>): Promise<ReadonlyMap<string, Uint8Array>> {
    if (!allSources || kept) return this.daysOf(mns, day, allSources, kept);
    // Every source's day asked again while it is being built (three dashboards opening at once):
    // one build, its answer shared (read only), rather than a province's day built three times over.
    let building = this.allSourceDays.get(day);
    if (!building) {
      building = this.daysOf(mns, day, true).finally(() => this.allSourceDays.delete(day));
      this.allSourceDays.set(day, building);
    }
    return building;
  }

  private async daysOf(mns: readonly string[], day: number, allSources: boolean, kept?: Set<string>): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    if (day + DAY_MS - HOUR_MS <= this.followClock()) {
      const wanted = new Set(mns);
      const view = new DayView();
      for (const p of await this.o.store.getDays(allSources ? null : mns, day, day + 1))
        if (wanted.has(p.mn) && this.current(view.readHours(day, p.data), p.mn)) {
          out.set(p.mn, p.data);
          kept?.add(p.mn);
        }
    }
    const rest = out.size === 0 ? mns : mns.filter((mn) => !out.has(mn));
    if (rest.length === 0) return out;
    for (const [mn, hours] of await this.hoursOf(rest, day, day + DAY_MS, allSources && rest.length === mns.length, false))
      out.set(mn, hours.size === 0 ? EMPTY_DAY : packDay(day, [...hours.values()]));
    return out;
  }

  /** A packed closed day holds all its hours, each counted at the source's interval, none waiting for late data. */
  private current(v: DayView, mn: string): boolean {
    if (v.hours !== 24) return false;
    const intervalS = this.o.conversion(mn).intervalS;
    for (let i = 0; i < v.hours; i++)
      if (v.hour[i * HOUR_FIELDS + H_INTERVAL_S] !== intervalS || this.isLate(mn, v.hourStart(i))) return false;
    return true;
  }

  /**
   * Computes from raw what a read lacked; closed hours that no late data is waiting on are kept. A
   * source without a raw record in the range gets its empty hours without a read of its own (none
   * at all unless `withSilent`: a packed day needs no empty hour), and they are not kept. After an
   * install, or a day the server was down, that is most of a province's 20,000 (40,000 queries of
   * nothing); kept, 480,000 empty rows would be written and every later read of that day would take
   * them back from the store (measured: 2.5 s of a held event loop); asked again, the two questions
   * of `splitByRawRecords` answer it as cheaply.
   */
  private async fill(out: Map<string, Map<number, SourceHour>>, missing: Map<string, number[]>, withSilent: boolean): Promise<void> {
    if (missing.size === 0) return;
    const now = this.o.now();
    const keep: SourceHour[] = [];
    const found = (computed: readonly SourceHour[], kept: boolean) => {
      for (const h of computed) {
        out.get(h.mn)?.set(h.hour, h);
        if (h.hour > this.closedThrough) this.rawOpen.set(h, now);
        else if (kept && this.isLate(h.mn, h.hour)) this.rawLate.set(h, now);
        else if (kept && this.keeps) keep.push(h);
      }
    };
    const [read, silent] = await splitByRawRecords(this.o.records, missing);
    await pool(planRawReads(read), this.o.concurrency, async (r) =>
      found(await hoursFromRaw(this.o.records, r, this.o.conversion, this.o.utcOffsetMinutes), true),
    );
    // No I/O between them: the event loop gets turns for the rest.
    await eachInTurns(withSilent ? silent : [], EMPTY_SLICE, ([mn, hours]) => {
      const c = this.o.conversion(mn);
      found(
        hours.map((h) => emptyHour(mn, h, c)),
        false,
      );
    });
    await this.put(keep);
    this.o.log.debug({ sourceHours: keep.length }, 'rollup hours the store lacked, computed from raw records and kept');
  }
}
