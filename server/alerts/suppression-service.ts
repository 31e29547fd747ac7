/**
 * Silences and maintenance windows: declared, changed and ended here, kept in the alert state's
 * store, each change announced as `suppression:changed` (the realtime hub listens).
 *
 * The rules and the alert service's hot path ask synchronously (`facts` when an alert opens,
 * `approvedWindows` for the rules that know declared stops), so the silences in force and the
 * approved windows are kept in memory: loaded by `reload()` (at start, and in a cluster when
 * another process announces a change), refreshed after every change made here. Lists for officers
 * read the store.
 */
import type { MaintenanceStatus, MaintenanceWindow, Silence } from '../domain/alert';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import type { SuppressionStore } from '../storage/sql/suppression-store';
import type { SuppressionFacts } from './suppression';

export type SilenceInput = Pick<Silence, 'mn' | 'factor' | 'rule' | 'reason' | 'endsAt'>;
export type MaintenanceInput = Pick<MaintenanceWindow, 'enterpriseId' | 'mn' | 'from' | 'to' | 'reason'>;
type WindowPatch = Partial<Pick<MaintenanceWindow, 'from' | 'to' | 'reason'>>;
/** How a declaration was judged: in effect (approved by `by`) or waiting for an officer. */
export type WindowReview = { status: 'approved'; by: string } | { status: 'pending' };

/** The most silences and approved windows kept in memory (far above what a bureau declares). */
const CACHED = 10_000;

const reviewed = (r: WindowReview, now: number): Pick<MaintenanceWindow, 'status' | 'reviewedBy' | 'reviewedAt' | 'reviewNote'> =>
  r.status === 'approved'
    ? { status: 'approved', reviewedBy: r.by, reviewedAt: now, reviewNote: null }
    : { status: 'pending', reviewedBy: null, reviewedAt: null, reviewNote: null };

export class SuppressionService {
  /** Silences not ended when last loaded (or created since); filtered by time when read. */
  private silences: Silence[] = [];
  /** Every approved window, newest first. */
  private windows: MaintenanceWindow[] = [];
  /** Changes made here (a reload under way reads again when one came meanwhile). */
  private changes = 0;

  constructor(
    private readonly store: SuppressionStore,
    private readonly now: () => number,
    private readonly events: EventBus = new EventBus(),
  ) {}

  /**
   * Loads the silences in force and the approved windows from the store (at start, and in a cluster
   * when another process changed one). A change made here while it read is not lost: it reads again.
   */
  async reload(): Promise<void> {
    for (;;) {
      const seen = this.changes;
      const [silences, windows] = await Promise.all([
        this.store.listSilences({ activeAt: this.now(), limit: CACHED }),
        this.store.listWindows({ status: 'approved', limit: CACHED }),
      ]);
      if (seen !== this.changes) continue;
      this.silences = silences;
      this.windows = windows;
      return;
    }
  }

  private async reloadWindows(): Promise<void> {
    this.windows = await this.store.listWindows({ status: 'approved', limit: CACHED });
  }

  /** What may quiet a new alert (suppression.ts matches them to the source and the time). */
  facts(): Omit<SuppressionFacts, 'offline'> {
    const now = this.now();
    return { silences: this.silences.filter((s) => s.createdAt <= now && s.endsAt > now), windows: this.windows };
  }

  /** The approved windows from memory, newest first; `current`: only those not yet over. */
  approvedWindows(current = false): MaintenanceWindow[] {
    const now = this.now();
    return current ? this.windows.filter((w) => w.to > now) : [...this.windows];
  }

  listSilences(q: { active: boolean; limit: number }): Promise<Silence[]> {
    return this.store.listSilences({ activeAt: q.active ? this.now() : undefined, limit: q.limit });
  }

  getSilence(id: number): Promise<Silence | undefined> {
    return this.store.getSilence(id);
  }

  async createSilence(input: SilenceInput, actor: string): Promise<Silence> {
    const silence = await this.store.insertSilence({ ...input, createdBy: actor, createdAt: this.now() });
    this.silences = [silence, ...this.silences];
    this.emit({ silence });
    return silence;
  }

  async updateSilence(current: Silence, patch: Partial<Pick<Silence, 'reason' | 'endsAt'>>): Promise<Silence> {
    const silence = { ...current, ...patch };
    await this.store.updateSilence(silence);
    this.silences = [silence, ...this.silences.filter((s) => s.id !== silence.id)];
    this.emit({ silence });
    return silence;
  }

  /** Ends a silence now (kept for the record). */
  expireSilence(current: Silence): Promise<Silence> {
    return this.updateSilence(current, { endsAt: Math.min(current.endsAt, this.now()) });
  }

  listWindows(q: {
    enterpriseId?: string;
    mn?: string;
    current: boolean;
    status?: MaintenanceStatus;
    limit: number;
  }): Promise<MaintenanceWindow[]> {
    const { enterpriseId, mn, status, limit } = q;
    return this.store.listWindows({ enterpriseId, mn, status, endingAfter: q.current ? this.now() : undefined, limit });
  }

  getWindow(id: number): Promise<MaintenanceWindow | undefined> {
    return this.store.getWindow(id);
  }

  /** Records a declaration as reviewed (maintenance-review.ts): approved (`by` the officer, or 'system' as declared) or pending. */
  async declareWindow(input: MaintenanceInput, actor: string, review: WindowReview): Promise<MaintenanceWindow> {
    const now = this.now();
    const declared = { ...input, declaredBy: actor, createdAt: now, ...reviewed(review, now), endedBy: null, endedAt: null };
    const window = await this.store.insertWindow(declared);
    await this.reloadWindows();
    this.emit({ window });
    return window;
  }

  /** Changes a window; with `review`, the change was judged again (an enterprise's change is a new declaration). */
  updateWindow(current: MaintenanceWindow, patch: WindowPatch, review?: WindowReview): Promise<MaintenanceWindow> {
    const window = { ...current, ...patch, ...(review ? reviewed(review, this.now()) : {}) };
    return this.save(window);
  }

  /** An officer's decision on a window: approved (with an optional note) or rejected (with the reason the enterprise sees). */
  decideWindow(
    current: MaintenanceWindow,
    status: 'approved' | 'rejected',
    actor: string,
    note: string | null,
  ): Promise<MaintenanceWindow> {
    return this.save({ ...current, status, reviewedBy: actor, reviewedAt: this.now(), reviewNote: note });
  }

  /** Ends a window now (kept for the record); one not yet begun ends before it starts. */
  endWindow(current: MaintenanceWindow, actor: string): Promise<MaintenanceWindow> {
    const now = this.now();
    return this.save({ ...current, to: Math.min(current.to, Math.max(current.from, now)), endedBy: actor, endedAt: now });
  }

  private async save(window: MaintenanceWindow): Promise<MaintenanceWindow> {
    await this.store.updateWindow(window);
    await this.reloadWindows();
    this.emit({ window });
    return window;
  }

  private emit(change: InternalEvents['suppression:changed']): void {
    this.changes++;
    this.events.emit('suppression:changed', change);
  }
}
