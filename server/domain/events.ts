/**
 * Socket.io event maps, declared once and used by the server (`Server<ClientToServer, ServerToClient>`)
 * and the client (`Socket<ServerToClient, ClientToServer>`).
 */
import type { RectificationCase } from './case';
import type { Alert, MaintenanceWindow, Silence } from './alert';
import type { Campaign, CampaignNotice, NoticeKind } from './campaign';
import type { DataKind, FactorValue } from './reading';
import type { SourceKind } from './source-kinds';
import type { NoticeRecipient, PreNotice } from './prenotice';
import type { SiteFacts } from './site-register';
import type { Warning } from './warning';
import type { ReductionResponse } from './response';

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
  /** A kitchen's or a construction site's register facts (issue 16); absent for other sources. */
  site?: SiteFacts;
}

export interface LatestValues {
  mn: string;
  cn: DataKind;
  ts: number;
  factors: Record<string, FactorValue>;
}

export interface AlertEvent {
  /**
   * Monotonic per audience (staff, or one enterprise): per server start, or across the web processes
   * sharing a Redis (realtime.redisUrl); a client that sees a gap can ask for a fresh snapshot.
   */
  seq: number;
  alert: Alert;
}

/**
 * opened    – a new alert that is not suppressed (announce it);
 * updated   – any other change, the whole alert (repeat, ack, assign, comment, close, a quietly
 *             recorded suppressed alert…);
 * cleared   – the condition went away (the alert stays open until acknowledged);
 * escalated – a critical alert left unacknowledged too long (announce it again).
 */
export const ALERT_EVENT_KINDS = ['opened', 'updated', 'cleared', 'escalated'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/** Silences and maintenance windows as they change (not numbered: refetch over REST after a reconnect). */
export interface SilenceEvent {
  silence: Silence;
}
export interface MaintenanceEvent {
  window: MaintenanceWindow;
}

/**
 * What a dashboard may say in its socket handshake (`io({ auth })`): `seq`, the last alert change it
 * applied. With a Redis (realtime.redisUrl) the server then sends only the changes after it, when it
 * still keeps them all, instead of a snapshot; a single process always sends a snapshot.
 */
export interface HandshakeAuth {
  seq?: number;
}

/**
 * Past this many open alerts an audience's snapshot carries only the first of them in the wall's
 * order (`alertsPaged`, with the count): the wall pages the rest over REST instead of every socket
 * (and every browser) taking thousands of alerts at once. The dashboard's first REST load tells the
 * same from the open count it is answered with, before the snapshot arrives.
 */
export const SNAPSHOT_ALERTS_MAX = 500;

export interface Snapshot {
  seq: number;
  alerts: Alert[];
  /** The audience's sources; empty when `sourcesOnRest`. */
  sources: SourceView[];
  /**
   * The audience has too many sources for a socket message (a province's staff): the list is not
   * in the snapshot, the dashboard takes it over REST (GET /api/sources).
   */
  sourcesOnRest?: boolean;
  /**
   * The audience has more open alerts than a snapshot carries (a province): `alerts` is only the
   * first of them in the wall's order (byAttention), the wall pages the rest over REST
   * (GET /api/alerts?open=true&sort=attention), and `openAlerts` says how many there are.
   */
  alertsPaged?: boolean;
  /** With `alertsPaged`: how many open alerts the audience has. */
  openAlerts?: number;
}

/** How a data logger is linked to the server: over MQTT (the broker) or over HJ 212 TCP. */
export const LOGGER_VIAS = ['mqtt', 'hj212'] as const;
export type LoggerVia = (typeof LOGGER_VIAS)[number];
export const LOGGER_LINKS = ['online', 'offline'] as const;
export type LoggerLink = (typeof LOGGER_LINKS)[number];

/**
 * A data logger connected (online) or its last connection closed (offline), as the product learned
 * it: its first MQTT client on the embedded broker connected / its last one closed, or an HJ 212 TCP
 * connection was bound to its MN / closed. `since`: server time of that change (epoch ms).
 */
export interface LoggerStatusEvent {
  mn: string;
  status: LoggerLink;
  since: number;
  via: LoggerVia;
}

export interface ServerToClientEvents {
  'state:snapshot': (s: Snapshot) => void;
  'alert:opened': (e: AlertEvent) => void;
  'alert:updated': (e: AlertEvent) => void;
  'alert:cleared': (e: AlertEvent) => void;
  'alert:escalated': (e: AlertEvent) => void;
  'silence:changed': (e: SilenceEvent) => void;
  'maintenance:changed': (e: MaintenanceEvent) => void;
  /** The registry changed: the audience's whole source list as it is now (replaces the list; issue 14). */
  'sources:changed': (e: SourcesChangedEvent) => void;
  /** Latest values of the sources that reported since the previous batch. */
  'reading:batch': (batch: LatestValues[]) => void;
  /** A logger connected or disconnected (staff and the source's enterprise). */
  'logger:status': (e: LoggerStatusEvent) => void;
  /** The rule pack or a source's override changed (refetch GET /api/rules). */
  'rules:changed': (e: RulesChangedEvent) => void;
  /** A special-control campaign was created or changed state (an enterprise gets only those affecting it, as they concern it). */
  'campaign:changed': (e: CampaignEvent) => void;
  /** A campaign notice was sent to an enterprise (at activation) or acknowledged by it (staff and that enterprise only). */
  'campaign:notice': (e: CampaignNoticeEvent) => void;
  /**
   * On connect (and resync): the open warnings the audience may see (staff: all; an enterprise: those
   * covering its district, without the internal note). Replaces the client's list.
   */
  'warnings:snapshot': (e: WarningsSnapshot) => void;
  /** A warning was issued, started, changed, lifted or cancelled (an enterprise: only those covering its district). */
  'warning:changed': (e: WarningEvent) => void;
  /** A pre-notice was issued or acknowledged (staff: all of it; an addressed enterprise: its own entry only). */
  'prenotice:changed': (e: PreNoticeEvent) => void;
  /** An enterprise acknowledged a warning's notice (staff and that enterprise). */
  'warning:acknowledged': (e: WarningAcknowledgedEvent) => void;
  /** A rectification case was created or changed (staff: the whole case; its enterprise: without the internal note). */
  'case:changed': (e: CaseEvent) => void;
  /** A heavy-pollution response changed (staff: all of it; an enterprise in scope: its own part only). */
  'response:changed': (e: ResponseEvent) => void;
}

export interface ResponseEvent {
  response: ReductionResponse;
}

export interface CaseEvent {
  case: RectificationCase;
}

export interface PreNoticeEvent {
  preNotice: PreNotice;
}

export interface WarningAcknowledgedEvent {
  warningId: number;
  recipient: NoticeRecipient;
}

export interface WarningsSnapshot {
  items: Warning[];
}

export interface WarningEvent {
  warning: Warning;
}

export interface SourcesChangedEvent {
  /** Registry version after the change. */
  version: number;
  /** The audience's new list; empty when `sourcesOnRest`. */
  sources: SourceView[];
  /** Too many for a socket message: fetch the list over REST (GET /api/sources). */
  sourcesOnRest?: boolean;
}

export interface CampaignEvent {
  campaign: Campaign;
}

export interface CampaignNoticeEvent {
  kind: NoticeKind;
  campaign: Campaign;
  notice: CampaignNotice;
}

export const RULES_CHANGE_KINDS = ['pack', 'override'] as const;

export interface RulesChangedEvent {
  kind: (typeof RULES_CHANGE_KINDS)[number];
  mn: string | null;
}

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a sequence gap). */
  'state:resync': () => void;
}
