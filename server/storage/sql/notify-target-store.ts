/**
 * Notification targets in the registry's database (issue 14), through Kysely: list, create, change
 * and remove with a version check (a change made from another version is refused, so two
 * administrators — or two processes — never silently undo each other), and a one-time seed from
 * the config. Values are validated by the domain's schemas before they get here.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { HttpError } from '../../domain/errors';
import { emailSettingsSchema, smsSettingsSchema, type EmailSettings, type SmsSettings } from '../../domain/notify-channels';
import {
  NOTIFY_FORMATS,
  type NewNotifyTargetParsed,
  type NotifyChannel,
  type NotifyFormat,
  type NotifyTarget,
  type NotifyTargetBase,
} from '../../domain/notify-target';
import { isUniqueViolation, isWriterBusy, openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { NOTIFY_MIGRATIONS, type NotifyTables, type NotifyTargetRow } from './notify-target-tables';

const STATUS = { not_found: 404, duplicate_name: 409, version_conflict: 409, wrong_kind: 400, unreadable: 500 } as const;
export type NotifyTargetErrorCode = keyof typeof STATUS;

/** A refused change, with its HTTP status (the REST router lets it through as it is). */
export class NotifyTargetError extends HttpError {
  constructor(
    readonly reason: NotifyTargetErrorCode,
    message: string,
  ) {
    super(STATUS[reason], reason, message);
  }
}

/**
 * What a change may set (the URL only when given). `format`/`url` fit webhooks, `email` email
 * targets, `sms` SMS targets; an email change without an SMTP password keeps the stored one.
 */
export interface NotifyTargetChange {
  name?: string;
  enabled?: boolean;
  format?: NotifyFormat;
  url?: string;
  email?: EmailSettings;
  sms?: SmsSettings;
}

const isFormat = (v: string | null): v is NotifyFormat => (NOTIFY_FORMATS as readonly (string | null)[]).includes(v);

function channelOf(r: Selectable<NotifyTargetRow>): NotifyChannel {
  if (r.kind === 'email' || r.kind === 'sms') {
    const raw: unknown = JSON.parse(r.settings ?? 'null');
    const unreadable = new NotifyTargetError('unreadable', `the settings of notification target ${r.id} are unreadable`);
    if (r.kind === 'email') {
      const email = emailSettingsSchema.safeParse(raw);
      if (!email.success) throw unreadable;
      return { kind: 'email', email: email.data };
    }
    const sms = smsSettingsSchema.safeParse(raw);
    if (!sms.success) throw unreadable;
    return { kind: 'sms', sms: sms.data };
  }
  return { kind: 'webhook', format: isFormat(r.format) ? r.format : 'json', url: r.url ?? '' };
}

function fromRow(r: Selectable<NotifyTargetRow>): NotifyTarget {
  const base: NotifyTargetBase = {
    id: r.id,
    name: r.name,
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  };
  return { ...base, ...channelOf(r) };
}

const conflictWith = (expected: number) => () =>
  new NotifyTargetError(
    'version_conflict',
    `another change of the target was being saved at the same moment (from version ${expected}); reload and try again`,
  );

/** The kind-specific columns of a target. */
function columnsOf(c: NotifyChannel): Pick<NotifyTargetRow, 'kind' | 'format' | 'url' | 'settings'> {
  switch (c.kind) {
    case 'webhook':
      return { kind: 'webhook', format: c.format, url: c.url, settings: null };
    case 'email':
      return { kind: 'email', format: null, url: null, settings: JSON.stringify(c.email) };
    case 'sms':
      return { kind: 'sms', format: null, url: null, settings: JSON.stringify(c.sms) };
  }
}

const wrongKind = (kind: string, fields: string[]) =>
  new NotifyTargetError('wrong_kind', `${fields.join(', ')} cannot be set on a target of kind ${kind}`);

