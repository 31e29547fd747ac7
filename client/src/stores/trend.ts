/**
 * Short history per (source, factor) for the trend chart: the stored values of the last half hour
 * are fetched when a series is first selected, then live batches extend it. The buffers
 * are plain objects inside one shallowRef: pushing does not make thousands of points reactive;
 * `triggerRef` after each batch tells the chart to redraw.
 */
import type { LatestValues } from '@domain/events';
import { primaryValue } from '@domain/reading';
import type { SourceKind } from '@domain/source-kinds';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { fetchSeries } from '../api/rest';
import { RingBuffer } from '../charts/ring-buffer';

/** Points kept per (source, factor): 30 min of 5-second data, 6 h of 2-minute data. */
export const TREND_CAPACITY = 360;
/** How far back the history fetched on selection reaches. */
export const HISTORY_MS = 30 * 60_000;

/** The factor a source kind is judged by first; the trend shows it unless another is picked. */
export const MAIN_FACTOR: Record<SourceKind, string> = {
  cems: 'a21002', // NOx
  vocs: 'a24088', // NMHC
  ammonia: 'a21001', // NH3 slip
  vapour: 'apr01', // tank pressure
  ambient: 'a05024', // O3
};

export interface TrendPoint {
  ts: number;
  value: number;
  /** Data flag was N (valid data). */
  valid: boolean;
}

export interface TrendSelection {
  mn: string;
  factor: string;
}

const key = (mn: string, factor: string): string => `${mn}|${factor}`;

export const useTrendStore = defineStore('trend', () => {
  const buffers = shallowRef(new Map<string, RingBuffer<TrendPoint>>());
  const selected = ref<TrendSelection | null>(null);

  function record(batch: readonly LatestValues[]): void {
    const map = buffers.value;
    for (const latest of batch) {
      for (const [factor, fv] of Object.entries(latest.factors)) {
        const value = primaryValue(latest.cn, fv);
        if (value === undefined) continue;
        const k = key(latest.mn, factor);
        let buf = map.get(k);
        if (!buf) map.set(k, (buf = new RingBuffer<TrendPoint>(TREND_CAPACITY)));
        const prev = buf.last();
        if (prev && latest.ts <= prev.ts) continue;
        buf.push({ ts: latest.ts, value, valid: fv.flag === 'N' });
      }
    }
    triggerRef(buffers);
  }

  const historyLoaded = new Set<string>();

  /** Puts stored points older than the live ones in front of them. */
  function prepend(k: string, history: TrendPoint[]): void {
    const live = buffers.value.get(k)?.toArray() ?? [];
    const firstLive = live[0]?.ts ?? Infinity;
    const buf = new RingBuffer<TrendPoint>(TREND_CAPACITY);
    for (const p of history) if (p.ts < firstLive) buf.push(p);
    for (const p of live) buf.push(p);
    buffers.value.set(k, buf);
    triggerRef(buffers);
  }

  async function loadHistory(mn: string, factor: string, now: number): Promise<void> {
    const k = key(mn, factor);
    if (historyLoaded.has(k)) return;
    historyLoaded.add(k);
    try {
      const points = await fetchSeries(mn, factor, now - HISTORY_MS);
      prepend(
        k,
        points.flatMap((p) => {
          const value = p.rtd ?? p.avg;
          return value === undefined ? [] : [{ ts: p.ts, value, valid: p.flag === 'N' }];
        }),
      );
    } catch {
      historyLoaded.delete(k); // the live data still flows; try again on the next selection
    }
  }

  function select(mn: string, factor: string, now: number = Date.now()): Promise<void> {
    selected.value = { mn, factor };
    return loadHistory(mn, factor, now);
  }

  /** Points of the selected series, oldest first. */
  const points = computed<TrendPoint[]>(() => {
    const s = selected.value;
    return s ? (buffers.value.get(key(s.mn, s.factor))?.toArray() ?? []) : [];
  });

  return { selected, points, record, select };
});
