/**
 * Socket.io event maps, declared once and used by the server (`Server<ClientToServer, ServerToClient>`)
 * and the client (`Socket<ServerToClient, ClientToServer>`).
 */
import type { Alert } from './alert';
import type { DataKind, FactorValue } from './reading';
import type { SourceKind } from './source-kinds';

export const SOURCE_STATUSES = ['normal', 'exceeding', 'offline', 'nodata'] as const;
export type SourceStatusKind = (typeof SOURCE_STATUSES)[number];

/** A source as the dashboard lists it: registry facts, its latest values and its status. */
export interface SourceView {
  mn: string;
  name: string;
  kind: SourceKind;
  enterpriseId: string;
  enterpriseName: string;
  district: string;
  lat: number;
  lon: number;
  status: SourceStatusKind;
  latest: LatestValues | null;
}

export interface LatestValues {
  mn: string;
  cn: DataKind;
  ts: number;
  factors: Record<string, FactorValue>;
}

export interface AlertEvent {
  /** Monotonic per server start; a client that sees a gap can ask for a fresh snapshot. */
  seq: number;
  alert: Alert;
}

export interface Snapshot {
  seq: number;
  alerts: Alert[];
  sources: SourceView[];
}

export interface ServerToClientEvents {
  'state:snapshot': (s: Snapshot) => void;
  'alert:opened': (e: AlertEvent) => void;
  'alert:updated': (e: AlertEvent) => void;
  'alert:resolved': (e: AlertEvent) => void;
  /** Latest values of the sources that reported since the previous batch. */
  'reading:batch': (batch: LatestValues[]) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a sequence gap). */
  'state:resync': () => void;
}
