/**
 * One source's detail page: the chosen factor, data kind (real-time / minute / hour) and time
 * range, the stored series for them, the source's limits, its alert history and its raw frames.
 * Every load keeps what was shown before if it fails, and says so.
 */
import type { AlertHistoryEntry } from '@domain/alert';
import type { DataKind } from '@domain/reading';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { fetchSourceAlertHistory } from '../api/alerts';
import type { LimitView } from '@domain/limit-pack';
import type { RawFrameView } from '@domain/raw-frame';
import type { SeriesPoint } from '@domain/reading';
import type { SeriesResolution } from '@domain/retention';
import { fetchRawFrames, fetchSeriesRange, fetchSourceLimits } from '../api/sources';

export const DETAIL_KINDS = ['2011', '2051', '2061'] as const satisfies readonly DataKind[];
export type DetailKind = (typeof DETAIL_KINDS)[number];

export const RANGE_PRESETS = ['1h', '6h', '24h', '7d', '30d', '1y'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const HOUR = 3_600_000;
const PRESET_MS: Record<RangePreset, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
  '1y': 365 * 24 * HOUR,
};

/** The range a preset means, ending now. */
export const presetRange = (preset: RangePreset, now: number): { from: number; to: number } => ({ from: now - PRESET_MS[preset], to: now });

/** A sensible default range per data kind: real-time data is dense, hour data sparse. */
export const DEFAULT_PRESET: Record<DetailKind, RangePreset> = { '2011': '1h', '2051': '24h', '2061': '7d' };

export interface ChartPoint {
  ts: number;
  value: number;
  zs: number | undefined;
  flag: string;
}

/**
 * The value that represents a point: rtd for real-time data, avg for aggregates and for the hourly or
 * daily means a long range comes as (the answer's resolution).
 */
export function toChartPoints(cn: DetailKind, points: readonly SeriesPoint[], resolution: SeriesResolution = 'raw'): ChartPoint[] {
  return points.flatMap((p) => {
    const value = cn === '2011' && resolution === 'raw' ? (p.rtd ?? p.avg) : (p.avg ?? p.rtd);
    return value === undefined ? [] : [{ ts: p.ts, value, zs: p.zs, flag: p.flag }];
  });
}

type Load = 'idle' | 'loading' | 'ok' | 'error';

export const useSourceDetailStore = defineStore('source-detail', () => {
  const mn = ref<string | null>(null);
  const factor = ref<string | null>(null);
  const cn = ref<DetailKind>('2011');
  const range = ref(presetRange('1h', Date.now()));
  const preset = ref<RangePreset | null>('1h');

  const series = shallowRef<ChartPoint[]>([]);
  /** What the shown points are: the stored data, or hourly / daily means (ranges over 7 days / a year). */
  const resolution = ref<SeriesResolution>('raw');
  const seriesState = ref<Load>('idle');
  const limits = shallowRef<Record<string, LimitView>>({});
  const history = shallowRef<AlertHistoryEntry[]>([]);
  const historyState = ref<Load>('idle');
  const frames = shallowRef<RawFrameView[]>([]);
  const framesState = ref<Load>('idle');
  let seriesToken = 0;

  const limit = computed(() => (factor.value ? limits.value[factor.value] : undefined));
  const flagged = computed(() => series.value.filter((p) => p.flag !== 'N'));

  async function loadSeries(): Promise<void> {
    if (!mn.value || !factor.value) return;
    const token = ++seriesToken;
    seriesState.value = 'loading';
    try {
      const answer = await fetchSeriesRange(mn.value, { factor: factor.value, cn: cn.value, ...range.value });
      if (token !== seriesToken) return; // a newer request superseded this one
      resolution.value = answer.resolution;
      series.value = toChartPoints(cn.value, answer.items, answer.resolution);
      seriesState.value = 'ok';
    } catch {
      if (token === seriesToken) seriesState.value = 'error';
    }
  }

  async function loadHistory(): Promise<void> {
    if (!mn.value) return;
    historyState.value = 'loading';
    try {
      history.value = await fetchSourceAlertHistory(mn.value);
      historyState.value = 'ok';
    } catch {
      historyState.value = 'error';
    }
  }

  async function loadFrames(): Promise<void> {
    if (!mn.value) return;
    framesState.value = 'loading';
    try {
      frames.value = await fetchRawFrames(mn.value, range.value.from, range.value.to);
      framesState.value = 'ok';
    } catch {
      framesState.value = 'error';
    }
  }

  /** Opens a source: its limits, the given (or main) factor's series, its alert history. */
  async function open(nextMn: string, nextFactor: string, now: number = Date.now()): Promise<void> {
    if (mn.value !== nextMn) {
      series.value = [];
      history.value = [];
      frames.value = [];
      limits.value = {};
      framesState.value = 'idle';
    }
    mn.value = nextMn;
    factor.value = nextFactor;
    cn.value = '2011';
    preset.value = DEFAULT_PRESET['2011'];
    range.value = presetRange(preset.value, now);
    fetchSourceLimits(nextMn)
      .then((l) => (limits.value = l))
      .catch(() => (limits.value = {})); // no limits known: the chart simply has no limit line
    await Promise.all([loadSeries(), loadHistory()]);
  }

  function setFactor(next: string): Promise<void> {
    factor.value = next;
    return loadSeries();
  }

  function setKind(next: DetailKind, now: number = Date.now()): Promise<void> {
    cn.value = next;
    preset.value = DEFAULT_PRESET[next];
    range.value = presetRange(preset.value, now);
    return loadSeries();
  }

  function setPreset(next: RangePreset, now: number = Date.now()): Promise<void> {
    preset.value = next;
    range.value = presetRange(next, now);
    return loadSeries();
  }

  function setRange(from: number, to: number): Promise<void> {
    if (!(from < to)) return Promise.resolve();
    preset.value = null;
    range.value = { from, to };
    return loadSeries();
  }

  /** Follows "now" while a preset range is shown (the view calls this periodically). */
  function refresh(now: number = Date.now()): Promise<void> {
    if (preset.value === null || seriesState.value === 'loading') return Promise.resolve();
    range.value = presetRange(preset.value, now);
    return loadSeries();
  }

  return {
    refresh,
    mn,
    factor,
    cn,
    range,
    preset,
    series,
    resolution,
    seriesState,
    limits,
    limit,
    flagged,
    history,
    historyState,
    frames,
    framesState,
    open,
    setFactor,
    setKind,
    setPreset,
    setRange,
    loadSeries,
    loadHistory,
    loadFrames,
  };
});
