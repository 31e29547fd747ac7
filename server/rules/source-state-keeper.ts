/**
 * Keeps the rule state in the store source by source (issue 15). The engines work in memory; this
 * saves and loads, never on the path of a reading:
 * - all-in-one (`npm start`): every saved source is loaded at start (a state.db of the hand-written
 *   store: its one snapshot, written out source by source at the first save and then dropped),
 *   the changed sources are saved every `snapshotMs`, and every source at stop;
 * - ingest worker: a partition's sources are loaded when the worker acquires it (before its MQTT
 *   session opens) and saved when it releases it (before the lease is given up, so the next owner
 *   reads them), the changed ones of the partitions held every `snapshotMs`. Each row carries the
 *   partition's epoch: a worker that lost a partition cannot overwrite its new owner's rows.
 * "Changed": a reading came, or a tick closed an hour or found something (the engine's `touched`),
 * or a facility finding named the source. Saves and loads run one at a time, in order.
 *
 * A save goes in batches of SAVE_BATCH sources, one store call (one transaction) each, with the
 * event loop given back between them: at a province's 20,000 outlets about 10,000 change between
 * two saves, and encoding and writing them in one go held every HTTP request and reading behind it
 * (issue 20). Each source's row stands alone, so a crash between batches loses no more than the
 * interval the header above already allows.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PartitionOwnership } from '../cluster/ownership';
import { partitionOf } from '../cluster/partitioning';
import { formatZodIssues } from '../domain/zod-issues';
import type { Logger } from '../logger';
import type { RuleStore, SourceStateWrite } from '../storage/sql/rule-store';
import type { FacilityEngine } from './facility-engine';
import type { RuleEngine } from './rule-engine';
import { SAVED_SOURCE_VERSION, savedSourceSchema, type SavedSource } from './saved-source';

/** Sources per store call of a save. */
export const SAVE_BATCH = 500;

/** Where the facility engine's state sat in the hand-written store's one snapshot. */
const LEGACY_FACILITY_KEY = 'facilityState';

/** The partition events of an ingest worker's leases (cluster/ownership.ts). */
export type PartitionEvents = Pick<PartitionOwnership, 'partitions' | 'on'>;

export interface SourceStateKeeperDeps {
  store: RuleStore;
  engine: RuleEngine;
  facilities: FacilityEngine;
  /** The registry's sources now. */
  mns: () => readonly string[];
  /** Ingest workers: the leases whose acquisitions load and releases save (absent: all-in-one). */
  partitions?: PartitionEvents;
  log: Logger;
  now: () => number;
}

