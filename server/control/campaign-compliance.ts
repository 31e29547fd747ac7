/**
 * Compliance of the enterprises a campaign affects: for each of their outlets whose kind is listed
 * in `compliance.factors` (CEMS NOx, VOCs NMHC), the emission rate over the campaign hours against
 * the same hours of the days before (emission-baseline.ts). Hour means come from the store.
 */
import type { Campaign, CampaignCompliance, EmissionComparison, EnterpriseCompliance } from '../domain/campaign';
import type { Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { TelemetryStore } from '../storage/telemetry-store';
import { baselineRange, compareWithBaseline, hourlyRates } from './emission-baseline';
import { loadHourMeans } from './hour-series';
import type { OzoneRules } from './ozone-rules';
import { sourcesOf } from '../domain/registry';

export class ComplianceCalculator {
  constructor(
    private readonly store: TelemetryStore,
    private readonly registry: RegistryView,
    private readonly rules: OzoneRules,
  ) {}

  /** The campaign's compliance up to `until` (its end when closed), for its affected enterprises (or those given). */
  async compute(c: Campaign, until: number, enterpriseIds: readonly string[] = c.affected): Promise<CampaignCompliance> {
    const { compliance, utcOffsetMinutes: off } = this.rules;
    const window = { from: c.from, to: Math.max(c.from, Math.min(c.to, until, c.closedAt ?? Number.POSITIVE_INFINITY)) };
    const baseline = { ...baselineRange(window.from, compliance.baselineDays, off), days: compliance.baselineDays };
    const registry = this.registry.current();
    const names = new Map(registry.enterprises.map((e) => [e.id, e.name]));
    const enterprises = await Promise.all(
      enterpriseIds.map(async (id): Promise<EnterpriseCompliance> => {
        const outlets = sourcesOf(registry.sources, id).filter((s) => s.position === 'outlet');
        const pairs = outlets.flatMap((s) =>
          compliance.factors.filter((f) => f.kind === s.kind).map((f) => ({ source: s, factor: f.factor })),
        );
        const items = await Promise.all(pairs.map((p) => this.compare(p.source, p.factor, window, baseline.from, c.reductionPct)));
        return { enterpriseId: id, enterpriseName: names.get(id) ?? id, status: statusOf(items), items };
      }),
    );
    return { campaignId: c.id, window, baseline, targetPct: c.reductionPct, computedAt: until, enterprises };
  }

  private async compare(
    source: Source,
    factor: string,
    window: { from: number; to: number },
    baselineFrom: number,
    targetPct: number,
  ): Promise<EmissionComparison> {
    const { compliance, utcOffsetMinutes: off, status } = this.rules;
    const q = {
      mn: source.mn,
      from: baselineFrom,
      to: window.to,
      intervalS: source.intervalS,
      minCoverage: status.minHourCoverage,
      offsetMin: off,
    };
    const [conc, flow] = await Promise.all([
      loadHourMeans(this.store, { ...q, factor }),
      loadHourMeans(this.store, { ...q, factor: compliance.flowFactor }),
    ]);
    const result = compareWithBaseline({
      rates: hourlyRates(conc, flow),
      window,
      baselineDays: compliance.baselineDays,
      targetPct,
      minHours: compliance.minHours,
      offsetMin: off,
    });
    return { mn: source.mn, sourceName: source.name, factor, ...result };
  }
}

function statusOf(items: readonly EmissionComparison[]): EnterpriseCompliance['status'] {
  if (items.length === 0) return 'not_monitored';
  if (items.some((i) => i.status === 'not_reduced')) return 'flagged';
  return items.some((i) => i.status === 'reduced') ? 'compliant' : 'nodata';
}
