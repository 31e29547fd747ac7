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
import type { SourceView } from '../domain/events';
import type { EventBus } from '../domain/internal-events';
import { inScope, scopeOf, sourceInScope } from '../domain/access';
import type { Alert } from '../domain/alert';
import type { Department } from '../domain/site-register';
import type { Logger } from '../logger';
import type { Warning } from '../domain/warning';
import { RealtimeHub } from './realtime-hub';
import { connectRealtimeRedis } from './realtime-redis';

export interface RealtimeDeps {
  auth: Pick<AuthModule, 'socketIdentity'>;
  alerts: AlertService;
  events: EventBus;
  /** Every source as the dashboard shows it now. */
  views: () => SourceView[];
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
      const sources = views().filter((s) => sourceInScope(scope, s));
      // An alert is seen with its source (a department's sites; an enterprise's own sources, even removed ones).
      const mns = new Set(sources.map((s) => s.mn));
      const visible = (a: Alert) => ('department' in scope ? mns.has(a.mn) : inScope(scope, a.enterpriseId));
      const recent = alerts.recentlyClosed().filter(visible).slice(0, 50);
      const shown = [...alerts.openAlerts().filter(visible), ...recent];
      return { alerts: scope.all ? shown : shown.map((a) => alertForEnterprise(a, deps.nameOf)), sources };
    },
    authenticate: (cookie) => auth.socketIdentity(cookie),
    allowRequest: (req) => socketOriginAllowed(req, trust),
    now,
    enterpriseOf: deps.enterpriseOf,
    ...(deps.overseerOf ? { overseerOf: deps.overseerOf } : {}),
    nameOf: deps.nameOf,
    batchMs: config.realtime.readingBatchMs,
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
  events.on('campaign:changed', (c) => hub.campaign(c));
  events.on('notice:sent', (e) => hub.notice(e.kind, e.campaign, e.notice));
  events.on('warning:changed', (w) => hub.warning(w));
  events.on('prenotice:changed', (p) => hub.preNotice(p));
  events.on('warning:acknowledged', (e) => hub.warningAcknowledged(e));
  events.on('case:changed', (c) => hub.caseChanged(c));
  events.on('response:changed', (r) => hub.response(r));
  // A source or enterprise added, changed or removed: rooms and snapshots read the live directory
  // already; the dashboards get their new source lists now.
  events.on('registry:changed', (c) => hub.sources(c.version, views()));
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
