/**
 * Ambient-air alerts as hours close (issue 17; PLANS D8, D12, section 7): once an hour has ended
 * (+ the rule pack's limitHour.graceS), every ambient station's valid hour means of the six
 * pollutants are loaded from the TelemetryStore as GET /api/air/aqi loads them (hour-series.ts) and
 * judged by the pure rules of server/rules/ambient-hour-rules.ts — 爆表, hotspot against the city
 * mean (with the registered sources nearby, upwind from the station's wind direction that hour),
 * the 8-h O3 mean — with each station's effective rule parameters (the pack and its overrides).
 * Findings go to the alert lifecycle like every rule's: raised, kept while the condition holds,
 * cleared when it does not, one open alert per (station, factor, rule).
 *
 * Hours are judged once, in order: those that close after the start (no backfill of older data),
 * at most a day of them at a time after an outage; an hour whose data could not be read is tried
 * again at the next tick.
 */
import type { Finding } from '../domain/alert';
import { AIR_FACTORS, AIR_POLLUTANTS, type HourSeries } from '../domain/aqi-records';
import { circularMeanDeg } from '../domain/geo';
import { HOUR_MS, hourStartOf } from '../domain/local-time';
import { isValidFlag, primaryValue, type DataKind } from '../domain/reading';
import type { Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { HotspotIndex, RuleParams } from '../domain/rule-pack';
import type { Logger } from '../logger';
import {
  cityMeans,
  judgeHotspot,
  judgeOffScale,
  judgeOzone8h,
  MAX_HOTSPOT_HOURS,
  nearbySources,
  type NearbyCandidate,
} from '../rules/ambient-hour-rules';
import type { TelemetryStore } from '../storage/telemetry-store';
import { Ticked } from '../ticked-job';
import { loadHourMeans } from './hour-series';

/** At most this many closed hours are judged in one tick (catching up after an outage). */
export const MAX_CATCH_UP_HOURS = 24;

export interface AmbientAlertsDeps {
  store: TelemetryStore;
  registry: RegistryView;
  /** A station's effective rule parameters (the rule pack, its overrides); undefined: unknown to the rules. */
  paramsOf: (mn: string) => RuleParams | undefined;
  /** The alert lifecycle (AlertService.apply). */
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  /** Local time of the hours (minutes east of UTC). */
  utcOffsetMinutes: number;
  /** Share of an hour's expected real-time samples for a valid hour mean (HJ 75: 0.75). */
  minHourCoverage: number;
  /** How long after its end an hour closes (the pack's limitHour.graceS), ms. */
  graceMs: () => number;
  tickMs: number;
  /** The timer judges only while this says so (a cluster's jobs lease: one process of the cluster); `tick()` always runs. */
  when?: () => boolean;
  log: Logger;
  now: () => number;
}

interface Station {
  source: Source;
  params: RuleParams;
  series: HourSeries;
}

export class AmbientAlertService extends Ticked {
  /** Hours starting before this have been judged. */
  private judgedUntil: number;
  constructor(private readonly deps: AmbientAlertsDeps) {
    super({ name: 'ambient alerts', everyMs: deps.tickMs, log: deps.log, when: deps.when });
    this.judgedUntil = this.closedUntil();
  }

  /** Hours starting before this have closed. */
  private closedUntil(): number {
    return hourStartOf(this.deps.now() - this.deps.graceMs(), this.deps.utcOffsetMinutes);
  }

  /** Judges the hours closed since the last tick. */
  protected async run(): Promise<void> {
    const until = this.closedUntil();
    if (until <= this.judgedUntil) return;
    const first = Math.max(this.judgedUntil, until - MAX_CATCH_UP_HOURS * HOUR_MS);
    const { sources, enterprises } = this.deps.registry.current();
    const ambient = sources.filter((s) => s.kind === 'ambient');
    let stations: Station[];
    try {
      stations = await this.load(ambient, first - (MAX_HOTSPOT_HOURS - 1) * HOUR_MS, until);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'ambient alerts: store query failed, hours judged at the next tick');
      return;
    }
    const names = new Map(enterprises.map((e) => [e.id, e.name]));
    const candidates: NearbyCandidate[] = sources
      .filter((s) => s.kind !== 'ambient')
      .map((s) => ({ mn: s.mn, name: s.name, enterprise: names.get(s.enterpriseId) ?? '', lat: s.lat, lon: s.lon }));
    const all = stations.map((s) => s.series);
    const window: number[] = [];
    for (let h = first - (MAX_HOTSPOT_HOURS - 1) * HOUR_MS; h < until; h += HOUR_MS) window.push(h);
    const meansByIndex = new Map<HotspotIndex, Map<number, number>>();
    const meansOf = (index: HotspotIndex) => {
      let m = meansByIndex.get(index);
      if (!m) meansByIndex.set(index, (m = cityMeans(all, index, window)));
      return m;
    };
    for (let hour = first; hour < until; hour += HOUR_MS) {
      for (const st of stations) {
        const findings = [
          ...judgeOffScale(st.source.mn, st.series, hour, st.params.aqiOffScale),
          ...(await this.hotspot(st, hour, meansOf(st.params.hotspot.index), candidates)),
          ...judgeOzone8h(st.source.mn, st.series, hour, st.params.ozone8h),
        ];
        if (findings.length > 0) this.deps.sink.apply(findings, st.source.enterpriseId);
      }
    }
    this.judgedUntil = until;
  }

  /** The hotspot finding; when raised, with the sources near the station and its wind that hour. */
  private async hotspot(st: Station, hour: number, means: Map<number, number>, candidates: NearbyCandidate[]): Promise<Finding[]> {
    const input = { mn: st.source.mn, series: st.series, cityMeans: means, hour, params: st.params.hotspot, nearby: [] };
    const first = judgeHotspot(input);
    if (first[0]?.type !== 'exceeded') return first;
    const windFrom = await this.windFrom(st.source, st.params.hotspot.windFactor, hour);
    const nearby = nearbySources(st.source, windFrom, candidates, st.params.hotspot);
    return judgeHotspot({ ...input, nearby, windFrom });
  }

  /**
   * The station's wind direction in the hour: the circular mean of its hour record(s), else of its
   * real-time values (valid ones only); null when it sends none (or they cancel out) or the store fails.
   */
  private async windFrom(source: Source, factor: string, hour: number): Promise<number | null> {
    const q = { mn: source.mn, factor, from: hour, to: hour + HOUR_MS };
    try {
      for (const cn of ['2061', '2011'] as DataKind[]) {
        const values = (await this.deps.store.series({ ...q, cn }))
          .filter((p) => isValidFlag(p.flag))
          .map((p) => primaryValue(cn, p))
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        if (values.length > 0) return circularMeanDeg(values);
      }
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, mn: source.mn }, 'ambient alerts: wind direction not read');
    }
    return null;
  }

  /** Each ambient station known to the rules, with its valid hour means of the six pollutants over [from, to). */
  private async load(ambient: readonly Source[], from: number, to: number): Promise<Station[]> {
    const { store, utcOffsetMinutes: offsetMin, minHourCoverage: minCoverage } = this.deps;
    const out: Station[] = [];
    for (const source of ambient) {
      const params = this.deps.paramsOf(source.mn);
      if (!params) continue;
      const series: HourSeries = {};
      for (const p of AIR_POLLUTANTS) {
        const q = { mn: source.mn, factor: AIR_FACTORS[p], from, to, intervalS: source.intervalS, minCoverage, offsetMin };
        series[p] = await loadHourMeans(store, q);
      }
      out.push({ source, params, series });
    }
    return out;
  }
}