/** The target with `change` applied; refuses settings of another kind. */
function applyChange(before: NotifyTarget, change: NotifyTargetChange): NotifyTarget {
  const { name, enabled, format, url, email, sms } = change;
  const misfit = Object.entries({ format, url, email, sms })
    .filter(([k, v]) => v !== undefined && !(before.kind === 'webhook' ? k === 'format' || k === 'url' : k === before.kind))
    .map(([k]) => k);
  if (misfit.length > 0) throw wrongKind(before.kind, misfit);
  const common = { ...before, name: name ?? before.name, enabled: enabled ?? before.enabled };
  switch (common.kind) {
    case 'webhook':
      return { ...common, format: format ?? common.format, url: url ?? common.url };
    case 'email': {
      if (!email?.smtp) return email ? { ...common, email } : common;
      // The password is write-only: absent keeps the stored one, '' removes it.
      const { password, ...server } = email.smtp;
      const keep = password === undefined ? common.email.smtp?.password : password;
      return { ...common, email: { ...email, smtp: keep ? { ...server, password: keep } : server } };
    }
    case 'sms':
      return { ...common, sms: sms ?? common.sms };
  }
}

const sameTarget = (a: NotifyTarget, b: NotifyTarget) =>
  a.name === b.name && a.enabled === b.enabled && JSON.stringify(columnsOf(a)) === JSON.stringify(columnsOf(b));

const duplicate = (name: string) => new NotifyTargetError('duplicate_name', `a target named "${name}" exists already`);
const notFound = (id: string) => new NotifyTargetError('not_found', `notification target ${id} not found`);
const conflict = (expected: number, found: number) =>
  new NotifyTargetError(
    'version_conflict',
    `the target changed meanwhile (expected version ${expected}, found ${found}); reload and try again`,
  );

