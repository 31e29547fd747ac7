/**
 * Heavy-pollution and ozone warnings (issue 17 item 3): issued by hand by the control centre
 * (or confirmed from a forecast proposal — never issued by itself), put in force when their start
 * comes (the sweep, by `system`), changed (level up or down, note, planned lift), lifted or
 * cancelled, following the transition table in server/domain/warning.ts. Every change is stored
 * with its history entry, announced as `warning:changed` (the realtime hub pushes it to staff and
 * to the enterprises of the districts in scope) and, when issued, changed in level, lifted or
 * cancelled, sent through the notification targets.
 */
import type { EventBus } from '../domain/internal-events';
import { levelChange, compareWarnings, isOpenWarning, warningTransition, type Warning, type WarningAction } from '../domain/warning';
import type { WarningHistoryEntry, WarningProposals } from '../domain/warning';
import type { ChangeWarningInput, IssueWarningInput } from '../domain/warning-schema';
import { HttpError } from '../domain/errors';
import type { Logger } from '../logger';
import type { WarningStore } from '../storage/sql/warning-store';
import type { WarningNoticeEvent } from './warning-notice';
import { warningProposals, type ProposalForecast } from './warning-proposals';
import type { OzoneRules } from './ozone-rules';
import { addDays, localDate } from '../domain/local-time';
import { tickedJob, type TickedJob } from '../ticked-job';

export interface WarningServiceDeps {
  store: WarningStore;
  rules: Pick<OzoneRules, 'warning' | 'warnings' | 'utcOffsetMinutes'>;
  /** The city map's districts (a warning's scope names only these). */
  districts: () => readonly string[];
  /** Forecasts for dates in [from, to]. */
  forecasts: (from: string, to: string) => Promise<readonly ProposalForecast[]>;
  /** Sends a notice through the notification targets. */
  notify: (event: WarningNoticeEvent, w: Warning) => void;
  events: EventBus;
  log: Logger;
  now: () => number;
  /** The sweep's clock runs only while this says so (a cluster's jobs lease: one process of the cluster; default always). */
  when?: () => boolean;
}

export class WarningService {
  /** The warnings as last read or written (the realtime snapshot reads them synchronously). */
  private cache: Warning[] = [];
  private readonly sweeper: TickedJob;

  constructor(private readonly deps: WarningServiceDeps) {
    const { log, when } = deps;
    this.sweeper = tickedJob({ name: 'warnings sweep', everyMs: deps.rules.warnings.sweepS * 1000, run: () => this.sweep(), log, when });
  }

  /** Loads the warnings, then puts in force those whose start came, every `warnings.sweepS` (on the jobs lease's holder). */
  async start(): Promise<void> {
    this.cache = await this.deps.store.list();
    if (this.deps.when?.() !== false) await this.sweep();
    this.sweeper.start();
  }

  /** Ends the sweep's clock; resolves when a sweep under way has ended. */
  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Every warning: in force first (compareWarnings). */
  async list(): Promise<Warning[]> {
    const all = await this.deps.store.list();
    this.cache = all;
    return [...all].sort(compareWarnings);
  }

  /** The open warnings (issued or in force) as last known, for the realtime snapshot. */
  open(): Warning[] {
    return this.cache.filter(isOpenWarning).sort(compareWarnings);
  }

  get(id: number): Promise<Warning | null> {
    return this.deps.store.get(id);
  }

  async issue(input: IssueWarningInput, actor: string): Promise<Warning> {
    const known = new Set(this.deps.districts());
    const unknown = input.districts.filter((d) => !known.has(d));
    if (unknown.length > 0) throw new HttpError(400, 'bad_request', `districts: unknown district(s) ${unknown.join(', ')}`);
    const at = this.deps.now();
    const note = input.note ?? null;
    const entry: WarningHistoryEntry = { at, by: actor, event: 'issued', fromLevel: null, toLevel: input.level, note };
    let w = await this.deps.store.insert(
      {
        kind: input.kind,
        level: input.level,
        basis: input.basis,
        districts: input.districts,
        issuedBy: actor,
        issuedAt: at,
        startAt: input.startAt,
        plannedLiftAt: input.plannedLiftAt ?? null,
        liftedAt: null,
        liftedBy: null,
        status: 'issued',
        note,
      },
      entry,
    );
    this.deps.log.info({ warning: w.id, kind: w.kind, level: w.level, actor }, 'warning issued');
    this.changed(w);
    this.deps.notify('issued', w);
    if (w.startAt <= at) w = await this.startOne(w);
    return w;
  }