export class SourceStateKeeper {
  /** Ingest workers: the partitions held and their epochs. */
  private readonly epochs = new Map<number, number>();
  private readonly partitionByMn = new Map<string, number>();
  /** Sources to save at the next periodic save, beside the engine's touched ones. */
  private dirty = new Set<string>();
  /** The hand-written store's snapshot is still in the store: the next save writes every source, then drops it. */
  private legacy = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SourceStateKeeperDeps) {}

  /** All-in-one: loads every saved source. Ingest worker: follows the partitions (loads as they are acquired). */
  async start(): Promise<void> {
    const { partitions } = this.deps;
    if (!partitions) return this.serial(() => this.loadAll());
    partitions.on('acquired', (p, epoch) => this.serial(() => this.acquire(p, epoch)));
    partitions.on('released', (p) => this.serial(() => this.release(p)));
  }

  /** A source to save at the next periodic save (a facility finding named it). */
  touch(mn: string): void {
    this.dirty.add(mn);
  }

  /** Saves the sources changed since the last save (of the partitions held, on a worker). */
  saveChanged(): Promise<void> {
    return this.serial(async () => {
      const changed = new Set([...this.deps.engine.takeTouched(), ...this.dirty]);
      this.dirty = new Set();
      const mns = this.legacy ? [...this.deps.engine.mns()] : [...changed];
      try {
        await this.save(mns.filter((mn) => this.epochOf(mn) !== undefined));
      } catch (err) {
        for (const mn of changed) this.dirty.add(mn);
        throw err;
      }
    });
  }

  /** Saves every source this process holds (at stop). */
  saveAll(): Promise<void> {
    return this.serial(() => this.save([...this.deps.engine.mns()].filter((mn) => this.epochOf(mn) !== undefined)));
  }

  /** Sources removed from the registry: their rows go too. */
  forget(mns: readonly string[]): Promise<void> {
    for (const mn of mns) this.partitionByMn.delete(mn);
    return this.serial(() => this.deps.store.deleteSourceStates(mns));
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** 0 (unfenced) for the all-in-one process; a held partition's epoch; undefined: not held here. */
  private epochOf(mn: string): number | undefined {
    if (!this.deps.partitions) return 0;
    return this.epochs.get(this.partitionOfMn(mn));
  }

  private partitionOfMn(mn: string): number {
    let p = this.partitionByMn.get(mn);
    if (p === undefined) this.partitionByMn.set(mn, (p = partitionOf(mn, this.deps.partitions?.partitions ?? 1)));
    return p;
  }

  private async save(mns: readonly string[]): Promise<void> {
    let saved = 0;
    for (let i = 0; i < mns.length; i += SAVE_BATCH) {
      if (i > 0) await yieldToLoop();
      const rows: SourceStateWrite[] = [];
      for (const mn of mns.slice(i, i + SAVE_BATCH)) {
        const epoch = this.epochOf(mn);
        if (epoch !== undefined) rows.push({ mn, value: this.savedOf(mn), epoch });
      }
      await this.deps.store.saveSourceStates(rows, this.deps.now());
      saved += rows.length;
    }
    if (this.legacy && this.deps.partitions === undefined) {
      await this.deps.store.dropLegacySnapshot();
      this.legacy = false;
      this.deps.log.info({ sources: saved }, 'rule state of the previous version written out source by source');
    }
  }

  private savedOf(mn: string): SavedSource {
    return {
      version: SAVED_SOURCE_VERSION,
      rule: this.deps.engine.sourceState(mn) ?? null,
      facility: this.deps.facilities.sourcePart(mn),
    };
  }

  private async loadAll(): Promise<void> {
    const { store, log } = this.deps;
    const legacy = await store.loadLegacySnapshot();
    const saved = await store.loadSourceStates();
    this.legacy = legacy !== null;
    if (saved.size === 0 && legacy !== null) return this.restoreLegacy(legacy);
    const failed = this.restore(saved);
    if (saved.size > 0) log.info({ sources: saved.size - failed }, 'rule state restored');
  }

  private async acquire(partition: number, epoch: number): Promise<void> {
    this.epochs.set(partition, epoch);
    const mns = this.deps.mns().filter((mn) => this.partitionOfMn(mn) === partition);
    const saved = await this.deps.store.loadSourceStates(mns);
    // A source without a saved row starts afresh (whatever this worker knew of it from an earlier ownership is stale).
    this.deps.engine.reset(mns.filter((mn) => !saved.has(mn)));
    const failed = this.restore(saved);
    this.deps.log.info({ partition, epoch, sources: mns.length, restored: saved.size - failed }, 'rule state of the partition loaded');
  }

  private async release(partition: number): Promise<void> {
    const mns = this.deps.mns().filter((mn) => this.partitionOfMn(mn) === partition);
    try {
      await this.save(mns);
    } finally {
      this.epochs.delete(partition);
      this.deps.engine.reset(mns);
      for (const mn of mns) {
        this.deps.facilities.forgetSource(mn);
        this.dirty.delete(mn);
      }
    }
    this.deps.log.info({ partition, sources: mns.length }, 'rule state of the partition saved');
  }

  /** Restores each saved source; one that no longer parses starts afresh. Returns how many failed. */
  private restore(saved: ReadonlyMap<string, unknown>): number {
    const bad: string[] = [];
    for (const [mn, value] of saved) {
      const parsed = savedSourceSchema.safeParse(value);
      try {
        if (!parsed.success) throw new Error(formatZodIssues(parsed.error));
        if (parsed.data.rule === null) this.deps.engine.reset([mn]);
        else this.deps.engine.restoreSource(mn, parsed.data.rule);
        this.deps.facilities.restoreSourcePart(mn, parsed.data.facility);
      } catch (err) {
        bad.push(mn);
        this.deps.engine.reset([mn]);
        this.deps.log.debug({ err, mn }, 'saved rule state of a source could not be restored');
      }
    }
    if (bad.length > 0)
      this.deps.log.error(
        { sources: bad.slice(0, 20), count: bad.length },
        'saved rule state could not be restored: those sources start afresh',
      );
    return bad.length;
  }

  /** The hand-written store's one snapshot (an upgraded state.db): the whole engine, and the facilities under `facilityState`. */
  private restoreLegacy(snapshot: unknown): void {
    const { engine, facilities, log } = this.deps;
    try {
      engine.restore(snapshot);
      log.info('rule state of the previous version restored');
    } catch (err) {
      log.error({ err }, 'saved rule state could not be restored: rules start afresh');
    }
    const part = typeof snapshot === 'object' && snapshot !== null ? (snapshot as Record<string, unknown>)[LEGACY_FACILITY_KEY] : undefined;
    if (part === undefined) return;
    try {
      facilities.restore(part);
      log.info('facility state restored');
    } catch (err) {
      log.error({ err }, 'saved facility state could not be restored: facility rules start afresh');
    }
  }
}
