/**
 * Users' contacts and subscriptions, the duty roster and the escalation chain in the registry's
 * database (issue 21), through Kysely, on SQLite and PostgreSQL. Values are validated by the
 * domain's schemas (server/domain/duty.ts) before they get here; what is read back is parsed again
 * (a row that no longer parses reads as the default, never as a crash).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import {
  DEFAULT_SUBSCRIPTION,
  DUTY_POSITIONS,
  escalationPolicySchema,
  subscriptionSchema,
  type Contacts,
  type DutyPosition,
  type EscalationPolicy,
  type NewShift,
  type Shift,
  type Subscription,
} from '../../domain/duty';
import { HttpError } from '../../domain/errors';
import { DUTY_MIGRATIONS, type DutyTables, type ShiftRow } from './duty-tables';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';

export const shiftNotFound = (id: string) => new HttpError(404, 'not_found', `shift ${id} not found`);

const isPosition = (v: string): v is DutyPosition => (DUTY_POSITIONS as readonly string[]).includes(v);

const shiftOf = (r: Selectable<ShiftRow>): Shift => ({
  id: r.id,
  username: r.username,
  position: isPosition(r.position) ? r.position : 'backup',
  startsAt: Number(r.starts_at),
  endsAt: Number(r.ends_at),
});

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** Everything routing needs, read at once. */
export interface DutySnapshot {
  contacts: Map<string, Contacts>;
  subscriptions: Map<string, Subscription>;
  shifts: Shift[];
  escalation: EscalationPolicy | null;
}

export class DutyStore {
  constructor(private readonly db: Kysely<DutyTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, DUTY_MIGRATIONS);
  }

  /** Shifts ending after `since` (older ones are history nobody routes by), by start. */
  async snapshot(since: number): Promise<DutySnapshot> {
    const [contacts, subs, shifts, escalation] = await Promise.all([
      this.db.selectFrom('user_contacts').selectAll().execute(),
      this.db.selectFrom('notify_subscriptions').selectAll().execute(),
      this.db.selectFrom('duty_shifts').selectAll().where('ends_at', '>', since).orderBy('starts_at').orderBy('id').execute(),
      this.escalation(),
    ]);
    return {
      contacts: new Map(contacts.map((r) => [r.username, { email: r.email, phone: r.phone }])),
      subscriptions: new Map(
        subs.map((r) => [r.username, subscriptionSchema.safeParse(parseJson(r.settings)).data ?? DEFAULT_SUBSCRIPTION]),
      ),
      shifts: shifts.map(shiftOf),
      escalation,
    };
  }

  async contactsOf(username: string): Promise<Contacts | null> {
    const r = await this.db.selectFrom('user_contacts').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? { email: r.email, phone: r.phone } : null;
  }

  async subscriptionOf(username: string): Promise<Subscription | null> {
    const r = await this.db.selectFrom('notify_subscriptions').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? (subscriptionSchema.safeParse(parseJson(r.settings)).data ?? DEFAULT_SUBSCRIPTION) : null;
  }

  /** Writes a user's contacts and subscription together (insert or replace). */
  async putSettings(username: string, contacts: Contacts, subscription: Subscription, at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('user_contacts')
        .values({ username, email: contacts.email, phone: contacts.phone, updated_at: at })
        .onConflict((oc) => oc.column('username').doUpdateSet({ email: contacts.email, phone: contacts.phone, updated_at: at }))
        .execute();
      const settings = JSON.stringify(subscription);
      await trx
        .insertInto('notify_subscriptions')
        .values({ username, settings, updated_at: at })
        .onConflict((oc) => oc.column('username').doUpdateSet({ settings, updated_at: at }))
        .execute();
    });
  }

  async getShift(id: string): Promise<Shift | null> {
    const r = await this.db.selectFrom('duty_shifts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? shiftOf(r) : null;
  }

  async createShift(s: NewShift, at: number): Promise<Shift> {
    const row: ShiftRow = {
      id: randomUUID(),
      username: s.username,
      position: s.position,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      created_at: at,
    };
    await this.db.insertInto('duty_shifts').values(row).execute();
    return shiftOf(row);
  }

  /** Replaces a shift; returns it before and after. */
  async updateShift(id: string, s: NewShift): Promise<{ before: Shift; after: Shift }> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('duty_shifts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw shiftNotFound(id);
      await trx
        .updateTable('duty_shifts')
        .set({ username: s.username, position: s.position, starts_at: s.startsAt, ends_at: s.endsAt })
        .where('id', '=', id)
        .execute();
      return { before: shiftOf(r), after: { id, ...s } };
    });
  }

  async removeShift(id: string): Promise<Shift> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('duty_shifts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw shiftNotFound(id);
      await trx.deleteFrom('duty_shifts').where('id', '=', id).execute();
      return shiftOf(r);
    });
  }

  /** The stored chain, or null when none was ever saved (the default applies). */
  async escalation(): Promise<EscalationPolicy | null> {
    const r = await this.db.selectFrom('duty_escalation').selectAll().where('id', '=', 1).executeTakeFirst();
    return r ? (escalationPolicySchema.safeParse(parseJson(r.settings)).data ?? null) : null;
  }

  async putEscalation(p: EscalationPolicy, at: number): Promise<void> {
    const settings = JSON.stringify(p);
    await this.db
      .insertInto('duty_escalation')
      .values({ id: 1, settings, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings, updated_at: at }))
      .execute();
  }
}

/** Opens the duty store on the registry's database (a SQLite file or a PostgreSQL URL) and brings its schema up to date. */
export async function openDutyStore(location: string): Promise<{ store: DutyStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<DutyTables>(location);
  const store = new DutyStore(db);
  try {
    const migrated = await store.migrate();
    return { store, migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}
