/**
 * Turns rule findings into alerts: one open alert per (source, factor, rule), persisted in the
 * state store, each change announced to listeners (the realtime hub).
 */
import { alertKey, type Alert, type Finding } from '../domain/alert';
import type { Logger } from '../logger';
import type { StateStore } from '../storage/state-store';
import { transition } from './alert-transition';

export type AlertChangeKind = 'opened' | 'updated' | 'resolved';
export type AlertListener = (kind: AlertChangeKind, alert: Alert) => void;

export class AlertService {
  private readonly open = new Map<string, Alert>();
  private readonly listeners: AlertListener[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly log: Logger,
  ) {
    for (const a of store.listAlerts({ state: 'active', limit: 100_000 })) this.open.set(alertKey(a), a);
  }

  onChange(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  apply(findings: readonly Finding[], enterpriseId: string): void {
    for (const finding of findings) {
      // The common case, a normal value with nothing open, needs no lookup.
      if (finding.type === 'normal' && this.open.size === 0) continue;
      const key = alertKey(finding);
      const change = transition(this.open.get(key), finding, enterpriseId);
      if (!change) continue;
      let alert: Alert;
      if (change.kind === 'opened') {
        alert = this.store.insertAlert(change.alert);
        this.open.set(key, alert);
        this.log.info({ alertId: alert.id, mn: alert.mn, factor: alert.factor, value: alert.value, limit: alert.limit }, 'alert opened');
      } else {
        alert = change.alert;
        this.store.updateAlert(alert);
        if (change.kind === 'resolved') {
          this.open.delete(key);
          this.log.info({ alertId: alert.id, mn: alert.mn, factor: alert.factor }, 'alert resolved');
        } else {
          this.open.set(key, alert);
        }
      }
      for (const listener of this.listeners) listener(change.kind, alert);
    }
  }

  /** Open alerts, newest first. */
  active(): Alert[] {
    return [...this.open.values()].sort((a, b) => b.id - a.id);
  }

  list(q: { state?: Alert['state']; mn?: string; limit: number }): Alert[] {
    return this.store.listAlerts(q);
  }
}