export class NotifyTargetStore {
  constructor(private readonly db: Kysely<NotifyTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, NOTIFY_MIGRATIONS);
  }

  /** Every target, oldest first. */
  async list(): Promise<NotifyTarget[]> {
    const rows = await this.db.selectFrom('notify_targets').selectAll().orderBy('created_at').orderBy('name').execute();
    return rows.map(fromRow);
  }

  async get(id: string): Promise<NotifyTarget | null> {
    const row = await this.db.selectFrom('notify_targets').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /**
   * Writes the config's targets once: on the first start (no seed recorded) they are inserted and the
   * seed recorded; afterwards (even when every target was deleted since) nothing. Returns what was
   * inserted, or null when the store was seeded before.
   */
  async seedOnce(targets: readonly NewNotifyTargetParsed[], at: number): Promise<NotifyTarget[] | null> {
    // The seed is recorded first, and only if none is: a second process starting at the same moment
    // waits for the first one's commit (PostgreSQL's row lock, SQLite's busy timeout), and seeds nothing.
    return this.db.transaction().execute(async (trx) => {
      const { numInsertedOrUpdatedRows } = await trx
        .insertInto('notify_meta')
        .values({ id: 1, seeded_at: at })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (numInsertedOrUpdatedRows !== 1n) return null;
      const rows = targets.map((t) => this.rowOf(t, at));
      if (rows.length > 0) await trx.insertInto('notify_targets').values(rows).execute();
      return rows.map(fromRow);
    });
  }

  async create(input: NewNotifyTargetParsed, at: number): Promise<NotifyTarget> {
    const row = this.rowOf(input, at);
    return this.write(
      async (trx) => {
        const taken = await trx.selectFrom('notify_targets').select('id').where('name', '=', row.name).executeTakeFirst();
        if (taken) throw duplicate(row.name);
        await trx
          .insertInto('notify_targets')
          .values(row)
          .execute()
          .catch((err: unknown) => {
            throw isUniqueViolation(err) ? duplicate(row.name) : err;
          });
        return fromRow(row);
      },
      () => duplicate(row.name),
    );
  }

  /** Applies `change` to the target at `expectVersion`; returns it before and after (unchanged: the same version). */
  async update(
    id: string,
    expectVersion: number,
    change: NotifyTargetChange,
    at: number,
  ): Promise<{ before: NotifyTarget; after: NotifyTarget }> {
    return this.write(async (trx) => {
      const row = await trx.selectFrom('notify_targets').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(id);
      const before = fromRow(row);
      if (before.version !== expectVersion) throw conflict(expectVersion, before.version);
      const merged = applyChange(before, change);
      if (sameTarget(merged, before)) return { before, after: before };
      if (merged.name !== before.name) {
        const taken = await trx
          .selectFrom('notify_targets')
          .select('id')
          .where('name', '=', merged.name)
          .where('id', '!=', id)
          .executeTakeFirst();
        if (taken) throw duplicate(merged.name);
      }
      const rename = merged.name !== before.name;
      const after: NotifyTarget = { ...merged, updatedAt: at, version: before.version + 1 };
      const { numUpdatedRows } = await trx
        .updateTable('notify_targets')
        .set({
          name: after.name,
          ...columnsOf(after),
          enabled: after.enabled ? 1 : 0,
          updated_at: at,
          version: after.version,
        })
        .where('id', '=', id)
        .where('version', '=', before.version)
        .executeTakeFirst()
        .catch((err: unknown) => {
          throw rename && isUniqueViolation(err) ? duplicate(merged.name) : err;
        });
      // Another writer changed or removed it since it was read (it held the row until its commit).
      if (numUpdatedRows !== 1n) throw await this.gone(trx, id, expectVersion);
      return { before, after };
    }, conflictWith(expectVersion));
  }

  /** Removes the target at `expectVersion`; returns it as it was. */
  async remove(id: string, expectVersion: number): Promise<NotifyTarget> {
    return this.write(async (trx) => {
      const row = await trx.selectFrom('notify_targets').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(id);
      const before = fromRow(row);
      if (before.version !== expectVersion) throw conflict(expectVersion, before.version);
      const { numDeletedRows } = await trx
        .deleteFrom('notify_targets')
        .where('id', '=', id)
        .where('version', '=', expectVersion)
        .executeTakeFirst();
      if (numDeletedRows !== 1n) throw await this.gone(trx, id, expectVersion);
      return before;
    }, conflictWith(expectVersion));
  }

  /**
   * Runs a change in a transaction. Two writers at the same moment (two processes; on PostgreSQL
   * two connections) may both read the row before either writes: the writes say which one lost
   * (`gone`), PostgreSQL's unique index which create came second (`duplicate_name`), and SQLite a
   * busy file (the other was writing) — reported as `onBusy`.
   */
  private async write<T>(change: (trx: Transaction<NotifyTables>) => Promise<T>, onBusy: () => NotifyTargetError): Promise<T> {
    try {
      return await this.db.transaction().execute(change);
    } catch (err) {
      throw isWriterBusy(err) ? onBusy() : err;
    }
  }

  /** Why a write read at `expectVersion` touched no row: the target was changed or removed meanwhile. */
  private async gone(trx: Transaction<NotifyTables>, id: string, expectVersion: number): Promise<NotifyTargetError> {
    const now = await trx.selectFrom('notify_targets').select('version').where('id', '=', id).executeTakeFirst();
    return now ? conflict(expectVersion, Number(now.version)) : notFound(id);
  }

  private rowOf(t: NewNotifyTargetParsed, at: number): NotifyTargetRow {
    return {
      id: randomUUID(),
      name: t.name,
      ...columnsOf(t),
      enabled: t.enabled ? 1 : 0,
      created_at: at,
      updated_at: at,
      version: 1,
    };
  }
}

/** Opens the target store on a SQLite file (the registry's) and brings its schema up to date. */
export async function openNotifyTargetStore(
  file: string,
): Promise<{ store: NotifyTargetStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<NotifyTables>(file);
  const store = new NotifyTargetStore(db);
  try {
    const migrated = await store.migrate();
    return { store, migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}
