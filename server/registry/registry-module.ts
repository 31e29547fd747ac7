/**
 * The registry stage (issue 14): the registry lives in the state store (`<dataDir>/registry.db`,
 * or the PostgreSQL database of `database.url` / DATABASE_URL: issue 15), not in the YAML. On the
 * first start (an empty store) it is seeded from the YAML registry (`registryFile`); from then on
 * the store is the truth and the YAML is not used — unless the operator asks for a reseed
 * (`registryReseed`, env REGISTRY_RESEED=true), which applies the YAML over the store like any
 * other change (only what differs is written; audited as registry.reseeded).
 *
 * Its own file, not state.db: the registry is the bureau's master data (backed up, copied to a
 * test system on its own) while state.db is operational churn; and the registry's schema is
 * Kysely-migrated with its own history table, so it shares one PostgreSQL database with the other
 * stores (issue 15) without touching their hand-written SQLite schemas.
 *
 * The audit trail lives in the auth database (server/auth/audit-log.ts: `<dataDir>/auth.db`, or the
 * same PostgreSQL database); the registry starts before auth (auth reads the registry's
 * enterprises), so it opens its own connection to it.
 */
import { openAuditLog } from '../auth/audit-log';
import type { EventBus, InternalEvents } from '../domain/internal-events';
import type { Registry } from '../domain/registry';
import type { Logger } from '../logger';
import { authDatabase, describeLocation, registryDatabase } from '../storage/sql/database';
import { openRegistryStore } from '../storage/sql/registry-store';
import { RegistryAdmin, type AuditSink } from './registry-admin';
import { RegistryHolder } from './registry-holder';

export interface RegistryConfig {
  dataDir: string;
  /** PostgreSQL for the store (empty or absent: `<dataDir>/registry.db`). */
  database?: { url: string };
  /** The YAML registry (seed), as loaded from `registryFile`. */
  registry: Registry;
  registryFile: string;
  /** Replace the stored registry with the YAML at start. */
  registryReseed: boolean;
}

export interface RegistryModule {
  /** The live registry: `current()`, `version()`; emits `registry:changed` on the event bus. */
  view: RegistryHolder;
  admin: RegistryAdmin;
  stop(): Promise<void>;
}

const SYSTEM = { username: 'system' } as const;

const counts = (r: Registry) => ({ enterprises: r.enterprises.length, sources: r.sources.length, facilities: r.facilities?.length ?? 0 });

export async function startRegistry(
  config: RegistryConfig,
  deps: { events: Pick<EventBus<InternalEvents>, 'emit'>; log: Logger; now: () => number; audit?: AuditSink },
): Promise<RegistryModule> {
  const { log, now } = deps;
  const location = registryDatabase(config);
  const file = describeLocation(location);
  const opened = await openRegistryStore(location);
  let ownAudit: Awaited<ReturnType<typeof openAuditLog>> | null = null;
  const stop = async () => {
    await ownAudit?.close();
    await opened.close();
  };
  try {
    if (!deps.audit) ownAudit = await openAuditLog(authDatabase(config), now);
    const audit: AuditSink = deps.audit ?? (ownAudit as { audit: AuditSink }).audit;
    if (opened.migrated.length > 0) log.info({ file, migrations: opened.migrated }, 'registry store migrated');
    let stored = await opened.store.load();
    const seeded = stored === null;
    if (!stored) {
      const { version } = await opened.store.save(null, config.registry, {
        expectVersion: null,
        actor: SYSTEM.username,
        at: now(),
        defaultGradeReason: 'registry.seeded',
      });
      const detail = { file: config.registryFile, ...counts(config.registry) };
      await audit.record({ actor: SYSTEM, action: 'registry.seeded', target: 'registry', detail });
      log.info({ file: config.registryFile, ...counts(config.registry) }, 'registry store was empty: seeded from the YAML registry');
      stored = { registry: config.registry, version };
    }
    const view = new RegistryHolder(stored.registry, deps.events, now, stored.version);
    const admin = new RegistryAdmin({ store: opened.store, holder: view, audit, log, now });
    if (config.registryReseed && !seeded) {
      const change = await admin.apply(config.registry, SYSTEM, 'registry.reseeded', { file: config.registryFile });
      const changed = change !== null;
      log.warn({ file: config.registryFile, version: view.version(), changed }, 'registry reseeded from the YAML (registryReseed)');
    } else if (!seeded) {
      log.info(
        { store: file, version: view.version(), ...counts(view.current()), ignored: config.registryFile },
        'registry loaded from the store; the YAML registry file was not used (set REGISTRY_RESEED=true to replace the store with it)',
      );
    }
    return { view, admin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
