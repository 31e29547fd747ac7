/**
 * The registry as a gateway sees it: read from the shared database (DATABASE_URL) that the web
 * processes write, opened read-only (a gateway never migrates, seeds or writes it), and followed by
 * looking at its version every `pollMs` — one one-row query — and loading the whole registry only
 * when the version moved. Polling rather than LISTEN/NOTIFY: it works through the same store on any
 * engine, survives a database restart without a lost notification, and a gateway needs no other
 * connection. The cost is a lag of at most `pollMs` before a new logger's frames are taken, or a
 * rotated password takes effect, at the gateway.
 */
import type { EventBus, InternalEvents } from '../../domain/internal-events';
import type { Source } from '../../domain/registry';
import { FROM_STORE } from '../../domain/registry-view';
import type { Logger } from '../../logger';
import { RegistryHolder } from '../../registry/registry-holder';
import { describeLocation } from '../../storage/sql/database';
import { openRegistryStoreReadOnly } from '../../storage/sql/registry-store';

export interface RegistryFollower {
  /** The live registry: `registry:changed` on the bus when the stored one moved. */
  view: RegistryHolder;
  /** A registered source by MN. */
  lookup(mn: string): Source | undefined;
  /** Looks at the stored version now (the timer does every pollMs); resolves when done. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

export async function followRegistry(
  location: string,
  deps: { events: Pick<EventBus<InternalEvents>, 'emit'>; pollMs: number; log: Logger; now: () => number },
): Promise<RegistryFollower> {
  const { log } = deps;
  const where = describeLocation(location);
  const opened = await openRegistryStoreReadOnly(location);
  if (!opened) throw new Error(`no registry in ${where} yet: start a web (or all-in-one) process on this database once first`);
  const { store } = opened;
  const first = await store.load().catch(async (err: unknown) => {
    await opened.close();
    throw err;
  });
  if (!first) {
    await opened.close();
    throw new Error(`the registry in ${where} was never seeded: start a web (or all-in-one) process on this database once first`);
  }
  let storedVersion = first.version;
  const view = new RegistryHolder(first.registry, deps.events, deps.now, first.version);
  let byMn = new Map<string, Source>();
  let indexed = -1;
  const lookup = (mn: string): Source | undefined => {
    if (indexed !== view.version()) {
      byMn = new Map(view.current().sources.map((s) => [s.mn, s]));
      indexed = view.version();
    }
    return byMn.get(mn);
  };
  log.info({ store: where, version: storedVersion, sources: first.registry.sources.length }, 'gateway: registry read from the database');

  let polling: Promise<void> | null = null;
  const poll = (): Promise<void> =>
    (polling ??= (async () => {
      try {
        const version = await store.version();
        if (version === null || version === storedVersion) return;
        const next = await store.load();
        if (!next) return;
        storedVersion = next.version;
        const change = view.replace(next.registry, FROM_STORE);
        log.info({ version: storedVersion, changed: change !== null }, 'gateway: registry changed in the database');
      } catch (err) {
        log.error({ err }, 'gateway: reading the registry failed; keeping the one held');
      } finally {
        polling = null;
      }
    })());
  const timer = setInterval(() => void poll(), deps.pollMs);
  timer.unref();
  return {
    view,
    lookup,
    poll,
    async stop() {
      clearInterval(timer);
      await polling;
      await opened.close();
    },
  };
}
