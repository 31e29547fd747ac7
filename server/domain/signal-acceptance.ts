/**
 * Which sources may send working-condition signals (issue 16, docs/working-condition.md): a
 * signal code (`gkw03`) is taken from any logger of a kind that carries them — a working-condition
 * logger (`condition`) or a stack logger (`cems`, `vocs`, `ammonia`: the outlet's own logger often
 * wires the fan and burner) — and from a logger of another kind only on a channel a registered
 * facility names (`mn` + `channel`). A code that looks like a signal (`g` + two letters + two
 * digits) but is not one (unknown family, channel 00) is refused rather than kept as a
 * non-standard code: it is a misconfigured logger, not a factor. Pure: both ingests (HJ 212 and
 * MQTT JSON) ask it, so they refuse the same things.
 */
import { facilitiesByLogger } from './facility-signals';
import type { Facility, Source } from './registry';
import type { SourceKind } from './source-kinds';
import { parseSignalCode } from './working-condition';

/** Kinds whose loggers may send signals on any channel. */
export const SIGNAL_KINDS: readonly SourceKind[] = ['condition', 'cems', 'vocs', 'ammonia'];

/** The channels registered facilities name, by logger MN (built once per registry version). */
export type SignalChannels = ReadonlyMap<string, ReadonlySet<string>>;

export function signalChannels(facilities: readonly Facility[]): SignalChannels {
  const out = new Map<string, Set<string>>();
  for (const [mn, byChannel] of facilitiesByLogger(facilities)) out.set(mn, new Set(byChannel.keys()));
  return out;
}

const LOOKS_LIKE_SIGNAL = /^g[a-z]{2}\d{2}$/i;

/** Why `code` is not taken from `source`, or undefined when it is (or is no signal code at all). */
export function signalRefusal(code: string, source: Pick<Source, 'mn' | 'kind'>, channels: SignalChannels): string | undefined {
  if (!LOOKS_LIKE_SIGNAL.test(code)) return undefined;
  const signal = parseSignalCode(code);
  if (!signal) return `"${code}" is not a working-condition signal code (family + channel 01–99, e.g. gkw03)`;
  if (SIGNAL_KINDS.includes(source.kind)) return undefined;
  if (channels.get(source.mn)?.has(signal.channel)) return undefined;
  return `${code}: a ${source.kind} logger sends signals only on a facility's channel, and no facility names channel ${signal.channel} of ${source.mn}`;
}
