/**
 * The rule engine at run time: every reading and a periodic tick go through the (pure) engine, its
 * findings go to the alert lifecycle; the engine's state is saved every `snapshotMs` and at stop,
 * and restored at start, so hour windows, counters and consecutive days survive a restart. Rule
 * pack and per-source overrides changed over the API are validated by the rule book, persisted,
 * and announced to listeners. On `registry:changed` a new source is watched from then on (offline
 * before its first reading) and a removed one's state is dropped; the rule book already judges by
 * the new registry.
 *
 * Beside it the facility engine (issue 16) takes the same readings and ticks and judges the
 * registry's facilities (working-condition rules); its findings go to the same sink, its state is
 * saved in the same snapshot (under `facilityState`), and facilityStates() is its read port.
 */
import type { Finding, MaintenanceWindow } from '../domain/alert';
import type { RuleConfigChange, RulesChangedEvent } from '../domain/events';
import type { Reading } from '../domain/reading';
import type { FacilityRunState } from '../domain/working-condition';
import { EventBus } from '../domain/internal-events';
import { RulePackError, type RulePack } from '../domain/rule-pack';
import type { Logger } from '../logger';
import type { RuleStore } from '../storage/rule-store';
import type { RuleBook, SourceOverride } from './rule-book';
import { FacilityEngine } from './facility-engine';
import { judgeImportedPower } from './imported-power';
import { RuleEngine } from './rule-engine';

/** Where the facility engine's state sits in the saved rule state (beside the rule engine's `version` and `sources`). */
const FACILITY_STATE_KEY = 'facilityState';

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
}

export class RulesService {
  private readonly engine: RuleEngine;
  /** The working-condition rules (issue 16), beside the source rules: same readings, same tick, same sink. */
  private readonly facilities: FacilityEngine;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly events: EventBus;
  private failures = 0;
  /** The pack ('') and each source's override as last saved here or adopted, with their times (what crosses processes). */
  private readonly saved = new Map<string, RuleConfigChange>();
  private unsubscribe: () => void = () => undefined;

  constructor(private readonly deps: RulesServiceDeps) {
    const { book, store, log, now } = deps;
    this.events = deps.events ?? new EventBus();
    this.restoreConfig();
    const lookup = (mn: string, at: number) => book.subject(mn, at);
    this.engine = new RuleEngine(book.rulePack, lookup, now(), book.mns());
    this.facilities = new FacilityEngine({ facilities: () => book.facilities(), subject: lookup });
    const snapshot = store.loadSnapshot();
    if (snapshot !== null) {
      try {
        this.engine.restore(snapshot);
        log.info('rule state restored');
      } catch (err) {
        log.error({ err }, 'saved rule state could not be restored: rules start afresh');
      }
      this.restoreFacilities(snapshot);
    }
  }

