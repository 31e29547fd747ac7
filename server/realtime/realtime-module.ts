/**
 * The realtime stage as app.ts builds it: the HTTP server (the HTTP stage mounts the Express app on
 * it) with the socket.io hub attached, fed by the other stages' changes — latest values, alerts,
 * silences and maintenance windows, rules, campaigns and notices, the registry's sources, loggers'
 * connections — and closing what a revoked session or identity was granted. A socket's snapshot is what its principal may see right now.
 * With `realtime.redisUrl` it shares all of that with the other web processes through Redis
 * (realtime-redis.ts): it does not start until Redis answers.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import express from 'express';
import type { AlertService } from '../alerts/alert-service';
import type { AuthModule } from '../auth/auth-module';
import { socketOriginAllowed, type TrustProxyFn } from '../auth/socket-auth';
import type { AppConfig } from '../config';
import { alertForEnterprise, type NameOf } from '../domain/enterprise-view';
import type { EventBus } from '../domain/internal-events';
import { inScope, scopeOf } from '../domain/access';
import { byAttention, type Alert } from '../domain/alert';
import { SNAPSHOT_ALERTS_MAX } from '../domain/events';
import type { Department } from '../domain/site-register';
import type { Logger } from '../logger';
import type { Warning } from '../domain/warning';
import type { SourceViewCache } from '../sources/source-view-cache';
import { RealtimeHub } from './realtime-hub';
import { connectRealtimeRedis } from './realtime-redis';

export interface RealtimeDeps {
  auth: Pick<AuthModule, 'socketIdentity'>;
  alerts: AlertService;
  events: EventBus;
  /** Every source as the dashboard shows it now (cached views: server/sources/source-view-cache.ts). */
  views: Pick<SourceViewCache, 'all' | 'query' | 'statuses'>;
  enterpriseOf: (mn: string) => string | undefined;
  /** The department that oversees a source (a kitchen's or a site's), if any. */
  overseerOf?: (mn: string) => Department | undefined;
  /** The open warnings (snapshot on connect) and an enterprise's district (which warnings it sees). */
  warnings?: () => readonly Warning[];
  districtOf?: (enterpriseId: string) => string | undefined;
  /** How an enterprise reads a person (display name). */
  nameOf: NameOf;
  log: Logger;
  now: () => number;
}

/**
 * Past this many sources an audience's snapshot carries none (`sourcesOnRest`): the dashboard
 * fetches the list over REST, served from cached JSON, rather than each socket serializing megabytes.
 */
export const SNAPSHOT_SOURCES_MAX = 1_000;

/** How many open alerts a snapshot carries at most (server/domain/events.ts). */
export { SNAPSHOT_ALERTS_MAX };

/** The alerts of a snapshot: every open one and the recently closed, or the first page of the open ones. */
export function snapshotAlerts(open: Alert[], recent: readonly Alert[]): { alerts: Alert[]; alertsPaged?: true; openAlerts?: number } {
  if (open.length <= SNAPSHOT_ALERTS_MAX) return { alerts: [...open, ...recent] };
  return { alerts: open.sort(byAttention).slice(0, SNAPSHOT_ALERTS_MAX), alertsPaged: true, openAlerts: open.length };
}

export interface RealtimeModule {
  /** Not listening yet: the HTTP stage mounts its app and listens. */
  server: Server;
  /** The request handler behind socket.io's own paths (the Express app). */
  mount(app: RequestListener): void;
  hub: RealtimeHub;
  /** Closes the hub and the HTTP server with it (and the Redis connections). */
  stop(): Promise<void>;
}

export async function startRealtime(config: Pick<AppConfig, 'server' | 'realtime'>, deps: RealtimeDeps): Promise<RealtimeModule> {
  const { auth, alerts, views, now } = deps;
  const { redisUrl } = config.realtime;
  const cluster = redisUrl ? await connectRealtimeRedis(redisUrl, { log: deps.log }) : undefined;
  // socket.io takes its own paths and hands every other request to the listener present when it
  // attaches: that listener forwards to the app the HTTP stage mounts (before it listens).
  let app: RequestListener = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => app(req, res));
  // The same check the Express app compiles from server.trustProxy (its `trust proxy fn`).
  const trust = express()
    .set('trust proxy', config.server.trustProxy ?? false)
    .get('trust proxy fn') as TrustProxyFn;
  const hub = new RealtimeHub(server, {
    snapshot: (p) => {
      const scope = scopeOf(p);
      // The sources in scope by their registry facts: their views are built only if the snapshot carries them.
      const scoped = views.statuses(scope);
      // An alert is seen with its source (a department's sites; an enterprise's own sources, even removed ones).
      const mns = 'department' in scope ? new Set(scoped.map((s) => s.mn)) : null;
      const visible = (a: Alert) => (mns ? mns.has(a.mn) : inScope(scope, a.enterpriseId));
      const recent = alerts.recentlyClosed().filter(visible).slice(0, 50);
      const shown = snapshotAlerts(alerts.openAlerts().filter(visible), recent);
      if (!scope.all) shown.alerts = shown.alerts.map((a) => alertForEnterprise(a, deps.nameOf));
      // A large list stays out of the socket: the dashboard takes it over REST (cached JSON) instead.
      if (scoped.length > SNAPSHOT_SOURCES_MAX) return { ...shown, sources: [], sourcesOnRest: true };
      return { ...shown, sources: views.query(scope, { offset: 0 }).views };
    },
    authenticate: (cookie) => auth.socketIdentity(cookie),
    allowRequest: (req) => socketOriginAllowed(req, trust),
    now,
    enterpriseOf: deps.enterpriseOf,
    ...(deps.overseerOf ? { overseerOf: deps.overseerOf } : {}),
    nameOf: deps.nameOf,
    batchMs: config.realtime.readingBatchMs,
    maxSources: SNAPSHOT_SOURCES_MAX,
    ...(deps.warnings ? { warnings: deps.warnings } : {}),
    ...(deps.districtOf ? { districtOf: deps.districtOf } : {}),
    log: deps.log,
    ...(cluster ? { cluster } : {}),
  });
  const { events } = deps;
  events.on('user:revoked', (e) => void hub.revoke(e));
  events.on('alert:changed', (e) => hub.alert(e.kind, e.alert));
  events.on('suppression:changed', (c) => ('silence' in c ? hub.silence(c.silence) : hub.maintenance(c.window)));
  events.on('reading:latest', (lv) => hub.latest(lv));
  events.on('rules:changed', (e) => hub.rules(e));
  events.on('logger:status', (e) => hub.loggerStatus(e));
  events.on('campaign:changed', (c) => hub.fanout.campaign(c));
  events.on('notice:sent', (e) => hub.fanout.notice(e.kind, e.campaign, e.notice));
  events.on('warning:changed', (w) => hub.fanout.warning(w));
  events.on('prenotice:changed', (p) => hub.fanout.preNotice(p));
  events.on('warning:acknowledged', (e) => hub.fanout.warningAcknowledged(e));
  events.on('case:changed', (c) => hub.fanout.caseChanged(c));
  events.on('response:changed', (r) => hub.fanout.response(r));
  // A source or enterprise added, changed or removed: rooms and snapshots read the live directory
  // already; the dashboards get their new source lists now.
  events.on('registry:changed', (c) => hub.fanout.sources(c.version, views.all()));
  return {
    server,
    hub,
    mount: (a) => void (app = a),
    stop: async () => {
      await hub.close();
      await cluster?.close();
    },
  };
}
