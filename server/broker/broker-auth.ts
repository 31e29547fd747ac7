/**
 * Authentication and authorisation hooks for the embedded aedes broker, enforcing topic-acl.ts:
 * - the server's own ingest client (internal credentials) may do everything;
 * - a data logger connects with username = its MN and its registry `mqttPassword`, publishes only
 *   its own upload topics and subscribes only to its own reply topic;
 * - a user account (username/password of the web app) connects read-only: see topic-acl.ts; not
 *   while the user must change a password someone else set (refused "not authorized", like the
 *   web app's 403 `password_change_required`; the right password, so not a failure for the guard).
 * Anonymous connections are refused. A refused subscription is granted QoS 128; a refused publish
 * closes the connection (aedes has no silent drop; Mosquitto drops it silently instead).
 * Client ids are bound to identities (client-ids.ts): a CONNECT with a client id that is not the
 * identity's own is refused with "identifier rejected" here, in `authenticate`, which aedes runs
 * before it ends an older connection with the same id or cleans its session — so a refused
 * takeover attempt neither kicks the owner nor wipes its queued messages.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AedesOptions, AuthenticateError, AuthErrorCode, Client } from 'aedes';
import type { Principal } from '../domain/principal';
import type { LoginGuard } from '../auth/login-guard';
import { toPrincipal, type UserStore } from '../auth/user-store';
import type { Logger } from '../logger';
import { mayUseClientId } from './client-ids';
import { mayPublish, maySubscribe, type MqttIdentity } from './topic-acl';
import type { ScopedSource } from '../domain/access';

/** What the broker needs of a source: its logger's password, and who may read it (`sourceInScope`). */
export interface BrokerSource extends ScopedSource {
  mn: string;
  mqttPassword?: string | undefined;
}

export interface BrokerAuthDeps {
  /** The registry at run time, by MN. */
  source: (mn: string) => BrokerSource | undefined;
  /** The server's own MQTT client (ingest, dead letters, replies). */
  internal: { username: string; password: string };
  /** The ingest subscriber's client id (`mqtt.clientId`): reserved for the internal identity. */
  ingestClientId: string;
  /**
   * User accounts: the principal when the username/password is right and the user enabled, else
   * null; `password_change_required` when right but the user must change the password first.
   */
  checkUser?: (username: string, password: string) => Promise<Principal | 'password_change_required' | null>;
  /** Counts failed CONNECTs per username and IP, like sign-ins. */
  guard?: LoginGuard;
  log: Logger;
}

export type BrokerAuthHooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

/** Why the broker refused a client or a packet (counted in `/healthz` under `mqttBroker`). */
export type BrokerRefusal = 'anonymous' | 'locked' | 'bad_credentials' | 'password_change_required' | 'client_id' | 'publish' | 'subscribe';

export interface BrokerAuth extends BrokerAuthHooks {
  /** Who is behind a connected client (for logs and tests). */
  identityOf(client: Client): MqttIdentity | undefined;
  /** Refusals so far, by reason. */
  readonly refused: Readonly<Record<BrokerRefusal, number>>;
}

/** `AuthErrorCode` values (an ambient const enum, which isolatedModules cannot read). */
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;
const NOT_AUTHORIZED = 5 as AuthErrorCode;

const refusal = (returnCode: AuthErrorCode, message: string): AuthenticateError => Object.assign(new Error(message), { returnCode });

/** Constant-time comparison of two secrets of any length. */
export function secretEquals(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b)) && a.length === b.length;
}

const ipOf = (client: Client): string => (client.conn as Socket | undefined)?.remoteAddress ?? 'unknown';

