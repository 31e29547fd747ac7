/**
 * The registry as the running server sees it: sources by MN, their enterprise and their latest
 * values. The enterprise of a reading always comes from here, never from a payload. (The limits
 * and rule parameters that apply to a source are the rule book's.)
 *
 * It reads the live registry (RegistryView): whenever the registry's version moved, the maps are
 * rebuilt before the next answer, so a source added, changed or removed counts at once — a removed
 * MN leaves the directory and its latest values are dropped.
 */
import type { LatestValues, SourceStatusKind, SourceView } from '../domain/events';
import type { Enterprise, Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import { siteFactsOf } from '../domain/site-register';
import { sourceStatus } from '../domain/source-status';

export class SourceDirectory {
  private sources = new Map<string, Source>();
  private enterprises = new Map<string, Enterprise>();
  private readonly latest = new Map<string, LatestValues>();
  private builtAt = -1;

  constructor(private readonly registry: RegistryView) {
    this.sync();
  }

  get(mn: string): Source | undefined {
    return this.sync().sources.get(mn);
  }

  all(): Source[] {
    return [...this.sync().sources.values()];
  }

  enterprise(id: string): Enterprise | undefined {
    return this.sync().enterprises.get(id);
  }

  /** Records a source's newest real-time values (older ones, and those of unknown MNs, are ignored). */
  noteLatest(lv: LatestValues): boolean {
    if (!this.sync().sources.has(lv.mn)) return false;
    const prev = this.latest.get(lv.mn);
    if (prev && prev.ts > lv.ts) return false;
    this.latest.set(lv.mn, prev && prev.ts === lv.ts ? { ...lv, factors: { ...prev.factors, ...lv.factors } } : lv);
    return true;
  }

  latestOf(mn: string): LatestValues | null {
    this.sync();
    return this.latest.get(mn) ?? null;
  }

  /** Every source's latest values by MN, for a pass over many sources (one registry check, not one per source). */
  latestByMn(): ReadonlyMap<string, LatestValues> {
    return this.sync().latest;
  }

  status(mn: string, now: number, offlineAfterIntervals: number, exceeding: boolean): SourceStatusKind {
    const s = this.get(mn);
    if (!s) return 'nodata';
    return sourceStatus({ intervalS: s.intervalS, latestTs: this.latest.get(mn)?.ts ?? null, exceeding }, now, offlineAfterIntervals);
  }

  view(mn: string, status: SourceStatusKind): SourceView | undefined {
    const s = this.get(mn);
    if (!s) return undefined;
    const e = this.enterprises.get(s.enterpriseId);
    const site = siteFactsOf(s);
    return {
      mn: s.mn,
      name: s.name,
      kind: s.kind,
      enterpriseId: s.enterpriseId,
      enterpriseName: e?.name ?? s.enterpriseId,
      district: s.district ?? e?.district ?? '',
      lat: s.lat,
      lon: s.lon,
      status,
      latest: this.latestOf(mn),
      ...(site ? { site } : {}),
    };
  }

  /** Rebuilds the maps when the registry changed since they were built. */
  private sync(): this {
    if (this.registry.version() === this.builtAt) return this;
    const registry = this.registry.current();
    this.builtAt = this.registry.version();
    this.enterprises = new Map(registry.enterprises.map((e) => [e.id, e]));
    this.sources = new Map(registry.sources.map((s) => [s.mn, s]));
    for (const mn of [...this.latest.keys()]) if (!this.sources.has(mn)) this.latest.delete(mn);
    return this;
  }
}
