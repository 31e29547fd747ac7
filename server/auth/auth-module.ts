/**
 * Accounts at run time: the user, session and audit stores (Kysely over the auth database: `<dataDir>/auth.db`, or the
 * PostgreSQL database of DATABASE_URL, where several web processes share the sessions; migrated at start), one login guard per
 * sign-in door (web, MQTT; their known-good clients in the auth database), the first administrator (from
 * O3S_ADMIN_USERNAME / O3S_ADMIN_PASSWORD) and, on the demo only, the demo accounts. Gives the HTTP
 * app its routers and the `authenticate` gate, the realtime hub its socket check, the embedded
 * broker its user checker and guard, and everyone the revocation signal (`user:revoked` on the event bus).
 */
import type { RequestHandler, Router } from 'express';
import type { EventBus } from '../domain/internal-events';
import type { IdentityRevoked, Principal } from '../domain/principal';
import { derived } from '../domain/registry-derived';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { ApiTokenStore } from '../storage/sql/api-token-store';
import { authDatabase, describeLocation, type StoreLocations } from '../storage/sql/database';
import type { ApiTokenTables } from '../storage/sql/api-token-tables';
import type { Kysely } from 'kysely';
import { ApiTokens } from './api-tokens';
import { AuditLog } from './audit-log';
import { auditRouter } from './audit-router';
import { authenticate } from './auth-middleware';
import { authRouter } from './auth-router';
import type { DemoAccount } from './demo-accounts';
import { openAuthDatabase } from './auth-database';
import { SqlKnownClients } from './known-clients';
import { LoginGuard } from './login-guard';
import { createPasswordHasher } from './password';
import { SessionStore } from './session-store';
import { Revocations } from './revocations';
import { principalFromCookieHeader, socketIdentityFromCookieHeader, type SocketIdentity } from './socket-auth';
import { UserStore, type User } from './user-store';
import { usersRouter } from './users-router';

export interface AuthConfig {
  demoAccounts: boolean;
  /**
   * A password someone else knows (demo accounts, one an administrator set) must be changed at the
   * next sign-in. Default true; the test harness turns it off (its many suites sign in as demo and
   * administrator-created users to test other things; the forced change has its own suites).
   */
  forcePasswordChange?: boolean;
  adminUsername: string;
  adminPassword: string;
  /** Per API token: `burst` requests at once, refilled at `perMinute` (default 60 and 120). */
  apiTokens?: { burst: number; perMinute: number };
}

export interface AuthModule {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  /** API tokens for machines (their router is mounted behind the gate: /api/tokens). */
  tokens: ApiTokens;
  /** Web sign-in (and password changes). */
  guard: LoginGuard;
  /** MQTT CONNECTs (loggers and user accounts on the embedded broker): failures there never slow web sign-in. */
  deviceGuard: LoginGuard;
  /** Demo accounts created (or kept) at start; empty outside the demo. */
  demo: DemoAccount[];
  /** Routers reachable without a session (they check it themselves where needed). */
  routers: Record<string, Router>;
  /** The gate in front of every other /api route: 401 without a valid session. */
  authenticate: RequestHandler;
  /** The signed-in user behind a socket.io handshake's cookie. */
  principalFromCookie(cookieHeader: string | undefined): Promise<Principal | null>;
  /** The same with the session it belongs to (the realtime hub closes a session's sockets when it ends). */
  socketIdentity(cookieHeader: string | undefined): Promise<SocketIdentity | null>;
  /** Revocation signals so far, per reason. */
  revocationCounts(): Partial<Record<IdentityRevoked['reason'], number>>;
  prune(): Promise<void>;
  close(): Promise<void>;
}

