/**
 * Silences and maintenance windows: declared, changed and ended here, kept in the state store,
 * each change announced to listeners (the realtime hub). The alert service asks `facts` when an
 * alert opens (rare), so there is no cache to keep in step.
 */
import type { MaintenanceWindow, Silence } from '../domain/alert';
import type { StateStore } from '../storage/state-store';
import type { SuppressionFacts } from './suppression';

export type SuppressionListener = (change: { silence: Silence } | { window: MaintenanceWindow }) => void;

export type SilenceInput = Pick<Silence, 'mn' | 'factor' | 'rule' | 'reason' | 'endsAt'>;
export type MaintenanceInput = Pick<MaintenanceWindow, 'enterpriseId' | 'mn' | 'from' | 'to' | 'reason'>;

export class SuppressionService {
  private readonly listeners: SuppressionListener[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly now: () => number,
  ) {}

  onChange(listener: SuppressionListener): void {
    this.listeners.push(listener);
  }

  /** What may quiet a new alert of this source: silences in force now, windows around `ts`. */
  facts(enterpriseId: string, mn: string, ts: number): Omit<SuppressionFacts, 'offline'> {
    return {
      silences: this.store.silences.list({ activeAt: this.now(), limit: 10_000 }),
      windows: this.store.maintenance.list({ enterpriseId, mn, activeAt: ts, limit: 1_000 }),
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

  listWindows(q: { enterpriseId?: string; mn?: string; current: boolean; limit: number }): MaintenanceWindow[] {
    return this.store.maintenance.list({ enterpriseId: q.enterpriseId, mn: q.mn, endingAfter: q.current ? this.now() : undefined, limit: q.limit });
  }

  getWindow(id: number): MaintenanceWindow | undefined {
    return this.store.maintenance.get(id);
  }

  declareWindow(input: MaintenanceInput, actor: string): MaintenanceWindow {
    const window = this.store.maintenance.insert({ ...input, declaredBy: actor, createdAt: this.now() });
    this.emit({ window });
    return window;
  }

  updateWindow(current: MaintenanceWindow, patch: Partial<Pick<MaintenanceWindow, 'from' | 'to' | 'reason'>>): MaintenanceWindow {
    const window = { ...current, ...patch };
    this.store.maintenance.update(window);
    this.emit({ window });
    return window;
  }

  /** Ends a window now (kept for the record); one not yet begun ends before it starts. */
  endWindow(current: MaintenanceWindow): MaintenanceWindow {
    const to = Math.min(current.to, Math.max(current.from, this.now()));
    return this.updateWindow(current, { to });
  }

  private emit(change: { silence: Silence } | { window: MaintenanceWindow }): void {
    for (const l of this.listeners) l(change);
  }
}
