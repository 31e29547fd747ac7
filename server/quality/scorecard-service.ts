/**
 * Enterprises' scorecards at run time (信用评价, PLANS H5): the facts of server/domain/scorecard.ts
 * gathered from the alert store (alerts opened in the period), the data-quality figures (effective
 * transmission of the enterprise's outlets: a year as its four quarters summed), and the case ledger.
 */
import type { Alert } from '../domain/alert';
import type { CaseView } from '../domain/case';
import { HttpError } from '../domain/errors';
import { groupBy } from '../domain/group-by';
import { parseQualityPeriod } from '../domain/quality';
import type { Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import {
  rankScorecards,
  scorecard,
  transmissionParts,
  type Scorecard,
  type ScorecardPeriod,
  type ScorecardTransmission,
} from '../domain/scorecard';
import type { QualityService } from './quality-service';

export interface ScorecardDeps {
  quality: Pick<QualityService, 'transmission' | 'rules'>;
  registry: RegistryView;
  /** Alerts opened in [from, to), of one enterprise or all. */
  alertsOpened: (from: number, to: number, enterpriseId?: string) => Promise<Alert[]>;
  /** Cases of one enterprise or all, with overdue (the bureau's view). */
  cases: (enterpriseId?: string) => Promise<CaseView[]>;
  now: () => number;
  utcOffsetMinutes: number;
}

export class ScorecardService {
  constructor(private readonly d: ScorecardDeps) {}

  /** Per outlet, the transmission figures over the period's parts (months or quarters) summed. */
  private async transmission(period: ScorecardPeriod, sources: readonly Source[]): Promise<Map<string, ScorecardTransmission>> {
    const by = new Map<string, ScorecardTransmission>();
    for (const part of transmissionParts(period)) {
      const p = parseQualityPeriod(part, this.d.utcOffsetMinutes);
      if (!p || p.from >= this.d.now()) continue;
      for (const s of (await this.d.quality.transmission(p, sources)).sources) {
        const sum = by.get(s.mn) ?? { mn: s.mn, expected: 0, received: 0, valid: 0 };
        by.set(s.mn, { mn: s.mn, expected: sum.expected + s.expected, received: sum.received + s.received, valid: sum.valid + s.valid });
      }
    }
    return by;
  }

  private async cards(period: ScorecardPeriod, enterpriseId?: string): Promise<Scorecard[]> {
    const reg = this.d.registry.current();
    const enterprises = reg.enterprises.filter((e) => enterpriseId === undefined || e.id === enterpriseId);
    const ids = new Set(enterprises.map((e) => e.id));
    const sources = reg.sources.filter((s) => ids.has(s.enterpriseId));
    const transmission = await this.transmission(period, sources);
    const alerts = await this.d.alertsOpened(period.from, period.to, enterpriseId);
    const cases = await this.d.cases(enterpriseId);
    const now = this.d.now();
    // Grouped once: a province's cards are thousands of enterprises over tens of thousands of rows.
    const sourcesOf = groupBy(sources, (s) => s.enterpriseId);
    const alertsOf = groupBy(alerts, (a) => a.enterpriseId);
    const casesOf = groupBy(cases, (c) => c.enterpriseId);
    return enterprises.map((e) =>
      scorecard({
        enterprise: { id: e.id, name: e.name, district: e.district },
        period,
        now,
        alerts: alertsOf.get(e.id) ?? [],
        transmission: (sourcesOf.get(e.id) ?? [])
          .map((s) => transmission.get(s.mn))
          .filter((t): t is ScorecardTransmission => t !== undefined),
        passRate: this.d.quality.rules.transmission.passRate,
        cases: casesOf.get(e.id) ?? [],
      }),
    );
  }

  /** One enterprise's card (404 when it is not registered). */
  async one(enterpriseId: string, period: ScorecardPeriod): Promise<Scorecard> {
    const [card] = await this.cards(period, enterpriseId);
    if (!card) throw new HttpError(404, 'not_found', `enterprise ${enterpriseId} not found`);
    return card;
  }

  /** Every emitting enterprise's card (not an operator of ambient stations only), ranked: the cleanest record first. */
  async all(period: ScorecardPeriod): Promise<Scorecard[]> {
    const emitting = new Set(
      this.d.registry
        .current()
        .sources.filter((s) => s.kind !== 'ambient')
        .map((s) => s.enterpriseId),
    );
    return rankScorecards((await this.cards(period)).filter((c) => emitting.has(c.enterpriseId)));
  }
}
