/**
 * Transport signatures (issue 19, PLANS A6: a logger's raw packets must reach the bureau's
 * communication server directly, never through software or middleware), judged from what the
 * ingest saw rather than from the values:
 * - no-raw-hj212: a source of a kind registered to send raw HJ 212 sent data (JSON over MQTT) but
 *   not one raw HJ 212 frame for `periodS` — a converter stands between logger and bureau;
 * - relay: within `windowS`, several MNs delivered on one TCP connection (one `ip:port`: a
 *   concentrator forwarding several loggers), or one logger's frames arriving from more than one IP
 *   address. Loggers of one site behind one NAT address keep separate connections: not raised.
 * Both are "suspected" findings on factor `*` for an officer to judge, with their evidence.
 *
 * TransportObservations only records (frames and readings as they arrive, pruned to the window);
 * judgeTransport is pure: (observations, now, subjects) → findings, table-tested beside it.
 */
import type { Finding } from '../domain/alert';
import type { Source } from '../domain/registry';
import { RULE_IDS, type RuleParams } from '../domain/rule-pack';
import { exceeded, normal } from './rule-context';

const FACTOR = '*';

export interface FrameSeen {
  mn: string;
  at: number;
  transport: 'tcp' | 'mqtt';
  /** TCP: `ip:port` of the connection; MQTT: the topic. */
  peer: string;
  /** TCP: the peer's IP address. */
  address?: string;
}

/** What the ingest saw, per source and per TCP connection, since `startedAt`. */
export class TransportObservations {
  /** Per TCP connection (`ip:port`): the MNs heard on it, each with when last. */
  readonly connections = new Map<string, Map<string, number>>();
  /** Per MN: the TCP connections (`ip:port`) it was heard on, the index of `connections` by MN. */
  readonly peers = new Map<string, Set<string>>();
  /** Per MN: the TCP addresses (IP) its frames came from, each with when first and last. */
  readonly addresses = new Map<string, Map<string, { first: number; last: number }>>();
  readonly lastRawAt = new Map<string, number>();
  readonly lastReadingAt = new Map<string, number>();

  constructor(readonly startedAt: number) {}

  /** An accepted raw HJ 212 frame of a registered source. */
  frame(f: FrameSeen): void {
    this.lastRawAt.set(f.mn, Math.max(this.lastRawAt.get(f.mn) ?? f.at, f.at));
    if (f.transport !== 'tcp') return;
    let mns = this.connections.get(f.peer);
    if (!mns) this.connections.set(f.peer, (mns = new Map()));
    mns.set(f.mn, f.at);
    let peers = this.peers.get(f.mn);
    if (!peers) this.peers.set(f.mn, (peers = new Set()));
    peers.add(f.peer);
    const ip = f.address ?? ipOf(f.peer);
    let ips = this.addresses.get(f.mn);
    if (!ips) this.addresses.set(f.mn, (ips = new Map()));
    const seen = ips.get(ip);
    ips.set(ip, { first: seen?.first ?? f.at, last: f.at });
  }

  /** A reading of a source became durable (any transport). */
  reading(mn: string, at: number): void {
    this.lastReadingAt.set(mn, Math.max(this.lastReadingAt.get(mn) ?? at, at));
  }

  /** Forgets connections and addresses last heard before `before` (keeps memory bounded). */
  prune(before: number): void {
    for (const [peer, mns] of this.connections) {
      for (const [mn, at] of mns) {
        if (at >= before) continue;
        mns.delete(mn);
        const peers = this.peers.get(mn);
        peers?.delete(peer);
        if (peers?.size === 0) this.peers.delete(mn);
      }
      if (mns.size === 0) this.connections.delete(peer);
    }
    for (const [mn, ips] of this.addresses) {
      for (const [ip, seen] of ips) if (seen.last < before) ips.delete(ip);
      if (ips.size === 0) this.addresses.delete(mn);
    }
  }
}

/** The IP of `ip:port` (`[v6]:port` or `v4:port`). */
export function ipOf(peer: string): string {
  const at = peer.lastIndexOf(':');
  const host = at < 0 ? peer : peer.slice(0, at);
  return host.replace(/^\[|\]$/g, '');
}

