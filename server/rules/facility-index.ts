/**
 * The registry's facilities indexed for the facility engine: by logger and channel (whose signals a
 * reading carries), by enterprise, by what they serve, and the outlets they name (whose NOx the
 * reductant rule needs). Built once per registry snapshot (its facilities array).
 */
import type { Facility } from '../domain/registry';

export class FacilityIndex {
  private readonly byLogger = new Map<string, Map<string, Facility>>();
  private readonly byEnterprise = new Map<string, Facility[]>();
  private readonly byServed = new Map<string, Facility[]>();
  private readonly outletMns = new Set<string>();

  constructor(readonly facilities: readonly Facility[]) {
    const push = <K>(m: Map<K, Facility[]>, k: K, f: Facility) => m.set(k, [...(m.get(k) ?? []), f]);
    for (const f of facilities) {
      push(this.byEnterprise, f.enterpriseId, f);
      if (f.serves !== undefined) push(this.byServed, f.serves, f);
      for (const mn of f.outletMns ?? []) this.outletMns.add(mn);
      if (f.mn === undefined || f.channel === undefined) continue;
      const channels = this.byLogger.get(f.mn) ?? new Map<string, Facility>();
      channels.set(f.channel, f);
      this.byLogger.set(f.mn, channels);
    }
  }

  /** Whether readings of this MN matter: a facility's logger, or an outlet a facility names. */
  feeds(mn: string): boolean {
    return this.byLogger.has(mn) || this.outletMns.has(mn);
  }

  onChannel(mn: string, channel: string): Facility | undefined {
    return this.byLogger.get(mn)?.get(channel);
  }

  isOutlet(mn: string): boolean {
    return this.outletMns.has(mn);
  }

  enterprises(): string[] {
    return [...this.byEnterprise.keys()];
  }

  ofEnterprise(enterpriseId: string): readonly Facility[] {
    return this.byEnterprise.get(enterpriseId) ?? [];
  }

  /** Facilities that serve this one (a line's treatment facilities and meters). */
  servedBy(id: string): readonly Facility[] {
    return this.byServed.get(id) ?? [];
  }

  all(): readonly Facility[] {
    return this.facilities;
  }
}
