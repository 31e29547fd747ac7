/**
 * The alert service's copy of the store (in memory): the open alerts as last written or read, with
 * their versions, by key, and the latest closed alerts (the dashboard's snapshot shows them under
 * the open ones). Kept in step with every alert written or read; never a source of truth for a
 * write, which names the version it read and loses when another writer got there first.
 */
import { alertKey, type Alert } from '../domain/alert';
import type { VersionedAlert } from '../storage/sql/alert-store';

/** How many closed alerts are kept for the dashboard's snapshot. */
export const RECENTLY_CLOSED = 500;

export class AlertCopy {
  private readonly open = new Map<string, VersionedAlert>();
  private closed: Alert[] = [];

  /** Replaces the copy with what the store holds now. */
  load(open: readonly VersionedAlert[], closed: readonly Alert[]): void {
    this.open.clear();
    for (const a of open) this.open.set(alertKey(a.alert), a);
    this.closed = [...closed];
  }

  get size(): number {
    return this.open.size;
  }

  get(key: string): VersionedAlert | undefined {
    return this.open.get(key);
  }

  /** The open alerts by key (a snapshot). */
  entries(): [string, VersionedAlert][] {
    return [...this.open];
  }

  /** An alert as written or read: open → kept (unless an older version), closed → moved to the closed ones. */
  remember(a: VersionedAlert): void {
    const key = alertKey(a.alert);
    const known = this.open.get(key);
    if (a.alert.closedAt === null) {
      if (!known || known.alert.id !== a.alert.id || known.version <= a.version) this.open.set(key, a);
      return;
    }
    if (known?.alert.id === a.alert.id) this.open.delete(key);
    const others = this.closed.filter((c) => c.id !== a.alert.id);
    this.closed = [a.alert, ...others].sort((x, y) => y.id - x.id).slice(0, RECENTLY_CLOSED);
  }

  /** Every open alert, newest first. */
  openAlerts(): Alert[] {
    return [...this.open.values()].map((v) => v.alert).sort((a, b) => b.id - a.id);
  }

  /** The latest closed alerts known here, newest first. */
  recentlyClosed(): Alert[] {
    return [...this.closed];
  }
}