export interface TransportSubject {
  source: Pick<Source, 'mn' | 'kind'>;
  params: Pick<RuleParams, 'noRawHj212' | 'relay'>;
}

/** no-raw-hj212 for one source: exceeded, normal, or nothing to say (not watched). */
export function judgeNoRawHj212(obs: TransportObservations, now: number, s: TransportSubject): Finding[] {
  const p = s.params.noRawHj212;
  const mn = s.source.mn;
  if (!p.enabled || !p.kinds.includes(s.source.kind)) return [];
  const periodMs = p.periodS * 1000;
  const lastRaw = obs.lastRawAt.get(mn) ?? null;
  const lastReading = obs.lastReadingAt.get(mn) ?? null;
  const since = Math.max(lastRaw ?? obs.startedAt, obs.startedAt);
  const silentMs = now - since;
  // Data keeps coming (within the period), but no raw frame for the whole period.
  const suspected = lastReading !== null && now - lastReading < periodMs && silentMs >= periodMs;
  if (!suspected) return [normal(mn, FACTOR, RULE_IDS.noRawHj212, 0, now)];
  return [
    exceeded(mn, {
      factor: FACTOR,
      rule: RULE_IDS.noRawHj212,
      severity: p.severity,
      value: Math.round(silentMs / 1000),
      limit: p.periodS,
      unit: 's',
      ts: now,
      evidence: { lastReadingAt: lastReading, lastRawFrameAt: lastRaw, countedFrom: since, periodS: p.periodS },
    }),
  ];
}

/** relay for one source: several MNs on one of its connections, else its address changing. */
export function judgeRelay(obs: TransportObservations, now: number, s: TransportSubject): Finding[] {
  const p = s.params.relay;
  const mn = s.source.mn;
  if (!p.enabled) return [];
  const from = now - p.windowS * 1000;
  for (const peer of obs.peers.get(mn) ?? []) {
    const heard = obs.connections.get(peer);
    const lastAt = heard?.get(mn);
    if (heard === undefined || lastAt === undefined || lastAt < from) continue;
    const others = [...heard].filter(([m, at]) => m !== mn && at >= from).sort((a, b) => b[1] - a[1]);
    if (others.length + 1 <= p.maxSourcesPerConnection) continue;
    return [
      exceeded(mn, {
        factor: FACTOR,
        rule: RULE_IDS.relay,
        severity: p.severity,
        value: others.length + 1,
        limit: p.maxSourcesPerConnection,
        unit: '',
        ts: now,
        evidence: {
          pattern: 'shared-connection',
          peer,
          sourcesOnConnection: others.length + 1,
          sharedWith: others[0]?.[0] ?? null,
          lastSeenAt: lastAt,
          windowS: p.windowS,
        },
      }),
    ];
  }
  const ips = [...(obs.addresses.get(mn) ?? [])].filter(([, seen]) => seen.last >= from).sort((a, b) => a[1].last - b[1].last);
  if (p.watchAddress && ips.length > 1) {
    const [previous, current] = [ips[ips.length - 2]!, ips[ips.length - 1]!];
    return [
      exceeded(mn, {
        factor: FACTOR,
        rule: RULE_IDS.relay,
        severity: p.severity,
        value: ips.length,
        limit: 1,
        unit: '',
        ts: now,
        evidence: {
          pattern: 'address-changed',
          previousAddress: previous[0],
          currentAddress: current[0],
          changedAt: current[1].first,
          addresses: ips.length,
          windowS: p.windowS,
        },
      }),
    ];
  }
  return [normal(mn, FACTOR, RULE_IDS.relay, 0, now)];
}

/** Every transport finding of these sources at `now`. */
export function judgeTransport(obs: TransportObservations, now: number, subjects: readonly TransportSubject[]): Finding[] {
  return subjects.flatMap((s) => [...judgeNoRawHj212(obs, now, s), ...judgeRelay(obs, now, s)]);
}
