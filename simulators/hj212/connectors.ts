/**
 * Connectors for the existing fleet (simulators/fleet.ts `connect`): HJ 212 loggers over TCP or
 * over MQTT, with fault injection. Use:
 *   const sim = hj212TcpConnector({ host, port, registry, faultRate: 0.05 });
 *   const fleet = await startFleet({ url: `hj212://${host}:${port}`, registry, intervalMs, scenario, connect: sim.connect });
 *   …; sim.counters  // uploads, faults, 9014s received, refusals…
 */
import type { Registry } from '../../server/domain/registry';
import { createRng, deriveSeed } from '../random';
import type { Connector } from '../transport';
import type { Hj212Fault } from './faults';
import { emptySimCounters, Hj212Publisher, type Hj212SimCounters } from './hj212-publisher';
import { mqttLink } from './mqtt-link';
import { ReplyTracker } from './reply-tracker';
import { tcpLink } from './tcp-link';

export interface Hj212ConnectorOptions {
  registry: Registry;
  faultRate?: number;
  faults?: readonly Hj212Fault[];
  seed?: number;
  replyTimeoutMs?: number;
  clock?: () => number;
}

export interface Hj212Connector {
  connect: Connector;
  readonly counters: Hj212SimCounters;
}

function build(opts: Hj212ConnectorOptions, link: (clientId: string, tracker: ReplyTracker) => ReturnType<typeof tcpLink>): Hj212Connector {
  const counters = emptySimCounters();
  const byMn = new Map(opts.registry.sources.map((s) => [s.mn, s]));
  const seed = opts.seed ?? 1;
  return {
    counters,
    connect: async (clientId) => {
      const tracker = new ReplyTracker(counters);
      return new Hj212Publisher(await link(clientId, tracker), tracker, counters, {
        lookup: (mn) => byMn.get(mn),
        rng: createRng(deriveSeed(seed, clientId)),
        faultRate: opts.faultRate ?? 0,
        ...(opts.faults ? { faults: opts.faults } : {}),
        ...(opts.replyTimeoutMs !== undefined ? { replyTimeoutMs: opts.replyTimeoutMs } : {}),
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
    },
  };
}

export function hj212TcpConnector(opts: Hj212ConnectorOptions & { host: string; port: number }): Hj212Connector {
  return build(opts, (_clientId, tracker) => tcpLink(opts.host, opts.port, tracker));
}

/** With shared credentials every connection uses them; without, a logger's own connection (client id
 * ending in its MN) signs in as that logger: username = MN, its registry `mqttPassword`. */
export function hj212MqttConnector(opts: Hj212ConnectorOptions & { url: string; username?: string; password?: string }): Hj212Connector {
  const shared = { ...(opts.username ? { username: opts.username } : {}), ...(opts.password ? { password: opts.password } : {}) };
  const ownAuth = (clientId: string) => {
    const source = opts.registry.sources.find((s) => clientId.endsWith(s.mn));
    return source?.mqttPassword ? { username: source.mn, password: source.mqttPassword } : {};
  };
  return build(opts, (clientId, tracker) => mqttLink(opts.url, clientId, tracker, opts.username ? shared : ownAuth(clientId)));
}
