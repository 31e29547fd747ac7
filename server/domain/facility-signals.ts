/**
 * Where a registered facility's working-condition signals are found (issue 16): the logger it
 * names and its channel there. Pure lookups over the registry's facilities.
 */
import type { Facility } from './registry';
import { signalCode, type SignalFamilyKey } from './working-condition';

/** The MN and code of a facility's signal of this family, or undefined when it has no logger. */
export function signalOf(f: Pick<Facility, 'mn' | 'channel'>, family: SignalFamilyKey): { mn: string; code: string } | undefined {
  return f.mn !== undefined && f.channel !== undefined ? { mn: f.mn, code: signalCode(family, f.channel) } : undefined;
}

/** Facilities by the logger their signals come from, then by channel. */
export function facilitiesByLogger(facilities: readonly Facility[]): Map<string, Map<string, Facility>> {
  const out = new Map<string, Map<string, Facility>>();
  for (const f of facilities) {
    if (f.mn === undefined || f.channel === undefined) continue;
    const byChannel = out.get(f.mn) ?? new Map<string, Facility>();
    byChannel.set(f.channel, f);
    out.set(f.mn, byChannel);
  }
  return out;
}