export function createBrokerAuth(deps: BrokerAuthDeps): BrokerAuth {
  const identities = new WeakMap<Client, MqttIdentity>();
  const { log } = deps;
  const refused: Record<BrokerRefusal, number> = {
    anonymous: 0,
    locked: 0,
    bad_credentials: 0,
    password_change_required: 0,
    client_id: 0,
    publish: 0,
    subscribe: 0,
  };

  async function identify(username: string, password: string): Promise<MqttIdentity | 'password_change_required' | null> {
    if (username === deps.internal.username) {
      return secretEquals(password, deps.internal.password) ? { kind: 'internal', username } : null;
    }
    const source = deps.source(username);
    if (source) {
      // A logger without an MQTT password in the registry cannot connect while auth is on.
      return source.mqttPassword !== undefined && secretEquals(password, source.mqttPassword)
        ? { kind: 'logger', mn: source.mn, enterpriseId: source.enterpriseId }
        : null;
    }
    const principal = deps.checkUser ? await deps.checkUser(username, password) : null;
    return principal === 'password_change_required' ? principal : principal ? { kind: 'user', principal } : null;
  }

  const authenticate: BrokerAuthHooks['authenticate'] = (client, username, password, done) => {
    if (username === undefined || username === '' || password === undefined) {
      refused.anonymous++;
      log.info({ clientId: client.id, ip: ipOf(client) }, 'mqtt anonymous connect refused');
      return done(refusal(NOT_AUTHORIZED, 'anonymous connections are not allowed'), false);
    }
    const ip = ipOf(client);
    void admit(client, username, password.toString('utf8'), ip).then(
      (refusalOrNull) => (refusalOrNull ? done(refusalOrNull, false) : done(null, true)),
      (err: unknown) => {
        log.error({ err, clientId: client.id }, 'mqtt authentication failed');
        done(refusal(3 as AuthErrorCode, 'authentication unavailable'), false);
      },
    );
  };

  /** Guard, credentials, client id: null when the client is let in (its identity recorded), else the refusal. */
  async function admit(client: Client, username: string, password: string, ip: string): Promise<AuthenticateError | null> {
    const verdict = await deps.guard?.check(username, ip);
    if (verdict && !verdict.allowed) {
      refused.locked++;
      log.warn({ clientId: client.id, username, ip, retryAfterS: verdict.retryAfterS }, 'mqtt connect refused: too many failures');
      return refusal(NOT_AUTHORIZED, 'too many failed attempts');
    }
    const id = await identify(username, password);
    if (!id) {
      refused.bad_credentials++;
      deps.guard?.fail(username, ip);
      log.info({ clientId: client.id, username, ip }, 'mqtt connect refused: bad username or password');
      return refusal(BAD_USERNAME_OR_PASSWORD, 'bad username or password');
    }
    await deps.guard?.succeed(username, ip);
    if (id === 'password_change_required') {
      refused.password_change_required++;
      log.info({ clientId: client.id, username, ip }, 'mqtt connect refused: the user must change the password first');
      return refusal(NOT_AUTHORIZED, 'change your password in the web app first');
    }
    if (!mayUseClientId(id, client.id, deps.ingestClientId)) {
      refused.client_id++;
      const clientId = client.id.slice(0, 100);
      log.warn({ clientId, username, identity: id.kind, ip }, 'mqtt connect refused: client id not allowed for this identity');
      return refusal(IDENTIFIER_REJECTED, `client id "${clientId}" is not allowed for "${username}"`);
    }
    identities.set(client, id);
    return null;
  }

  const authorizePublish: BrokerAuthHooks['authorizePublish'] = (client, packet, callback) => {
    // client is null for a will of a client long gone: its identity is unknown, so it is not published.
    const id = client ? identities.get(client) : undefined;
    if (id && client && mayUseClientId(id, client.id, deps.ingestClientId) && mayPublish(id, packet.topic)) return callback(null);
    refused.publish++;
    log.warn(
      { clientId: client?.id, identity: id?.kind, mn: id?.kind === 'logger' ? id.mn : undefined, topic: packet.topic },
      'mqtt publish refused',
    );
    callback(new Error(`not authorised to publish to ${packet.topic}`));
  };

  const authorizeSubscribe: BrokerAuthHooks['authorizeSubscribe'] = (client, sub, callback) => {
    const id = identities.get(client);
    if (id && maySubscribe(id, sub.topic, deps.source)) return callback(null, sub);
    refused.subscribe++;
    log.info({ clientId: client.id, identity: id?.kind, topic: sub.topic }, 'mqtt subscription refused');
    callback(null, null); // granted QoS 128
  };

  return { authenticate, authorizePublish, authorizeSubscribe, identityOf: (client) => identities.get(client), refused };
}

/** `checkUser` from the user store: enabled users with the right password, unless they must change it first. */
export function userChecker(users: Pick<UserStore, 'checkLogin'>): NonNullable<BrokerAuthDeps['checkUser']> {
  return async (username, password) => {
    const r = await users.checkLogin(username, password);
    if (!r.ok) return null;
    return r.user.mustChangePassword ? 'password_change_required' : toPrincipal(r.user);
  };
}