export async function startAuth(
  config: AuthConfig,
  stores: StoreLocations,
  registry: RegistryView,
  log: Logger,
  now: () => number,
  events?: EventBus,
): Promise<AuthModule> {
  const location = authDatabase(stores);
  const file = describeLocation(location);
  const { db, close, migrated } = await openAuthDatabase(location);
  const ran = Object.entries(migrated).filter(([, names]) => names.length > 0);
  if (ran.length > 0) log.info({ file, migrations: Object.fromEntries(ran) }, 'auth database migrated');
  const users = new UserStore(db, createPasswordHasher(), now);
  const sessions = new SessionStore(db, {}, now);
  const audit = new AuditLog(db, now);
  const guard = new LoginGuard({}, now, new SqlKnownClients(db, 'web', {}, now));
  const deviceGuard = new LoginGuard({}, now, new SqlKnownClients(db, 'mqtt', {}, now));
  const revocations = new Revocations(log.child({ module: 'revocations' }), now, events);
  const force = config.forcePasswordChange ?? true;
  let demo: DemoAccount[];
  try {
    demo = await seedAccounts(config, users, audit, registry, log);
  } catch (err) {
    await close();
    throw err;
  }
  const enterprises = derived(registry, (r) => new Set(r.enterprises.map((e) => e.id)));
  // API tokens in the same database (one connection, or pool, for both), with their own migration history.
  const tokenStore = new ApiTokenStore(db as unknown as Kysely<ApiTokenTables>);
  const tokenMigrations = await tokenStore.migrate().catch(async (err: unknown) => {
    await close();
    throw err;
  });
  if (tokenMigrations.length > 0) log.info({ file, migrations: tokenMigrations }, 'API token store migrated');
  const tokens = new ApiTokens({
    store: tokenStore,
    users,
    audit,
    enterpriseExists: (id) => enterprises().has(id),
    limits: config.apiTokens ?? { burst: 60, perMinute: 120 },
    log: log.child({ module: 'api-tokens' }),
    now,
  });
  return {
    users,
    sessions,
    audit,
    tokens,
    guard,
    deviceGuard,
    demo,
    routers: {
      '/api/auth': authRouter({ users, sessions, guard, audit, revocations, log: log.child({ module: 'auth' }) }),
      '/api/users': usersRouter({
        users,
        sessions,
        audit,
        guards: [guard, deviceGuard],
        revocations,
        enterpriseExists: (id) => enterprises().has(id),
        forcePasswordChange: force,
      }),
      '/api/audit': auditRouter({ audit, sessions, users }),
    },
    authenticate: authenticate(sessions, users, {}, tokens.gate),
    principalFromCookie: (header) => principalFromCookieHeader(header, sessions, users),
    socketIdentity: (header) => socketIdentityFromCookieHeader(header, sessions, users),
    revocationCounts: () => ({ ...revocations.counts }),
    async prune() {
      await sessions.prune();
      await guard.prune();
      await deviceGuard.prune();
    },
    close,
  };
}

/** The first administrator (from the environment) and, on the demo, the demo accounts; returns those. */
async function seedAccounts(
  config: AuthConfig,
  users: UserStore,
  audit: AuditLog,
  registry: RegistryView,
  log: Logger,
): Promise<DemoAccount[]> {
  if (config.adminUsername && config.adminPassword) {
    const { created } = await users.ensureAdmin(config.adminUsername, config.adminPassword);
    if (created) log.info({ username: config.adminUsername }, 'first administrator created');
  }
  let demo: DemoAccount[] = [];
  if (config.demoAccounts) {
    const reg = registry.current();
    const { accounts, flagged } = await users.ensureDemoAccounts(
      reg.enterprises,
      { mustChangePassword: config.forcePasswordChange ?? true },
      reg.sources,
    );
    demo = accounts;
    for (const username of flagged) {
      const u = (await users.findByUsername(username)) as User;
      const actor = { username: 'system', role: null };
      await audit.record({ actor, action: 'password_change_required', target: `user:${u.id}`, detail: { reason: 'demo' } });
    }
    if (flagged.length > 0) log.info({ usernames: flagged }, 'demo accounts must change their published password at first sign-in');
  }
  if ((await users.countActiveAdmins()) === 0) {
    log.warn('no administrator yet: set O3S_ADMIN_USERNAME and O3S_ADMIN_PASSWORD, or run `npm run users -- create-admin <name>`');
  }
  return demo;
}
