/**
 * Routes the socket's events into the stores: snapshot → alerts + sources, a changed registry
 * (`sources:changed`) → sources, alert events →
 * alerts (a sequence gap asks the server for a fresh snapshot), reading batches → sources,
 * the overview's compact points follow readings, loggers' status, registry changes and reconnects,
 * connection life-cycle → connection, maintenance windows → maintenance, rectification cases → cases, campaigns and their notices →
 * campaigns (refetched after a reconnect, like maintenance), loggers' connections → sources. Every payload is checked
 * before a store sees it. New alerts that must be announced (opened, escalated) go to `hooks.announce`.
 *
 * Resuming: each handshake says where the alerts store left off (`resumeSeq`, see socket.ts); with a
 * Redis the server then replays the missed alert changes instead of a snapshot, so a reconnect that
 * resumed refetches the source list over REST (`hooks.fetchSources`: a `sources:changed` may have
 * been missed), or at a province's size drops the sources fetched by MN. A socket the server closed
 * on purpose starts again from a snapshot.
 */
import type { Alert } from '@domain/alert';
import type { AlertEvent, SourceView } from '@domain/events';
import { useAlertsStore } from '../stores/alerts';
import { useCampaignsStore } from '../stores/campaigns';
import { useCasesStore } from '../stores/cases';
import { useConnectionStore } from '../stores/connection';
import { useMaintenanceStore } from '../stores/maintenance';
import { useSourcePointsStore } from '../stores/source-points';
import { useSourcesStore } from '../stores/sources';
import { useResponsesStore } from '../stores/responses';
import { useWarningNoticesStore } from '../stores/warning-notices';
import { useWarningsStore } from '../stores/warnings';
import { isPreNoticeEvent, isWarningAcknowledgedEvent } from './warning-notices';
import { isWarningEvent, isWarningsSnapshot } from './warnings';
import { isCampaignEvent, isNoticeEvent } from './campaigns';
import { isCaseEvent } from './cases';
import { isResponseEvent } from './responses';
import { isAlertEvent, isLoggerStatus, isMaintenanceEvent, isReadingBatch, isSnapshot, isSourcesChanged } from './guards';
import { eventBatcher } from './event-batcher';
import type { SentinelSocket } from './socket';

/** The part of a socket.io client socket this module uses (a fake in tests). */
export type RealtimeSocket = Pick<SentinelSocket, 'on' | 'emit' | 'connect' | 'disconnect' | 'active'> & {
  io: Pick<SentinelSocket['io'], 'on'>;
};

const ALERT_EVENTS = ['alert:opened', 'alert:updated', 'alert:cleared', 'alert:escalated'] as const;

export interface RealtimeHooks {
  /** An alert was opened or escalated (after the store applied it): sound, notification… */
  announce?: (kind: 'opened' | 'escalated', alert: Alert) => void;
  /** (Re)connected: refetch what has no sequence numbers (maintenance windows). */
  connected?: () => void;
  /** A city's source list over REST, refetched after a reconnect that resumed (no snapshot brings it then). */
  fetchSources?: () => Promise<SourceView[]>;
  /**
   * Alert changes, reading batches and loggers' status arriving within this many ms are applied
   * together (event-batcher.ts); 0 or absent: each at once. The dashboard uses REALTIME_BATCH_MS.
   */
  batchMs?: number;
}

export const REALTIME_BATCH_MS = 100;

