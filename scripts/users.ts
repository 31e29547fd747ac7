/**
 * `npm run users -- <command>`: accounts from the command line, on the server's auth database
 * (`{dataDir}/auth.db`, or the PostgreSQL database of DATABASE_URL).
 *   create-admin <username>     the password from O3S_ADMIN_PASSWORD, else from stdin
 *   reset-password <username>   the same; ends the user's sessions and clears a lockout; with
 *                               auth.forcePasswordChange (default) the user must change it at sign-in
 *   list
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { mkdirSync } from 'node:fs';
import { openAuthDatabase } from '../server/auth/auth-database';
import { AuditLog } from '../server/auth/audit-log';
import { createPasswordHasher } from '../server/auth/password';
import { SessionStore } from '../server/auth/session-store';
import { UserError } from '../server/auth/user-errors';
import { UserStore } from '../server/auth/user-store';
import { ConfigError, loadConfig } from '../server/config';
import { authDatabase, isPostgresUrl } from '../server/storage/sql/database';

const USAGE =
  'usage: npm run users -- create-admin <username> | reset-password <username> | list\n' +
  '  the password is read from O3S_ADMIN_PASSWORD, else from stdin (one line)\n';

function fail(message: string, code = 1): never {
  process.stderr.write(`users: ${message}\n`);
  process.exit(code);
}

/** O3S_ADMIN_PASSWORD, else one line of stdin (not echoed on a terminal). */
async function readPassword(prompt: string): Promise<string> {
  const fromEnv = process.env.O3S_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const tty = process.stdin.isTTY === true;
  if (tty) process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const rl = createInterface({ input: process.stdin, output: tty ? muted : undefined, terminal: tty });
  const line = await new Promise<string | null>((res) => {
    rl.once('line', (l) => res(l));
    rl.once('close', () => res(null));
  });
  rl.close();
  if (tty) process.stderr.write('\n');
  if (line === null || line === '') fail('no password given (set O3S_ADMIN_PASSWORD or pipe it on stdin)');
  return line;
}

const [command, username] = process.argv.slice(2);
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
const location = authDatabase(config);
if (!isPostgresUrl(location)) mkdirSync(config.dataDir, { recursive: true });
// Opening brings the schema up to date (the migrations are the server's own: a second process waits on their lock).
const { db, close } = await openAuthDatabase(location);
const users = new UserStore(db, createPasswordHasher());
const sessions = new SessionStore(db);
const audit = new AuditLog(db);
const cli = { username: 'cli', role: null };

try {
  switch (command) {
    case 'create-admin': {
      if (!username) fail(`create-admin needs a username\n${USAGE}`, 2);
      if (await users.findByUsername(username)) fail(`"${username}" exists already; use reset-password`);
      const { user } = await users.ensureAdmin(username, await readPassword(`password for ${username}: `));
      await audit.record({
        actor: cli,
        action: 'user_created',
        target: `user:${user.id}`,
        detail: { username: user.username, role: user.role },
      });
      process.stdout.write(`created administrator "${user.username}" (id ${user.id})\n`);
      break;
    }
    case 'reset-password': {
      if (!username) fail(`reset-password needs a username\n${USAGE}`, 2);
      const user = (await users.findByUsername(username)) ?? fail(`no user "${username}"`);
      const mustChangePassword = config.auth.forcePasswordChange;
      await users.setPassword(user.id, await readPassword(`new password for ${user.username}: `), { mustChangePassword });
      const ended = await sessions.revokeUser(user.id);
      await audit.record({ actor: cli, action: 'password_reset', target: `user:${user.id}`, detail: { sessionsEnded: ended } });
      if (mustChangePassword)
        await audit.record({ actor: cli, action: 'password_change_required', target: `user:${user.id}`, detail: { reason: 'reset' } });
      const then = mustChangePassword ? '; they must change it at the next sign-in' : '';
      process.stdout.write(`password of "${user.username}" reset; ${ended} session(s) ended${then}\n`);
      break;
    }
    case 'list': {
      const rows = (await users.list()).map((u) =>
        [
          u.id,
          u.username,
          u.role,
          u.enterpriseId ?? '-',
          u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active',
          u.lockedUntil && u.lockedUntil > Date.now() ? `locked until ${new Date(u.lockedUntil).toISOString()}` : '',
          u.displayName,
        ].join('\t'),
      );
      process.stdout.write(['id\tusername\trole\tenterprise\tstate\tlock\tname', ...rows, ''].join('\n'));
      break;
    }
    default:
      fail(USAGE.trimEnd(), 2);
  }
} catch (err) {
  if (err instanceof UserError) fail(err.message);
  throw err;
} finally {
  await close();
}
