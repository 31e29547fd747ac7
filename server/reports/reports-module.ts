/**
 * Builds the reports: the rollup cache over the hourly rollup store the telemetry stage opened beside
 * the telemetry store (InfluxDB measurement `report_hourly`, or a SQLite file `reports.db` in the
 * data directory), the service and the router. It is fed every accepted reading (late ones drop their hour).
 */
import type { Router } from 'express';
import type { Alert } from '../domain/alert';
import type { Reading } from '../domain/reading';
import type { Source } from '../domain/registry';
import { derived } from '../domain/registry-derived';
import type { RegistryView } from '../domain/registry-view';
import { reportsRouter } from '../http/reports-router';
import type { Logger } from '../logger';
import type { RuleBook } from '../rules/rule-book';
import type { HourlyRollupStore } from '../storage/hourly-rollup';
import type { TelemetryRecordReader } from '../storage/telemetry-store';
import { HourlyRollupCache } from './hourly-rollup-cache';
import { ReportService } from './report-service';

export interface ReportsModuleDeps {
  /** Whole records from the telemetry store. */
  records: TelemetryRecordReader;
  /** The rollup store beside the telemetry store (closed on stop). */
  rollups: HourlyRollupStore;
  /** The live registry: reports cover the sources registered when they are asked for. */
  registry: RegistryView;
  ruleBook: RuleBook;
  /** Alerts opened in [from, to), any state. */
  alertsOpened: (from: number, to: number) => Pick<Alert, 'mn' | 'rule'>[];
  log: Logger;
  now: () => number;
}

export interface ReportsModule {
  service: ReportService;
  router: Router;
  /** Every accepted reading (beside the rules). */
  onReading(reading: Reading): void;
  stop(): Promise<void>;
}

/** How long after a late reading its hour is recomputed on every read instead of kept (the writer's flush lag). */
const SETTLE_MS = 10_000;
/** Source-hours kept in memory: a day of 500 sources and some. */
const MEMORY_ENTRIES = 15_000;

export async function startReports(d: ReportsModuleDeps): Promise<ReportsModule> {
  const store = d.rollups;
  await store.init();
  const sources = derived(d.registry, (r) => new Map<string, Source>(r.sources.map((s) => [s.mn, s])));
  const enterprises = derived(d.registry, (r) => new Map(r.enterprises.map((e) => [e.id, e.name])));
  const utcOffsetMinutes = d.ruleBook.rulePack.utcOffsetMinutes;
  const rollup = new HourlyRollupCache({
    records: d.records,
    store,
    // Reference and measured-O2 cap as the rules use them (the rule pack's o2Conversion.measuredCap).
    conversion: (mn) => ({ ...d.ruleBook.conversionOf(mn), intervalS: sources().get(mn)?.intervalS ?? 30 }),
    utcOffsetMinutes,
    graceMs: () => d.ruleBook.rulePack.limitHour.graceS * 1000,
    settleMs: SETTLE_MS,
    memoryEntries: MEMORY_ENTRIES,
    concurrency: 4,
    now: d.now,
    log: d.log,
  });
  const service = new ReportService({
    rollup,
    subject: (mn, at) => {
      const s = d.ruleBook.subject(mn, at);
      if (!s) return undefined;
      return {
        source: s.source,
        enterpriseName: enterprises().get(s.source.enterpriseId) ?? s.source.enterpriseId,
        limits: s.limits,
        minValidMinutes: s.params.limitHour.minValidMinutes,
        minValidHours: s.params.limitDay.minValidHours,
      };
    },
    alertsOpened: d.alertsOpened,
    utcOffsetMinutes,
    now: d.now,
  });
  const router = reportsRouter({ reports: service, source: (mn) => sources().get(mn), allSources: () => d.registry.current().sources });
  return {
    service,
    router,
    onReading: (r) => rollup.onReading(r),
    async stop() {
      await rollup.flush();
      await store.close();
    },
  };
}
