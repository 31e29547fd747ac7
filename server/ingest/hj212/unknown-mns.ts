/**
 * MNs that sent frames with a valid CRC but are not in the registry: refused, and listed here for
 * administrators (a logger not yet registered, or one misconfigured). Bounded: past `max` entries
 * the one heard from longest ago is forgotten.
 */
import type { Hj212Transport } from './status-board';

export interface UnknownMn {
  mn: string;
  firstSeenAt: number;
  lastSeenAt: number;
  frames: number;
  lastCn: string;
  transport: Hj212Transport;
  peer: string;
}

export class UnknownMnList {
  private readonly byMn = new Map<string, UnknownMn>();

  constructor(private readonly max = 1000) {}

  note(mn: string, cn: string, at: number, transport: Hj212Transport, peer: string): void {
    const known = this.byMn.get(mn);
    if (known) {
      this.byMn.delete(mn); // re-inserted last: the Map's order is least recently seen first
      Object.assign(known, { lastSeenAt: at, lastCn: cn, transport, peer, frames: known.frames + 1 });
      this.byMn.set(mn, known);
      return;
    }
    if (this.byMn.size >= this.max) {
      const oldest = this.byMn.keys().next();
      if (!oldest.done) this.byMn.delete(oldest.value);
    }
    this.byMn.set(mn, { mn, firstSeenAt: at, lastSeenAt: at, frames: 1, lastCn: cn, transport, peer });
  }

  /** Most recently seen first. */
  list(): UnknownMn[] {
    return [...this.byMn.values()].reverse().map((u) => ({ ...u }));
  }
}