  /** A level change (upgrade or downgrade), a note or a new planned lift, made from `input.version`. */
  async change(id: number, input: ChangeWarningInput, actor: string): Promise<Warning> {
    const w = await this.must(id);
    const status = this.next(w, 'change');
    const level = input.level ?? w.level;
    const moved = levelChange(w.level, level);
    const plannedLiftAt = input.plannedLiftAt === undefined ? w.plannedLiftAt : input.plannedLiftAt;
    if (plannedLiftAt !== null && plannedLiftAt <= w.startAt)
      throw new HttpError(400, 'bad_request', 'plannedLiftAt: must be after the start');
    const note = input.note ?? null;
    const entry: WarningHistoryEntry = {
      at: this.deps.now(),
      by: actor,
      event: moved ?? 'noted',
      fromLevel: moved ? w.level : null,
      toLevel: moved ? level : null,
      note,
    };
    const saved = await this.deps.store.save({ ...w, status, level, plannedLiftAt, note: input.note ?? w.note }, input.version, entry);
    this.changed(saved);
    if (moved) this.deps.notify('changed', saved);
    return saved;
  }

  lift(id: number, note: string | null, actor: string): Promise<Warning> {
    return this.close(id, 'lift', note, actor);
  }

  cancel(id: number, note: string | null, actor: string): Promise<Warning> {
    return this.close(id, 'cancel', note, actor);
  }

  /** What the forecasts from today propose (the centre confirms one by issuing it). */
  async proposals(): Promise<WarningProposals> {
    const { rules } = this.deps;
    const now = this.deps.now();
    const today = localDate(now, rules.utcOffsetMinutes);
    const horizon = Math.max(rules.warning.horizonDays, rules.warnings.heavyPollution.horizonDays);
    const forecasts = await this.deps.forecasts(today, addDays(today, horizon - 1));
    return warningProposals({ forecasts, today, now, utcOffsetMinutes: rules.utcOffsetMinutes, warnings: await this.list() }, rules);
  }

  /** Issued warnings whose start came are put in force by `system` (as stored: another process may have issued them). */
  async sweep(): Promise<void> {
    this.cache = await this.deps.store.list();
    const now = this.deps.now();
    for (const w of this.cache.filter((x) => x.status === 'issued' && x.startAt <= now)) {
      await this.startOne(w).catch((err: Error) => this.deps.log.error({ err, warning: w.id }, 'warning start failed'));
    }
  }

  private async startOne(w: Warning): Promise<Warning> {
    const status = this.next(w, 'start');
    const entry: WarningHistoryEntry = { at: this.deps.now(), by: 'system', event: 'started', fromLevel: null, toLevel: null, note: null };
    const saved = await this.deps.store.save({ ...w, status }, w.version, entry);
    this.changed(saved);
    return saved;
  }

  private async close(id: number, action: 'lift' | 'cancel', note: string | null, actor: string): Promise<Warning> {
    const w = await this.must(id);
    const status = this.next(w, action);
    const at = this.deps.now();
    const event = action === 'lift' ? 'lifted' : 'cancelled';
    const entry: WarningHistoryEntry = { at, by: actor, event, fromLevel: null, toLevel: null, note };
    const saved = await this.deps.store.save({ ...w, status, liftedAt: at, liftedBy: actor }, w.version, entry);
    this.deps.log.info({ warning: id, actor }, `warning ${event}`);
    this.changed(saved);
    this.deps.notify(event, saved);
    return saved;
  }

  private async must(id: number): Promise<Warning> {
    const w = await this.deps.store.get(id);
    if (!w) throw new HttpError(404, 'not_found', `warning ${id} not found`);
    return w;
  }

  private next(w: Warning, action: WarningAction): Warning['status'] {
    const r = warningTransition(w.status, action);
    if (!r.ok) throw new HttpError(409, 'conflict', r.reason);
    return r.status;
  }

  private changed(w: Warning): void {
    this.cache = [w, ...this.cache.filter((x) => x.id !== w.id)];
    this.deps.events.emit('warning:changed', w);
  }
}
