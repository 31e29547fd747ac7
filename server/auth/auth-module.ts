/**
 * Accounts at run time: the user, session and audit stores (SQLite, auth.db), the login guard, the
 * first administrator (from O3S_ADMIN_USERNAME / O3S_ADMIN_PASSWORD) and, on the demo only, the
 * demo accounts. Gives the HTTP app its routers and the `authenticate` gate, the realtime hub its
 * socket check, and the embedded broker its user checker.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { RequestHandler, Router } from 'express';
import type { Principal } from '../domain/principal';
import type { Registry } from '../domain/registry';
import type { Logger } from '../logger';
import { AuditLog } from './audit-log';
import { auditRouter } from './audit-router';
import { authenticate } from './auth-middleware';
import { authRouter } from './auth-router';
import type { DemoAccount } from './demo-accounts';
import { LoginGuard } from './login-guard';
import { createPasswordHasher } from './password';
import { SessionStore } from './session-store';
import { principalFromCookieHeader } from './socket-auth';
import { UserStore } from './user-store';
import { usersRouter } from './users-router';

export interface AuthConfig {
  demoAccounts: boolean;
  adminUsername: string;
  adminPassword: string;
}

export interface AuthModule {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  guard: LoginGuard;
  /** Demo accounts created (or kept) at start; empty outside the demo. */
  demo: DemoAccount[];
  /** Routers reachable without a session (they check it themselves where needed). */
  routers: Record<string, Router>;
  /** The gate in front of every other /api route: 401 without a valid session. */
  authenticate: RequestHandler;
  /** The signed-in user behind a socket.io handshake's cookie. */
  principalFromCookie(cookieHeader: string | undefined): Principal | null;
  prune(): void;
  close(): void;
}

export async function startAuth(config: AuthConfig, dataDir: string, registry: Registry, log: Logger, now: () => number): Promise<AuthModule> {
  const db = new Database(join(dataDir, 'auth.db'));
  db.pragma('journal_mode = WAL');
  const users = new UserStore(db, createPasswordHasher(), now);
  const sessions = new SessionStore(db, {}, now);
  const audit = new AuditLog(db, now);
  const guard = new LoginGuard({}, now);
  if (config.adminUsername && config.adminPassword) {
    const { created } = await users.ensureAdmin(config.adminUsername, config.adminPassword);
    if (created) log.info({ username: config.adminUsername }, 'first administrator created');
  }
  const demo = config.demoAccounts ? await users.ensureDemoAccounts(registry.enterprises) : [];
  if (users.countActiveAdmins() === 0) {
    log.warn('no administrator yet: set O3S_ADMIN_USERNAME and O3S_ADMIN_PASSWORD, or run `npm run users -- create-admin <name>`');
  }
  const enterprises = new Set(registry.enterprises.map((e) => e.id));
  return {
    users,
    sessions,
    audit,
    guard,
    demo,
    routers: {
      '/api/auth': authRouter({ users, sessions, guard, audit, log: log.child({ module: 'auth' }), now }),
      '/api/users': usersRouter({ users, sessions, audit, guard, enterpriseExists: (id) => enterprises.has(id) }),
      '/api/audit': auditRouter({ audit, sessions, users }),
    },
    authenticate: authenticate(sessions, users),
    principalFromCookie: (header) => principalFromCookieHeader(header, sessions, users),
    prune() {
      sessions.prune();
      guard.prune();
    },
    close() {
      db.close();
    },
  };
}
