/**
 * The registry as the running server sees it: sources by MN, their enterprise and their latest
 * values. The enterprise of a reading always comes from here, never from a payload. (The limits
 * and rule parameters that apply to a source are the rule book's.)
 */
import type { LatestValues, SourceStatusKind, SourceView } from '../domain/events';
import type { Enterprise, Registry, Source } from '../domain/registry';

export class SourceDirectory {
  private readonly sources = new Map<string, Source>();
  private readonly enterprises = new Map<string, Enterprise>();
  private readonly latest = new Map<string, LatestValues>();

  constructor(registry: Registry) {
    for (const e of registry.enterprises) this.enterprises.set(e.id, e);
    for (const s of registry.sources) this.sources.set(s.mn, s);
  }

  get(mn: string): Source | undefined {
    return this.sources.get(mn);
  }

  all(): Source[] {
    return [...this.sources.values()];
  }

  /** Records a source's newest real-time values (older or other data kinds are ignored). */
  noteLatest(lv: LatestValues): boolean {
    const prev = this.latest.get(lv.mn);
    if (prev && prev.ts > lv.ts) return false;
    this.latest.set(lv.mn, prev && prev.ts === lv.ts ? { ...lv, factors: { ...prev.factors, ...lv.factors } } : lv);
    return true;
  }

  latestOf(mn: string): LatestValues | null {
    return this.latest.get(mn) ?? null;
  }

  status(mn: string, now: number, offlineAfterIntervals: number, exceeding: boolean): SourceStatusKind {
    const s = this.sources.get(mn);
    const lv = this.latest.get(mn);
    if (!s || !lv) return 'nodata';
    if (now - lv.ts > s.intervalS * 1000 * offlineAfterIntervals) return 'offline';
    return exceeding ? 'exceeding' : 'normal';
  }

  view(mn: string, status: SourceStatusKind): SourceView | undefined {
    const s = this.sources.get(mn);
    if (!s) return undefined;
    const e = this.enterprises.get(s.enterpriseId);
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
    };
  }
}
