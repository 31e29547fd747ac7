/**
 * The rule engine at run time: every reading and a periodic tick go through the (pure) engine, its
 * findings go to the alert lifecycle; the engines' state is kept in the store source by source
 * (source-state-keeper.ts: loaded at start or as an ingest worker acquires a partition, the changed
 * sources saved every `snapshotMs`, all at stop or as a partition is released), so hour windows,
 * counters and consecutive days survive a restart and a partition's move. Rule pack and per-source
 * overrides changed over the API are validated by the rule book, persisted, and announced to
 * listeners; reloadConfig() re-reads them from the store (another process changed them). On
 * `registry:changed` a new source is watched from then on (offline before its first reading) and a
 * removed one's state is dropped; the rule book already judges by the new registry.
 *
 * Beside it the facility engine (issue 16) takes the same readings and ticks and judges the
 * registry's facilities (working-condition rules); its findings go to the same sink, its state is
 * saved with the sources' (each facility with the source its findings name), and facilityStates()
 * is its read port.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Finding, MaintenanceWindow } from '../domain/alert';
import type { Reading } from '../domain/reading';
import type { FacilityRunState } from '../domain/working-condition';
import { EventBus } from '../domain/internal-events';
import { RulePackError, type RulePack } from '../domain/rule-pack';
import type { Logger } from '../logger';
import type { RuleStore } from '../storage/sql/rule-store';
import type { RuleBook, SourceOverride } from './rule-book';
import { FacilityEngine } from './facility-engine';
import { judgeImportedPower } from './imported-power';
import { RuleEngine } from './rule-engine';
import { SourceStateKeeper, type PartitionEvents } from './source-state-keeper';

export interface FindingSink {
  apply(findings: readonly Finding[], enterpriseId: string): void;
}

/** A power-data import to judge: its readings as stored, its interval, and its id (named in the evidence). */
export interface PowerImportBatch {
  readings: readonly Reading[];
  intervalMs: number;
  importId: string;
}

/**
 * Which sources this process judges on the tick (issue 15): an ingest worker only those of the
 * partitions it owns, each from when it took it (null: another worker's). Absent: every source.
 */
export interface SourceOwnership {
  ownedSince(mn: string): number | null;
}

/** Sources judged per turn of the event loop by the clock's tick. */
export const TICK_SLICE = 2_000;

export interface RulesServiceDeps {
  book: RuleBook;
  store: RuleStore;
  sink: FindingSink;
  log: Logger;
  now: () => number;
  tickMs: number;
  snapshotMs: number;
  /** Announces `rules:changed` (the pack, or one source's override); hears `registry:changed`. */
  events?: EventBus;
  /** Ingest workers: the tick judges only the sources they own (absent: every source). */
  ownership?: SourceOwnership;
  /** Ingest workers: a partition's sources' state is loaded as it is acquired and saved as it is released. */
  partitions?: PartitionEvents;
}

export class RulesService {
  private readonly engine: RuleEngine;
  /** The working-condition rules (issue 16), beside the source rules: same readings, same tick, same sink. */
  private readonly facilities: FacilityEngine;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly events: EventBus;
  private readonly keeper: SourceStateKeeper;
  private failures = 0;
  /** Started judging (`start`): only then is there rule state to save. */
  private judging = false;
  /** A tick is under way (its slices): the next one waits for the clock's following turn. */
  private ticking = false;
  /** Log level trace: each reading judged is logged (`judged`: mn, cn, ts), so a reading judged twice shows. */
  private readonly traced: boolean;
  private unsubscribe: () => void = () => undefined;

  constructor(private readonly deps: RulesServiceDeps) {
    const { book, now } = deps;
    this.events = deps.events ?? new EventBus();
    this.traced = deps.log.isLevelEnabled('trace');
    const lookup = (mn: string, at: number) => book.subject(mn, at);
    this.engine = new RuleEngine(book.rulePack, lookup, now(), book.mns());
    this.facilities = new FacilityEngine({ facilities: () => book.facilities(), subject: lookup });
    this.keeper = new SourceStateKeeper({
      store: deps.store,
      engine: this.engine,
      facilities: this.facilities,
      mns: () => book.mns(),
      log: deps.log,
      now,
      ...(deps.partitions ? { partitions: deps.partitions } : {}),
    });
  }

