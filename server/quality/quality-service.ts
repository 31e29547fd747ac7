/**
 * Data quality at run time (issue 19): the transmission figures of a month or quarter from the
 * reports' hourly rollup (the arithmetic of GET /api/reports/transmission), the alerts of the period
 * (suspected falsification) and the open offline alerts (outage tiers), judged by quality-figures.ts;
 * and comparison tests (比对监测): the mean of the valid online values of the officer's period, from
 * the telemetry store, judged against the reference mean by the configured HJ 75 criteria and kept
 * in the comparison store.
 */
import { OFFLINE_RULE, type Alert } from '../domain/alert';
import { catalog } from '../domain/catalog';
import { HttpError } from '../domain/errors';
import type { ComparisonInput, ComparisonTest, QualityPeriod, QualityRules, TransmissionQuality } from '../domain/quality';
import { judgeComparison } from '../domain/quality';
import { isValidFlag, primaryValue, type DataKind } from '../domain/reading';
import { sourceDistrict, type Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { RuleParams } from '../domain/rule-pack';
import { SUSPECT_RULES } from '../domain/rule-ids';
import type { SourceHour } from '../storage/hourly-rollup';
import type { AlertRuleCount } from '../storage/alert-queries';
import type { ComparisonStore } from '../storage/sql/comparison-store';
import type { TelemetryStore } from '../storage/telemetry-store';
import { transmissionQuality, type Outage } from './quality-figures';

export interface QualityServiceDeps {
  registry: RegistryView;
  /** The reports' rollup hours of these sources in [from, to): mn → hour start → entry. */
  rollupHours: (mns: readonly string[], from: number, to: number) => Promise<Map<string, Map<number, SourceHour>>>;
  /** How many alerts each source opened under each rule in [from, to), any state. */
  alertCounts: (from: number, to: number) => Promise<AlertRuleCount[]>;
  /** Open alerts now. */
  openAlerts: () => Alert[];
  /** A source's effective rule parameters (offline.caseAfterS). */
  paramsOf: (mn: string) => RuleParams | undefined;
  telemetry: Pick<TelemetryStore, 'series'>;
  store: ComparisonStore;
  rules: QualityRules;
  now: () => number;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

export class QualityService {
  constructor(private readonly d: QualityServiceDeps) {}

  get rules(): QualityRules {
    return this.d.rules;
  }

  /** The page's figures over `sources` (the caller's visible ones). */
  async transmission(period: QualityPeriod, sources: readonly Source[]): Promise<TransmissionQuality> {
    const now = this.d.now();
    const { enterprises } = this.d.registry.current();
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const judged = sources.filter((s) => s.kind !== 'ambient' && s.position !== 'inlet');
    const end = Math.min(period.to, now);
    const hours =
      end > period.from
        ? await this.d.rollupHours(
            judged.map((s) => s.mn),
            period.from,
            end,
          )
        : new Map();
    const suspected = new Map<string, number>();
    for (const c of await this.d.alertCounts(period.from, period.to)) {
      if (SUSPECT_RULES.includes(c.rule)) suspected.set(c.mn, (suspected.get(c.mn) ?? 0) + c.count);
    }
    const inputs = judged.map((source) => ({
      source,
      enterprise: byId.get(source.enterpriseId),
      district: sourceDistrict(source, enterprises),
      hours: hours.get(source.mn)?.values() ?? [],
      suspected: suspected.get(source.mn) ?? 0,
    }));
    const visible = new Map(judged.map((s) => [s.mn, s]));
    const outages: Outage[] = this.d
      .openAlerts()
      .filter((a) => a.rule === OFFLINE_RULE && a.state === 'active' && visible.has(a.mn))
      .map((a) => {
        const since = typeof a.evidence?.['countedFrom'] === 'number' ? a.evidence['countedFrom'] : a.openedAt;
        const source = visible.get(a.mn) as Source;
        const caseAfterS = this.d.paramsOf(a.mn)?.offline.caseAfterS ?? 259_200;
        return { mn: a.mn, enterpriseId: a.enterpriseId, district: sourceDistrict(source, enterprises), since, caseAfterS };
      });
    return transmissionQuality(inputs, outages, period, now, this.d.rules.transmission);
  }

  list(enterpriseId: string | null): Promise<ComparisonTest[]> {
    return this.d.store.list({ enterpriseId });
  }

  /** The online mean of [from, to): valid real-time values, else valid minute means; null when none. */
  async onlineMean(source: Source, factor: string, from: number, to: number): Promise<{ mean: number | null; samples: number }> {
    for (const cn of ['2011', '2051'] as DataKind[]) {
      const values = (await this.d.telemetry.series({ mn: source.mn, factor, from, to, cn }))
        .filter((p) => isValidFlag(p.flag))
        .map((p) => primaryValue(cn, p))
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (values.length > 0) return { mean: round(values.reduce((a, b) => a + b, 0) / values.length), samples: values.length };
    }
    return { mean: null, samples: 0 };
  }

  /** Judges and keeps a comparison test of `source` (visible to the caller). */
  async record(source: Source, input: ComparisonInput, actor: string): Promise<ComparisonTest> {
    const maxMs = this.d.rules.comparison.maxSpanH * 3_600_000;
    if (input.to - input.from > maxMs)
      throw new HttpError(400, 'bad_request', `a comparison period is at most ${this.d.rules.comparison.maxSpanH} h`);
    if (input.to > this.d.now()) throw new HttpError(400, 'bad_request', 'the comparison period must have ended');
    const online = await this.onlineMean(source, input.factor, input.from, input.to);
    const referenceMean = round(input.referenceValues.reduce((a, b) => a + b, 0) / input.referenceValues.length);
    const judged =
      online.mean === null ? null : judgeComparison(referenceMean, online.mean, this.d.rules.comparison.criteria[input.factor]);
    return this.d.store.insert({
      mn: source.mn,
      enterpriseId: source.enterpriseId,
      factor: input.factor,
      unit: catalog.get(input.factor)?.unit ?? '',
      from: input.from,
      to: input.to,
      referenceValues: input.referenceValues,
      referenceMean,
      onlineMean: online.mean,
      onlineSamples: online.samples,
      errorKind: judged?.errorKind ?? null,
      error: judged && Number.isFinite(judged.error) ? judged.error : null,
      allowed: judged?.allowed ?? null,
      pass: judged?.pass ?? null,
      note: input.note || null,
      createdBy: actor,
      createdAt: this.d.now(),
    });
  }
}