  /** The facility engine's part of a saved state (absent in one saved before it existed: it starts afresh). */
  private restoreFacilities(snapshot: unknown): void {
    const saved = typeof snapshot === 'object' && snapshot !== null ? (snapshot as Record<string, unknown>)[FACILITY_STATE_KEY] : undefined;
    if (saved === undefined) return;
    try {
      this.facilities.restore(saved);
      this.deps.log.info('facility state restored');
    } catch (err) {
      this.deps.log.error({ err }, 'saved facility state could not be restored: facility rules start afresh');
    }
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

  start(): void {
    this.unsubscribe = this.events.on('registry:changed', (c) => {
      this.engine.follow(c.sources.upserted, c.sources.removed);
      this.facilities.follow(c.facilities.removed);
      if (c.sources.removed.length > 0) this.deps.log.info({ removed: c.sources.removed }, 'rule state of removed sources dropped');
    });
    this.timers.push(setInterval(() => this.tick(), this.deps.tickMs).unref());
    this.timers.push(setInterval(() => this.save(), this.deps.snapshotMs).unref());
  }

  /** Runs the rules on one reading; a rule bug is logged and counted, never stops ingest. */
  onReading(reading: Reading): void {
    let findings: Finding[];
    try {
      const now = this.deps.now();
      findings = [...this.engine.onReading(reading, now), ...this.facilities.onReading(reading, now)];
    } catch (err) {
      this.fail(err, { mn: reading.mn, cn: reading.cn, ts: reading.ts });
      return;
    }
    if (findings.length > 0) this.deps.sink.apply(findings, reading.enterpriseId);
  }

  /** Time-driven rules: offline, hour and day closes, durations (of the sources this process owns). */
  tick(): void {
    let findings: Finding[];
    try {
      const now = this.deps.now();
      const owned = this.deps.ownership;
      const facilities = this.facilities.tick(now);
      findings = [...this.engine.tick(now, owned), ...(owned ? facilities.filter((f) => owned.ownedSince(f.mn) !== null) : facilities)];
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
  setOverride(mn: string, input: unknown, actor: string): SourceOverride | null {
    const override = this.deps.book.setOverride(mn, input);
    this.keep({ kind: 'override', mn, value: override, updatedBy: actor, updatedAt: this.deps.now() });
    this.deps.log.info({ mn, actor, override }, 'rule override changed');
    this.events.emit('rules:changed', { kind: 'override', mn });
    return override;
  }

  /** Sets (null: back to the file's) the rule pack; throws RulePackError and changes nothing on refusal. */
  setPack(input: unknown, actor: string): RulePack {
    const pack = this.deps.book.setPack(input);
    this.keep({ kind: 'pack', mn: null, value: input === null ? null : pack, updatedBy: actor, updatedAt: this.deps.now() });
    this.deps.log.info({ actor, fromFile: input === null }, 'rule pack changed');
    this.events.emit('rules:changed', { kind: 'pack', mn: null });
    return pack;
  }

  /** What this process saved behind a `rules:changed` it announced (the cluster bus sends it to the others). */
  configOf(e: RulesChangedEvent): RuleConfigChange | undefined {
    return this.saved.get(e.mn ?? '');
  }

  /**
   * Another process changed the pack or an override (cluster bus): applied to the book and saved here
   * too, unless what this process holds is newer; not announced again (that process told the
   * dashboards). A value this version no longer accepts is logged and skipped.
   */
  adopt(c: RuleConfigChange): boolean {
    const held = this.saved.get(c.mn ?? '');
    if (held && held.updatedAt > c.updatedAt) return false;
    const { book, log } = this.deps;
    const applied = this.tryRestore(
      () => (c.kind === 'pack' ? book.setPack(c.value) : book.setOverride(c.mn ?? '', c.value)),
      c.kind === 'pack' ? 'rule pack from another process' : `override of ${c.mn} from another process`,
      log,
    );
    if (applied) this.keep(c);
    return applied;
  }

  private keep(c: RuleConfigChange): void {
    const { store } = this.deps;
    if (c.kind === 'pack') store.savePack(c.value, c.updatedBy, c.updatedAt);
    else store.saveOverride(c.mn ?? '', c.value, c.updatedBy, c.updatedAt);
    this.saved.set(c.mn ?? '', c);
  }

  save(): void {
    try {
      this.deps.store.saveSnapshot({ ...this.engine.snapshot(), [FACILITY_STATE_KEY]: this.facilities.snapshot() }, this.deps.now());
    } catch (err) {
      this.deps.log.error({ err }, 'rule state could not be saved');
    }
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    this.save();
  }

  /** The API's pack and overrides from the store; one that no longer validates is logged and skipped. */
  private restoreConfig(): void {
    const { book, store, log } = this.deps;
    const pack = store.loadPack();
    if (pack) {
      this.tryRestore(() => book.setPack(pack.value), 'stored rule pack', log);
      this.saved.set('', { kind: 'pack', mn: null, ...pack });
    }
    for (const o of store.loadOverrides()) {
      this.tryRestore(() => book.setOverride(o.mn, o.value), `stored override of ${o.mn}`, log);
      this.saved.set(o.mn, { kind: 'override', ...o });
    }
  }

  /** Applies a stored (or another process's) value; one that no longer validates is logged: false. */
  private tryRestore(apply: () => unknown, what: string, log: Logger): boolean {
    try {
      apply();
      return true;
    } catch (err) {
      if (!(err instanceof RulePackError)) throw err;
      log.error({ issues: err.issues }, `${what} no longer validates: ignored`);
      return false;
    }
  }

  private fail(err: unknown, where: Record<string, unknown>): void {
    this.failures++;
    this.deps.log.error({ err, ...where }, 'rule evaluation failed');
  }
}
