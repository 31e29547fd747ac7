/** Durable application state (alerts now; silences, accounts, campaigns later). */
import type { Alert, AlertState } from '../domain/alert';

export interface AlertQuery {
  state?: AlertState;
  mn?: string;
  limit: number;
}

export interface StateStore {
  /** Alerts matching the query, newest first. */
  listAlerts(q: AlertQuery): Alert[];
  insertAlert(a: Omit<Alert, 'id'>): Alert;
  updateAlert(a: Alert): void;
  close(): void;
}
