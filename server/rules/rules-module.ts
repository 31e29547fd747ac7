/**
 * The rules stage as app.ts builds it: the rule book (the live registry's limits and the rule pack, with the
 * operators' overrides), the rules service fed every accepted reading and ticked by the clock, its
 * configuration and state (hour windows, counters) in the rule store — state.db, or the cluster's
 * PostgreSQL database with DATABASE_URL, shared by every process. Findings go to the alerts.
 * The facility engine (working-condition rules, issue 16) runs inside the rules service beside it.
 * Built without judging: the process that hears the readings (the intake, server/parts/intake-part.ts)
 * calls `judge()`; a web process keeps the book, the pack and overrides, and the import's judge.
 */
import type { AppConfig } from '../config';
import type { MaintenanceWindow } from '../domain/alert';
import type { EventBus } from '../domain/internal-events';
import type { RegistryView } from '../domain/registry-view';
import type { FacilityRunState } from '../domain/working-condition';
import type { Logger } from '../logger';
import { alertStateDatabase } from '../storage/sql/database';
import { openRuleStore } from '../storage/sql/rule-store';
import { RuleBook } from './rule-book';
import { RulesService, type PowerImportBatch, type RulesServiceDeps, type SourceOwnership } from './rules-service';
import type { PartitionEvents } from './source-state-keeper';

export interface RulesModule {
  book: RuleBook;
  service: RulesService;
  /** The facility engine's read port (issue 16): each registered facility's running state and latest signals. */
  facilityStates(): ReadonlyMap<string, FacilityRunState>;
  /** Judges a power-data import (historical readings) for treatment-off and declared-stop-running; returns the alerts raised. */
  judgeImport(batch: PowerImportBatch): { raised: number };
  /** Starts judging on the clock (the saved rule state read, the time-driven rules, the state's saves, following the registry). */
  judge(): Promise<void>;
  /** Saves the rule state and closes its store. */
  stop(): Promise<void>;
}

export async function startRules(
  config: Pick<AppConfig, 'dataDir' | 'database' | 'limits' | 'rulePack' | 'rules'>,
  deps: {
    registry: RegistryView;
    sink: RulesServiceDeps['sink'];
    events: EventBus;
    log: Logger;
    now: () => number;
    /** Approved maintenance windows of any time (an import's past intervals are judged against them). */
    windows?: () => readonly MaintenanceWindow[];
    /** Ingest workers: the tick judges only the sources they own (absent: every source). */
    ownership?: SourceOwnership;
    /** Ingest workers: the leases whose acquisitions load, and releases save, a partition's rule state. */
    partitions?: PartitionEvents;
  },
): Promise<RulesModule> {
  // Beside the alert state: state.db, or the PostgreSQL database of DATABASE_URL.
  const store = await openRuleStore(alertStateDatabase(config));
  const book = new RuleBook(deps.registry, config.limits, config.rulePack, deps.now);
  const service = new RulesService({
    book,
    store,
    sink: deps.sink,
    log: deps.log,
    now: deps.now,
    tickMs: config.rules.tickS * 1000,
    snapshotMs: config.rules.snapshotS * 1000,
    events: deps.events,
    ...(deps.ownership ? { ownership: deps.ownership } : {}),
    ...(deps.partitions ? { partitions: deps.partitions } : {}),
  });
  try {
    await service.reloadConfig();
  } catch (err) {
    await service.stop();
    await store.close();
    throw err;
  }
  return {
    book,
    service,
    judge: () => service.start(),
    facilityStates: () => service.facilityStates(),
    judgeImport: (batch) => service.judgeImport(batch, deps.windows?.() ?? []),
    async stop() {
      await service.stop(); // saves the rule state (hour windows, counters) for the next start
      await store.close();
    },
  };
}
