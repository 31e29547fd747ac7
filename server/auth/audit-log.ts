/**
 * The audit trail: who (user id, username, role) did what (action) to what (target), with a JSON
 * detail, from which IP, when. Written by the auth routers and by any module that changes state on
 * a user's behalf (alert acknowledgements, silences, ozone campaigns): `audit.record({...})`.
 * Never put a password, token or cookie in `detail`.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { AuditRecord } from '../domain/audit';
import { ROLES, type Principal, type Role } from '../domain/principal';

export type { AuditRecord } from '../domain/audit';
import { openDb, type DbInput, type OpenedDb } from './sqlite';

/** Actions this product records; other modules may add their own (`snake_case`, `.` or `:` allowed). */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'login_locked',
  'logout',
  'password_changed',
  'password_reset',
  'password_change_required',
  'password_change_waived',
  'user_created',
  'user_updated',
  'role_changed',
  'user_disabled',
  'user_enabled',
  'alert_acknowledged',
  'silence_created',
  'silence_removed',
  'campaign_started',
  'campaign_ended',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];
/** A known action, or another module's own (`(string & {})` keeps completion for the known ones). */
export type AuditAction = KnownAuditAction | (string & {});
export const auditActionSchema = z.string().regex(/^[a-z][a-z0-9_.:]{1,63}$/, 'an audit action is snake_case, e.g. alert_acknowledged');

/** Who acted: a signed-in principal, or a name for the system/CLI/an unauthenticated attempt. */
export type AuditActor = Principal | { userId?: number | null; username: string; role?: Role | null };

export interface AuditInput {
  actor: AuditActor | null;
  action: AuditAction;
  /** What was acted on, e.g. `user:12`, `alert:345`, `campaign:7`. */
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

export const auditQuerySchema = z
  .object({
    action: z.union([auditActionSchema, z.array(auditActionSchema)]).optional(),
    username: z.string().max(64).optional(),
    userId: z.coerce.number().int().positive().optional(),
    role: z.enum(ROLES).optional(),
    target: z.string().max(200).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type AuditQuery = z.input<typeof auditQuerySchema>;

interface AuditRow {
  id: number;
  at: number;
  user_id: number | null;
  username: string | null;
  role: Role | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

const fromRow = (r: AuditRow): AuditRecord => ({
  id: r.id,
  at: r.at,
  userId: r.user_id,
  username: r.username,
  role: r.role,
  action: r.action,
  target: r.target,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  ip: r.ip,
});

export class AuditLog {
  private readonly opened: OpenedDb;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(
    input: DbInput,
    private readonly now: () => number = Date.now,
  ) {
    this.opened = openDb(input);
    this.db = this.opened.db;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        user_id INTEGER,
        username TEXT,
        role TEXT,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT,
        ip TEXT
      );
      CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id);
      CREATE INDEX IF NOT EXISTS audit_action ON audit (action, at);
      CREATE INDEX IF NOT EXISTS audit_user ON audit (username COLLATE NOCASE, at);`);
    this.insert = this.db.prepare(
      'INSERT INTO audit (at, user_id, username, role, action, target, detail, ip) VALUES (@at, @user_id, @username, @role, @action, @target, @detail, @ip)',
    );
  }

  record(input: AuditInput): AuditRecord {
    const action = auditActionSchema.parse(input.action);
    const a = input.actor;
    const row: Omit<AuditRow, 'id'> = {
      at: this.now(),
      user_id: a && 'userId' in a && typeof a.userId === 'number' ? a.userId : null,
      username: a?.username ?? null,
      role: a?.role ?? null,
      action,
      target: input.target ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      ip: input.ip ?? null,
    };
    const id = Number(this.insert.run(row).lastInsertRowid);
    return fromRow({ ...row, id });
  }

  /** Newest first; `total` counts every match for pagination. */
  query(q: AuditQuery = {}): { items: AuditRecord[]; total: number } {
    const p = auditQuerySchema.parse(q);
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (p.action !== undefined) {
      const actions = Array.isArray(p.action) ? p.action : [p.action];
      where.push(`action IN (${actions.map((_, i) => `@action${i}`).join(', ')})`);
      actions.forEach((act, i) => (params[`action${i}`] = act));
    }
    const filter = (condition: string, name: string, value: unknown) => {
      if (value === undefined) return;
      where.push(condition);
      params[name] = value;
    };
    filter('username = @username COLLATE NOCASE', 'username', p.username);
    filter('user_id = @userId', 'userId', p.userId);
    filter('role = @role', 'role', p.role);
    filter('target = @target', 'target', p.target);
    filter('at >= @from', 'from', p.from);
    filter('at < @to', 'to', p.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM audit ${clause}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM audit ${clause} ORDER BY at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: p.limit, offset: p.offset }) as AuditRow[];
    return { items: rows.map(fromRow), total };
  }

  close(): void {
    this.opened.close();
  }
}