export function bindRealtime(socket: RealtimeSocket, hooks: RealtimeHooks = {}): () => void {
  const alerts = useAlertsStore();
  const maintenance = useMaintenanceStore();
  const sources = useSourcesStore();
  const points = useSourcePointsStore();
  const connection = useConnectionStore();
  const campaigns = useCampaignsStore();
  const warnings = useWarningsStore();
  const notices = useWarningNoticesStore();
  const cases = useCasesStore();
  const responses = useResponsesStore();
  const later = eventBatcher(hooks.batchMs ?? 0);

  function reject(event: string, payload: unknown): void {
    connection.reject();
    console.warn(`[realtime] rejected malformed "${event}" payload`, payload);
  }

  socket.on('connect', () => {
    connection.set('connected');
    void campaigns.resync();
    points.resync();
    hooks.connected?.();
    // The handshake resumed (it was read from the same store): the alert changes may be replayed
    // without a snapshot, and the source list must come from elsewhere.
    const { fetchSources } = hooks;
    if (alerts.resumeSeq === null) return;
    // A province's: what was fetched by MN is dropped (fetched again when shown).
    if (sources.onDemand) sources.goOnDemand(true);
    else if (fetchSources) {
      sources.refresh(fetchSources).catch((err: unknown) => console.warn('[realtime] source list not refetched after the reconnect', err));
    }
  });
  socket.on('disconnect', (reason) => {
    // The server closed the session on purpose: socket.io will not retry by itself, but a
    // dashboard must come back as soon as the server does — from a snapshot (the identity may have
    // changed, and with it the audience whose numbers the page holds).
    if (reason === 'io server disconnect') {
      alerts.expectSnapshot();
      socket.connect();
    }
    points.markStale();
    connection.set(socket.active ? 'reconnecting' : 'disconnected');
  });
  socket.on('connect_error', () => {
    if (!socket.active) connection.set('disconnected');
  });
  socket.io.on('reconnect_attempt', (n) => connection.reconnecting(n));
  socket.io.on('reconnect_failed', () => connection.set('disconnected'));

  socket.on('state:snapshot', (s) => {
    if (!isSnapshot(s)) return reject('state:snapshot', s);
    later.flush();
    alerts.applySnapshot(s);
    // A province's list is not in the socket's snapshot: its sources come by MN as they are shown
    // (and the whole list only for a page that needs every source).
    if (!s.sourcesOnRest) sources.applySnapshot(s.sources);
    else sources.goOnDemand();
  });

  // The registry changed: the new source list replaces the old one (map, grid and overviews follow).
  socket.on('sources:changed', (e) => {
    if (!isSourcesChanged(e)) return reject('sources:changed', e);
    later.flush();
    points.resync(true);
    if (!e.sourcesOnRest) return sources.applyRegistryChange(e);
    sources.goOnDemand(true);
  });

  const onAlert = (event: string) => (e: AlertEvent) => {
    if (!isAlertEvent(e)) return reject(event, e);
    later.run(() => {
      const result = alerts.applyEvent(e);
      if (result === 'resync') socket.emit('state:resync');
      if (result !== 'stale' && (event === 'alert:opened' || event === 'alert:escalated')) {
        hooks.announce?.(event === 'alert:opened' ? 'opened' : 'escalated', e.alert);
      }
    });
  };
  for (const event of ALERT_EVENTS) socket.on(event, onAlert(event));

  socket.on('maintenance:changed', (e) => {
    if (!isMaintenanceEvent(e)) return reject('maintenance:changed', e);
    maintenance.apply(e.window);
  });

  socket.on('campaign:changed', (e) => {
    if (!isCampaignEvent(e)) return reject('campaign:changed', e);
    campaigns.apply(e.campaign);
  });
  socket.on('campaign:notice', (e) => {
    if (!isNoticeEvent(e)) return reject('campaign:notice', e);
    campaigns.applyNotice(e);
  });

  // Heavy-pollution and ozone warnings: the open ones at connect, then every change (the banner).
  socket.on('warnings:snapshot', (e) => {
    if (!isWarningsSnapshot(e)) return reject('warnings:snapshot', e);
    warnings.applySnapshot(e.items);
  });
  socket.on('warning:changed', (e) => {
    if (!isWarningEvent(e)) return reject('warning:changed', e);
    warnings.apply(e.warning);
  });
  // Pre-notices (an enterprise: those addressed to it) and acknowledgements of warning notices.
  socket.on('prenotice:changed', (e) => {
    if (!isPreNoticeEvent(e)) return reject('prenotice:changed', e);
    notices.applyPreNotice(e.preNotice);
  });
  socket.on('warning:acknowledged', (e) => {
    if (!isWarningAcknowledgedEvent(e)) return reject('warning:acknowledged', e);
    notices.applyAck(e.warningId, e.recipient);
  });

  socket.on('case:changed', (e) => {
    if (!isCaseEvent(e)) return reject('case:changed', e);
    // Only a page that shows cases has loaded them: otherwise nothing to refresh.
    if (cases.watching) cases.changed(e.case);
  });

  // Heavy-pollution responses (an enterprise: its own part).
  socket.on('response:changed', (e) => {
    if (!isResponseEvent(e)) return reject('response:changed', e);
    responses.apply(e.response);
  });

  socket.on('reading:batch', (batch) => {
    if (!isReadingBatch(batch)) return reject('reading:batch', batch);
    later.run(() => {
      sources.applyBatch(batch);
      points.applyBatch(batch);
    });
  });

  // A logger's last connection closed: its source shows offline at once, not after the server's interval.
  socket.on('logger:status', (e) => {
    if (!isLoggerStatus(e)) return reject('logger:status', e);
    later.run(() => {
      sources.applyLoggerStatus(e);
      points.applyLoggerStatus(e);
    });
  });

  socket.connect();
  return () => {
    later.stop();
    socket.disconnect();
  };
}

/**
 * First paint from REST while the socket connects (a proxy that delays the WebSocket upgrade must
 * not leave the page blank): the first page of the open alerts in the wall's order, and how many are
 * open — past what a snapshot carries the alerts are paged, and the wall starts from this page at once
 * rather than wait for the snapshot to say so. Ignored if the socket's snapshot came first; the
 * snapshot always wins. No source list: the snapshot brings a city's, and the sources shown are
 * fetched by MN meanwhile (a province's list is never on the start path).
 */
export async function loadInitialState(rest: { fetchOpenAlerts: () => Promise<{ items: Alert[]; total: number }> }): Promise<void> {
  const alerts = useAlertsStore();
  await rest.fetchOpenAlerts().then((page) => alerts.hydrate(page.items, page.total));
}