  /** What the facility engine knows of each registered facility now (running, since, latest signals). */
  facilityStates(): ReadonlyMap<string, FacilityRunState> {
    return this.facilities.facilityStates();
  }

  /**
   * Judges a power-data import's readings (historical, so not through the live engines) interval by
   * interval: treatment-off and declared-stop-running (imported-power.ts). Returns the alerts raised.
   */
  judgeImport(batch: PowerImportBatch, windows: readonly MaintenanceWindow[]): { raised: number } {
    const { book, sink } = this.deps;
    const paramsOf = (mn: string) => book.subject(mn)?.params ?? book.rulePack;
    const judged = judgeImportedPower({ ...batch, facilities: book.facilities(), paramsOf, windows });
    let raised = 0;
    for (const { enterpriseId, findings } of judged) {
      sink.apply(findings, enterpriseId);
      raised += findings.filter((f) => f.type === 'exceeded').length;
    }
    return { raised };
  }

  /**
   * Starts judging (the process that hears the readings: server/parts/intake-part.ts): reads the
   * saved rule state (all-in-one: every source; an ingest worker: each partition as it acquires it,
   * from then on), then starts the clock. The pack and overrides are read before (`reloadConfig`).
   */
  async start(): Promise<void> {
    this.judging = true;
    await this.keeper.start();
    this.unsubscribe = this.events.on('registry:changed', (c) => {
      this.engine.follow(c.sources.upserted, c.sources.removed);
      this.facilities.follow(c.facilities.removed);
      if (c.sources.removed.length === 0) return;
      this.deps.log.info({ removed: c.sources.removed }, 'rule state of removed sources dropped');
      this.keeper
        .forget(c.sources.removed)
        .catch((err: unknown) => this.deps.log.error({ err }, 'saved rule state of removed sources not deleted'));
    });
    this.timers.push(setInterval(() => void this.tick(), this.deps.tickMs).unref());
    this.timers.push(setInterval(() => void this.save(), this.deps.snapshotMs).unref());
  }

  /** Runs the rules on one reading; a rule bug is logged and counted, never stops ingest. */
  onReading(reading: Reading): void {
    let findings: Finding[];
    try {
      const now = this.deps.now();
      const own = this.engine.onReading(reading, now);
      const facility = this.facilities.onReading(reading, now);
      findings = facility.length === 0 ? own : own.concat(facility); // no spread per reading
    } catch (err) {
      this.fail(err, { mn: reading.mn, cn: reading.cn, ts: reading.ts });
      return;
    }
    if (this.traced) this.deps.log.trace({ mn: reading.mn, cn: reading.cn, ts: reading.ts }, 'judged');
    if (findings.length > 0) this.deps.sink.apply(findings, reading.enterpriseId);
  }

