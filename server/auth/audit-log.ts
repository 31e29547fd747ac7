/**
 * The audit trail: who (user id, username, role) did what (action) to what (target), with a JSON
 * detail, from which IP, when. Written by the auth routers and by any module that changes state on
 * a user's behalf (alert acknowledgements, silences, ozone campaigns): `audit.record({...})`, with
 * one of the actions server/domain/audit.ts declares. Never put a password, token or cookie in `detail`.
 * In the auth database through Kysely (SQLite or PostgreSQL); `record` resolves once the row is written.
 */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { AUDIT_ACTION_PATTERN, AUDIT_ACTIONS, type AuditAction, type AuditRecord } from '../domain/audit';
import { ROLES, type Principal, type Role } from '../domain/principal';

export type { AuditAction, AuditRecord } from '../domain/audit';
import { openSqlDatabase } from '../storage/sql/database';
import { migrateToLatest } from '../storage/sql/migrate';
import { AUDIT_MIGRATIONS, type AuditRow, type AuthTables } from './auth-tables';

/** A query names any well-formed action (`snake_case`, `.` allowed); only known ones are ever written. */
export const auditActionSchema = z.string().regex(AUDIT_ACTION_PATTERN, 'an audit action is snake_case, e.g. alert_acknowledged');
/** What is written: an action of the one vocabulary, server/domain/audit.ts. */
const knownActionSchema = z.enum(AUDIT_ACTIONS);

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

const fromRow = (r: Selectable<AuditRow>): AuditRecord => ({
  id: Number(r.id),
  at: Number(r.at),
  userId: r.user_id === null ? null : Number(r.user_id),
  username: r.username,
  role: r.role,
  action: r.action,
  target: r.target,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  ip: r.ip,
});

export class AuditLog {
  constructor(
    private readonly db: Kysely<AuthTables>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings the audit table up to date (adopting one made by the hand-written SQL of earlier versions). */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, AUDIT_MIGRATIONS);
  }

  async record(input: AuditInput): Promise<AuditRecord> {
    const action = knownActionSchema.parse(input.action);
    const a = input.actor;
    const row = {
      at: this.now(),
      user_id: a && 'userId' in a && typeof a.userId === 'number' ? a.userId : null,
      username: a?.username ?? null,
      role: a?.role ?? null,
      action,
      target: input.target ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      ip: input.ip ?? null,
    };
    const { id } = await this.db.insertInto('audit').values(row).returning('id').executeTakeFirstOrThrow();
    return fromRow({ ...row, id });
  }

  /** Newest first; `total` counts every match for pagination. */
  async query(q: AuditQuery = {}): Promise<{ items: AuditRecord[]; total: number }> {
    const p = auditQuerySchema.parse(q);
    let base = this.db.selectFrom('audit');
    if (p.action !== undefined) base = base.where('action', 'in', Array.isArray(p.action) ? p.action : [p.action]);
    if (p.username !== undefined) {
      const username = p.username;
      // The engine folds both sides (SQLite's lower() folds ASCII only, as the old COLLATE NOCASE did).
      base = base.where((eb) => eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username)])));
    }
    if (p.userId !== undefined) base = base.where('user_id', '=', p.userId);
    if (p.role !== undefined) base = base.where('role', '=', p.role);
    if (p.target !== undefined) base = base.where('target', '=', p.target);
    if (p.from !== undefined) base = base.where('at', '>=', p.from);
    if (p.to !== undefined) base = base.where('at', '<', p.to);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(p.limit).offset(p.offset).execute();
    return { items: rows.map(fromRow), total: Number(n) };
  }
}

/**
 * An audit log of its own on the auth database (a stage that starts before the auth module: the
 * registry's seed); migrates it. Close it after use.
 */
export async function openAuditLog(location: string, now: () => number = Date.now): Promise<{ audit: AuditLog; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<AuthTables>(location);
  const audit = new AuditLog(db, now);
  try {
    await audit.migrate();
    return { audit, close };
  } catch (err) {
    await close();
    throw err;
  }
}
