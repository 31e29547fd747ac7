/**
 * The registry's facilities indexed for the facility engine: by logger and channel (whose signals a
 * reading carries), by enterprise, by what they serve, and the outlets they name (whose NOx the
 * reductant rule needs), and the power meters serving each (whose power stands for a facility's
 * own when it has none). Built once per registry snapshot (its facilities array).
 */
import type { Facility } from '../domain/registry';
import type { FacilityKey } from './facility-context';

export class FacilityIndex {
  private readonly byLogger = new Map<string, Map<string, Facility>>();
  private readonly byEnterprise = new Map<string, Facility[]>();
  private readonly byServed = new Map<string, Facility[]>();
  private readonly outletMns = new Set<string>();
  private readonly meters = new Map<string, Facility[]>();
  /** Facilities by the MN of their findings (keyOf): where their state is saved, source by source. */
  private readonly byHome = new Map<string, Facility[]>();

  constructor(readonly facilities: readonly Facility[]) {
    const push = <K>(m: Map<K, Facility[]>, k: K, f: Facility) => m.set(k, [...(m.get(k) ?? []), f]);
    for (const f of facilities) {
      push(this.byEnterprise, f.enterpriseId, f);
      if (f.serves !== undefined) push(this.byServed, f.serves, f);
      if (f.serves !== undefined && f.kind === 'power-meter' && f.mn !== undefined && f.channel !== undefined)
        push(this.meters, f.serves, f);
      for (const mn of f.outletMns ?? []) this.outletMns.add(mn);
      if (f.mn === undefined || f.channel === undefined) continue;
      const channels = this.byLogger.get(f.mn) ?? new Map<string, Facility>();
      channels.set(f.channel, f);
      this.byLogger.set(f.mn, channels);
    }
    for (const f of facilities) {
      const home = this.keyOf(f)?.mn;
      if (home !== undefined) push(this.byHome, home, f);
    }
  }

  /** The facilities whose findings go to this MN (keyOf): their state is kept with that source's. */
  homedOn(mn: string): readonly Facility[] {
    return this.byHome.get(mn) ?? [];
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

  /** The power meters serving this facility that name their logger and channel, in registry order. */
  metersOf(id: string): readonly Facility[] {
    return this.meters.get(id) ?? [];
  }

  /** Where a facility's findings go: its own logger and channel, else its first meter's; undefined when it has neither. */
  keyOf(f: Facility): FacilityKey | undefined {
    const at = f.mn !== undefined && f.channel !== undefined ? f : this.metersOf(f.id)[0];
    return at?.mn !== undefined && at.channel !== undefined ? { mn: at.mn, channel: at.channel } : undefined;
  }

  all(): readonly Facility[] {
    return this.facilities;
  }
}
