/**
 * The hours still open, per source, in memory: at most MAX_SLOTS per source (the current hour, the
 * one before it during its grace, and the next one for a logger whose clock runs a little ahead).
 * A slot holds an HourAccumulator, or nothing when the hour must come from the raw store at close:
 * a reading came out of order, the hour was already running when the server started, or the
 * source's settings changed since the hour opened.
 */
import type { Reading } from '../domain/reading';
import type { SourceHour } from '../storage/hourly-rollup';
import type { ConversionSettings } from './hour-aggregate';
import { HourAccumulator } from './hour-accumulator';

const MAX_SLOTS = 3;

export interface OpenSlot {
  hour: number;
  /** null: the hour comes from the raw store. */
  acc: HourAccumulator | null;
}

const sameSettings = (a: ConversionSettings, b: ConversionSettings): boolean =>
  a.o2Ref === b.o2Ref && a.o2Cap === b.o2Cap && a.intervalS === b.intervalS;

export class OpenHours {
  private readonly bySource = new Map<string, OpenSlot[]>();

  constructor(private readonly conversion: (mn: string) => ConversionSettings) {}

  /**
   * One reading of an open hour. `fromRaw`: the hour was running before the server started (its
   * memory would miss what came before). A source past MAX_SLOTS open hours (a clock far ahead)
   * has the newest hour taken from the raw store.
   */
  add(r: Reading & { cn: '2011' | '2051' }, hour: number, fromRaw: boolean): void {
    let slots = this.bySource.get(r.mn);
    if (!slots) this.bySource.set(r.mn, (slots = []));
    let slot = slots.find((s) => s.hour === hour);
    if (!slot) {
      const acc = fromRaw || slots.length >= MAX_SLOTS ? null : new HourAccumulator(r.mn, hour, this.conversion(r.mn));
      slots.push((slot = { hour, acc }));
    }
    if (slot.acc && !slot.acc.add(r.cn, r)) slot.acc = null;
  }

  /** The hour of one source so far, from memory; undefined when it must come from the raw store; null when it has no reading. */
  current(mn: string, hour: number): SourceHour | undefined | null {
    const slot = this.bySource.get(mn)?.find((s) => s.hour === hour);
    if (!slot) return null;
    return slot.acc && sameSettings(slot.acc.settings, this.conversion(mn)) ? slot.acc.result() : undefined;
  }

  /** Removes every source's slot of the hour: mn → the hour from memory, or undefined (from the raw store). */
  take(hour: number): Map<string, SourceHour | undefined> {
    const out = new Map<string, SourceHour | undefined>();
    for (const [mn, slots] of this.bySource) {
      const i = slots.findIndex((s) => s.hour === hour);
      if (i < 0) continue;
      const acc = (slots[i] as OpenSlot).acc;
      out.set(mn, acc && sameSettings(acc.settings, this.conversion(mn)) ? acc.result() : undefined);
      slots.splice(i, 1);
      if (slots.length === 0) this.bySource.delete(mn);
    }
    return out;
  }

  /** Source-hours held, and the numbers their state holds (the memory gauges). */
  size(): { entries: number; numbers: number } {
    let entries = 0;
    let numbers = 0;
    for (const slots of this.bySource.values()) {
      entries += slots.length;
      for (const s of slots) numbers += s.acc?.size ?? 0;
    }
    return { entries, numbers };
  }
}
