/**
 * Builds the reports: the continuous hourly rollup over its store (`reports.db` in the data directory,
 * or the PostgreSQL database: app.ts opens it), the service and the router. It is fed every accepted
 * reading: open hours are accumulated in memory and written as they close; late ones recompute their hour.
 * A process without the intake (`--role web`) only reads the rollup (`writesRollup: false`): the
 * processes that hear the readings write it.
 */
import type { Router } from 'express';
import type { Reading } from '../domain/reading';
import type { Source } from '../domain/registry';
import { derived } from '../domain/registry-derived';
import type { RegistryView } from '../domain/registry-view';
import { reportsRouter } from '../http/reports-router';
import type { Logger } from '../logger';
import type { RuleBook } from '../rules/rule-book';
import type { AlertRuleCount } from '../storage/alert-queries';
import type { HourlyRollupStore } from '../storage/hourly-rollup';
import type { TelemetryRecordReader } from '../storage/telemetry-store';
import { ContinuousRollup, type RollupStats } from './continuous-rollup';
import { ReportService } from './report-service';

export interface ReportsModuleDeps {
  /** Whole records from the telemetry store. */
  records: TelemetryRecordReader;
  /** The rollup store (closed on stop). */
  rollups: HourlyRollupStore;
  /** The live registry: reports cover the sources registered when they are asked for. */
  registry: RegistryView;
  ruleBook: RuleBook;
  /** Alerts opened in [from, to), any state, counted per source and rule (of these sources, or all). */
  alertCounts: (from: number, to: number, mns?: readonly string[]) => Promise<AlertRuleCount[]>;
  /** Whether this process closes and keeps the hours (it hears the live readings); false: it only reads them. */
  writesRollup: boolean;
  /** An ingest worker: since when it has heard every reading of a source it owns, null for another's (the rollup closes its own only). */
  heardSince?: (mn: string) => number | null;
  /** The intake is behind (the telemetry writer's batches queue): late hours wait to be recomputed. */
  intakeBehind?: () => boolean;
  log: Logger;
  now: () => number;
}

export interface ReportsModule {
  service: ReportService;
  /** The rollup store: its kept hours read without computing (long-range series, retention). */
  rollups: Pick<HourlyRollupStore, 'get'>;
  router: Router;
  /** Every accepted reading (beside the rules). */
  onReading(reading: Reading): void;
  /** The rollup's counters and memory (the metrics). */
  rollupStats(): RollupStats;
  stop(): Promise<void>;
}

/** A source's late hours are recomputed once it has sent no late reading for this long (the writer's flush lag)… */
const SETTLE_MS = 10_000;
/** …or, hour by hour, this long after late data first reached it, when late data keeps coming. */
const MAX_LATE_WAIT_MS = 60_000;
/**
 * The late recompute pauses as long as each raw read took: at most half the time, so live readings
 * and alerts keep the rest when a replayed backlog's hours are read back (bench, 2026-12-06).
 */
const LATE_PACE = 1;
/** How far back a start fills in the hours that closed while the server was down. */
const CATCH_UP_MS = 24 * 3_600_000;

export async function startReports(d: ReportsModuleDeps): Promise<ReportsModule> {
  const store = d.rollups;
  await store.init();
  const sources = derived(d.registry, (r) => new Map<string, Source>(r.sources.map((s) => [s.mn, s])));
  const enterprises = derived(d.registry, (r) => new Map(r.enterprises.map((e) => [e.id, e])));
  // A closed day's report figures are built as it is packed (a page of the day then reads them).
  let preparing: Promise<void> = Promise.resolve();
  const prepareDay = (day: number) => {
    preparing = preparing
      .then(() => service.prepareDay(d.registry.current().sources, day))
      .catch((err: Error) => d.log.error({ err, day }, 'daily report figures not built; built on first read'));
  };
  const utcOffsetMinutes = d.ruleBook.rulePack.utcOffsetMinutes;
  const mns = derived(d.registry, (r) => r.sources.map((s) => s.mn));
  const rollup = new ContinuousRollup({
    records: d.records,
    store,
    sources: mns,
    ...(d.heardSince ? { heardSince: d.heardSince } : {}),
    ...(d.intakeBehind ? { intakeBehind: d.intakeBehind } : {}),
    // Reference and measured-O2 cap as the rules use them (the rule pack's o2Conversion.measuredCap).
    conversion: (mn) => ({ ...d.ruleBook.conversionOf(mn), intervalS: sources().get(mn)?.intervalS ?? 30 }),
    utcOffsetMinutes,
    graceMs: () => d.ruleBook.rulePack.limitHour.graceS * 1000,
    settleMs: SETTLE_MS,
    maxLateWaitMs: MAX_LATE_WAIT_MS,
    catchUpMs: CATCH_UP_MS,
    concurrency: 4,
    latePace: LATE_PACE,
    now: d.now,
    log: d.log,
    onDayPacked: prepareDay,
  });
  const service: ReportService = new ReportService({
    rollup,
    subject: (mn, at) => {
      const s = d.ruleBook.subject(mn, at);
      if (!s) return undefined;
      return {
        source: s.source,
        enterpriseName: enterprises().get(s.source.enterpriseId)?.name ?? s.source.enterpriseId,
        limits: s.limits,
        minValidMinutes: s.params.limitHour.minValidMinutes,
        minValidHours: s.params.limitDay.minValidHours,
      };
    },
    figures: store,
    alertCounts: d.alertCounts,
    placeOf: (source) => {
      const e = enterprises().get(source.enterpriseId);
      return { district: source.district ?? e?.district ?? '', industry: e?.industry ?? null };
    },
    utcOffsetMinutes,
    now: d.now,
  });
  await rollup.start(undefined, { writes: d.writesRollup });
  const router = reportsRouter({ reports: service, source: (mn) => sources().get(mn), allSources: () => d.registry.current().sources });
  return {
    service,
    rollups: store,
    router,
    onReading: (r) => rollup.onReading(r),
    rollupStats: () => rollup.stats(),
    async stop() {
      await rollup.stop();
      await preparing;
      await store.close();
    },
  };
}
