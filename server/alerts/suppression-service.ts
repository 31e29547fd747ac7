/**
 * Silences and maintenance windows: declared, changed and ended here, kept in the state store,
 * each change announced as `suppression:changed` (the realtime hub listens). The alert service asks `facts` when an
 * alert opens (rare), so there is no cache to keep in step.
 */
import type { MaintenanceStatus, MaintenanceWindow, Silence } from '../domain/alert';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import type { StateStore } from '../storage/state-store';
import type { SuppressionFacts } from './suppression';

export type SilenceInput = Pick<Silence, 'mn' | 'factor' | 'rule' | 'reason' | 'endsAt'>;
export type MaintenanceInput = Pick<MaintenanceWindow, 'enterpriseId' | 'mn' | 'from' | 'to' | 'reason'>;
type WindowPatch = Partial<Pick<MaintenanceWindow, 'from' | 'to' | 'reason'>>;
/** How a declaration was judged: in effect (approved by `by`) or waiting for an officer. */
export type WindowReview = { status: 'approved'; by: string } | { status: 'pending' };

const reviewed = (r: WindowReview, now: number): Pick<MaintenanceWindow, 'status' | 'reviewedBy' | 'reviewedAt' | 'reviewNote'> =>
  r.status === 'approved'
    ? { status: 'approved', reviewedBy: r.by, reviewedAt: now, reviewNote: null }
    : { status: 'pending', reviewedBy: null, reviewedAt: null, reviewNote: null };

export class SuppressionService {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => number,
    private readonly events: EventBus = new EventBus(),
  ) {}

  /** What may quiet a new alert of this source: silences in force now, windows around `ts`. */
  facts(enterpriseId: string, mn: string, ts: number): Omit<SuppressionFacts, 'offline'> {
    return {
      silences: this.store.silences.list({ activeAt: this.now(), limit: 10_000 }),
      windows: this.store.maintenance.list({ enterpriseId, mn, activeAt: ts, status: 'approved', limit: 1_000 }),
    };
  }

  listSilences(q: { active: boolean; limit: number }): Silence[] {
    return this.store.silences.list({ activeAt: q.active ? this.now() : undefined, limit: q.limit });
  }

  getSilence(id: number): Silence | undefined {
    return this.store.silences.get(id);
  }

  createSilence(input: SilenceInput, actor: string): Silence {
    const silence = this.store.silences.insert({ ...input, createdBy: actor, createdAt: this.now() });
    this.emit({ silence });
    return silence;
  }

  updateSilence(current: Silence, patch: Partial<Pick<Silence, 'reason' | 'endsAt'>>): Silence {
    const silence = { ...current, ...patch };
    this.store.silences.update(silence);
    this.emit({ silence });
    return silence;
  }

  /** Ends a silence now (kept for the record). */
  expireSilence(current: Silence): Silence {
    return this.updateSilence(current, { endsAt: Math.min(current.endsAt, this.now()) });
  }

  listWindows(q: { enterpriseId?: string; mn?: string; current: boolean; status?: MaintenanceStatus; limit: number }): MaintenanceWindow[] {
    const { enterpriseId, mn, status, limit } = q;
    return this.store.maintenance.list({ enterpriseId, mn, status, endingAfter: q.current ? this.now() : undefined, limit });
  }

  getWindow(id: number): MaintenanceWindow | undefined {
    return this.store.maintenance.get(id);
  }

  /** Records a declaration as reviewed (maintenance-review.ts): approved (`by` the officer, or 'system' as declared) or pending. */
  declareWindow(input: MaintenanceInput, actor: string, review: WindowReview): MaintenanceWindow {
    const now = this.now();
    const declared = { ...input, declaredBy: actor, createdAt: now, ...reviewed(review, now), endedBy: null, endedAt: null };
    const window = this.store.maintenance.insert(declared);
    this.emit({ window });
    return window;
  }

  /** Changes a window; with `review`, the change was judged again (an enterprise's change is a new declaration). */
  updateWindow(current: MaintenanceWindow, patch: WindowPatch, review?: WindowReview): MaintenanceWindow {
    const window = { ...current, ...patch, ...(review ? reviewed(review, this.now()) : {}) };
    return this.save(window);
  }

  /** An officer's decision on a window: approved (with an optional note) or rejected (with the reason the enterprise sees). */
  decideWindow(current: MaintenanceWindow, status: 'approved' | 'rejected', actor: string, note: string | null): MaintenanceWindow {
    return this.save({ ...current, status, reviewedBy: actor, reviewedAt: this.now(), reviewNote: note });
  }

  /** Ends a window now (kept for the record); one not yet begun ends before it starts. */
  endWindow(current: MaintenanceWindow, actor: string): MaintenanceWindow {
    const now = this.now();
    return this.save({ ...current, to: Math.min(current.to, Math.max(current.from, now)), endedBy: actor, endedAt: now });
  }

  private save(window: MaintenanceWindow): MaintenanceWindow {
    this.store.maintenance.update(window);
    this.emit({ window });
    return window;
  }

  private emit(change: InternalEvents['suppression:changed']): void {
    this.events.emit('suppression:changed', change);
  }
}
