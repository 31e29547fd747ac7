/**
 * Daytime unloading during special control (issue 18 item 4; PLANS C5): while a campaign with the
 * measure `depot-night-unloading` is active, each vapour-recovery station of its affected
 * enterprises is watched on the rules' tick — its tank pressure (`apr01`, real-time, valid values)
 * over the last `lookbackMs` inside the campaign — for an unloading (domain/unloading.ts) outside the
 * night window. One found opens a `measure-noncompliance` alert (major) on the station's apr01,
 * evidence: the campaign, the measure, the run (from, to, peak, samples), the night window, 疑似;
 * the pressure back below the signature with no run in view makes it normal.
 */
import type { Finding } from '../domain/alert';
import type { Campaign } from '../domain/campaign';
import type { RegistryView } from '../domain/registry-view';
import { isValidFlag } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-ids';
import { detectUnloading, inDaytime, type UnloadingParams } from '../domain/unloading';
import { MINUTE_MS } from '../domain/local-time';
import type { Logger } from '../logger';
import type { TelemetryStore } from '../storage/telemetry-store';
import { Ticked } from '../ticked-job';

export const NIGHT_UNLOADING_MEASURE = 'depot-night-unloading';
export const TANK_PRESSURE = 'apr01';

export interface UnloadingWatchDeps {
  campaigns: { list(): Promise<Campaign[]> };
  telemetry: TelemetryStore;
  registry: RegistryView;
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  params: UnloadingParams;
  /** How far back each tick looks, ms (an unloading is found while it goes on, or after it ended). */
  lookbackMs: number;
  utcOffsetMinutes: number;
  tickMs: number;
  /** The timer judges only while this says so (a cluster's jobs lease: one process of the cluster); `tick()` always runs. */
  when?: () => boolean;
  log: Logger;
  now: () => number;
}

export class UnloadingWatch extends Ticked {
  constructor(private readonly deps: UnloadingWatchDeps) {
    super({ name: 'unloading', everyMs: deps.tickMs, log: deps.log, when: deps.when });
  }

  /** Watches the stations of the active campaigns now. */
  protected async run(): Promise<void> {
    const now = this.deps.now();
    const active = (await this.deps.campaigns.list()).filter(
      (c) => c.state === 'active' && c.from <= now && now < c.to && c.measures.some((m) => m.id === NIGHT_UNLOADING_MEASURE),
    );
    const { sources } = this.deps.registry.current();
    for (const c of active)
      for (const s of sources.filter((x) => x.kind === 'vapour' && c.affected.includes(x.enterpriseId))) {
        const findings = await this.station(c, s.mn, now);
        if (findings.length > 0) this.deps.sink.apply(findings, s.enterpriseId);
      }
  }

  private async station(c: Campaign, mn: string, now: number): Promise<Finding[]> {
    const { params, utcOffsetMinutes } = this.deps;
    const from = Math.max(c.from, now - this.deps.lookbackMs);
    const points = (await this.deps.telemetry.series({ mn, cn: '2011', factor: TANK_PRESSURE, from, to: now + 1 }))
      .filter((p) => isValidFlag(p.flag) && p.rtd !== undefined)
      .map((p) => ({ ts: p.ts, pa: p.rtd as number }));
    const last = points[points.length - 1];
    if (!last) return [];
    const daytime = detectUnloading(points, params).filter((e) => inDaytime(e, params.night, utcOffsetMinutes));
    const rule = RULE_IDS.measureNoncompliance;
    const e = daytime[daytime.length - 1];
    if (!e) return last.pa < params.minPa ? [{ type: 'normal', mn, factor: TANK_PRESSURE, rule, value: last.pa, ts: last.ts }] : [];
    const measure = c.measures.find((m) => m.id === NIGHT_UNLOADING_MEASURE);
    return [
      {
        type: 'exceeded',
        mn,
        factor: TANK_PRESSURE,
        rule,
        severity: 'major',
        value: e.peakPa,
        limit: params.minPa,
        unit: 'Pa',
        ts: e.from + params.minMinutes * MINUTE_MS,
        evidence: {
          suspected: '疑似白天卸油',
          campaign: c.name,
          measure: measure?.zh ?? '夜间卸油',
          unloadingFrom: e.from,
          unloadingTo: e.to,
          ongoing: e.ongoing,
          peakPa: e.peakPa,
          samples: e.samples,
          thresholdPa: params.minPa,
          minMinutes: params.minMinutes,
          nightWindow: `${params.night.from}–${params.night.to}`,
        },
      },
    ];
  }
}