  /**
   * Time-driven rules: offline, hour and day closes, durations (of the sources this process owns).
   * The sources are judged TICK_SLICE at a time, the event loop served between slices: at a
   * province's 20,000 sources one pass took half a second, during which no request, socket or
   * reading was served. A registry of TICK_SLICE sources or fewer is judged at once (before this
   * returns). A tick that comes while the last one is still under way is skipped.
   */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const mns = this.engine.watched();
      const owned = this.deps.ownership;
      for (let i = 0; i === 0 || i < mns.length; i += TICK_SLICE) {
        if (i > 0) await nextTurn();
        this.judgeTick(i === 0, mns.slice(i, i + TICK_SLICE), owned);
      }
    } finally {
      this.ticking = false;
    }
  }

  /** One slice of a tick (the first also runs the facilities' clock); findings go out per enterprise. */
  private judgeTick(first: boolean, mns: readonly string[], owned: RulesServiceDeps['ownership']): void {
    let findings: Finding[];
    try {
      const now = this.deps.now();
      findings = this.engine.tickSources(mns, now, owned);
      if (first) {
        const facilities = this.facilities.tick(now);
        const facilityFindings = owned ? facilities.filter((f) => owned.ownedSince(f.mn) !== null) : facilities;
        for (const f of facilityFindings) this.keeper.touch(f.mn);
        findings.push(...facilityFindings);
      }
    } catch (err) {
      this.fail(err, {});
      return;
    }
    const byEnterprise = new Map<string, Finding[]>();
    for (const f of findings) {
      const enterpriseId = this.deps.book.subject(f.mn)?.source.enterpriseId;
      if (enterpriseId === undefined) continue;
      const list = byEnterprise.get(enterpriseId) ?? [];
      list.push(f);
      byEnterprise.set(enterpriseId, list);
    }
    for (const [enterpriseId, list] of byEnterprise) this.deps.sink.apply(list, enterpriseId);
  }

  get stats(): { failures: number } {
    return { failures: this.failures };
  }

  /** Sets (null: removes) a source's override; throws RulePackError and changes nothing on refusal. */
  async setOverride(mn: string, input: unknown, actor: string): Promise<SourceOverride | null> {
    const override = input === null ? null : this.deps.book.validateOverride(mn, input);
    await this.deps.store.saveOverride(mn, override, actor, this.deps.now());
    this.deps.book.setOverride(mn, override);
    this.deps.log.info({ mn, actor, override }, 'rule override changed');
    this.events.emit('rules:changed', { kind: 'override', mn });
    return override;
  }

  /** Sets (null: back to the file's) the rule pack; throws RulePackError and changes nothing on refusal. */
  async setPack(input: unknown, actor: string): Promise<RulePack> {
    const pack = input === null ? null : this.deps.book.validatePack(input);
    await this.deps.store.savePack(pack, actor, this.deps.now());
    this.deps.book.setPack(pack);
    this.deps.log.info({ actor, fromFile: input === null }, 'rule pack changed');
    this.events.emit('rules:changed', { kind: 'pack', mn: null });
    return this.deps.book.rulePack;
  }

  /** Saves the state of the sources changed since the last save (of the partitions held, on a worker). */
  async save(): Promise<void> {
    try {
      await this.keeper.saveChanged();
    } catch (err) {
      this.deps.log.error({ err }, 'rule state could not be saved');
    }
  }

  /** Stops the clock and saves every source's state (a worker's partitions were saved as they were released). */
  async stop(): Promise<void> {
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    if (!this.judging) return; // a process that never judged holds no state to save (a web process)
    try {
      await this.keeper.saveAll();
    } catch (err) {
      this.deps.log.error({ err }, 'rule state could not be saved');
    }
  }

  /**
   * Re-reads the API's pack and overrides from the store (at start, and when another process
   * changed them); one that no longer validates is logged and skipped. Replaces the book's whole
   * configuration at once: an override removed elsewhere goes here too.
   */
  async reloadConfig(): Promise<void> {
    const { book, store, log } = this.deps;
    const [pack, overrides] = await Promise.all([store.loadPack(), store.loadOverrides()]);
    for (const [mn] of book.allOverrides()) book.setOverride(mn, null);
    book.setPack(null);
    if (pack) this.tryRestore(() => book.setPack(pack.value), 'stored rule pack', log);
    for (const o of overrides) this.tryRestore(() => book.setOverride(o.mn, o.value), `stored override of ${o.mn}`, log);
  }

  private tryRestore(apply: () => unknown, what: string, log: Logger): void {
    try {
      apply();
    } catch (err) {
      if (!(err instanceof RulePackError)) throw err;
      log.error({ issues: err.issues }, `${what} no longer validates: ignored`);
    }
  }

  private fail(err: unknown, where: Record<string, unknown>): void {
    this.failures++;
    this.deps.log.error({ err, ...where }, 'rule evaluation failed');
  }
}
