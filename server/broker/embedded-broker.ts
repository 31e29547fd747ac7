/**
 * The embedded MQTT broker (aedes) for the default run: loggers and simulators connect to it
 * like to Mosquitto. Sessions and QoS 1 queues live in memory; production uses Mosquitto/EMQX.
 * Given `auth` hooks (broker-auth.ts) it refuses anonymous clients and enforces the topic ACL;
 * without them it is open, as before. Given `maxPacketBytes` it ends a connection whose next
 * packet declares more (packet-size-guard.ts), before aedes buffers any of it.
 */
import { createServer, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from '../logger';
import type { BrokerAuthHooks } from './broker-auth';
import { guardPacketSize } from './packet-size-guard';

export interface EmbeddedBrokerOptions {
  auth?: BrokerAuthHooks;
  /** The largest MQTT packet a client may send, bytes (fixed header included). */
  maxPacketBytes?: number;
  /** Hears a client's connection (after authentication) and its end; a takeover ends the old one first. */
  onClient?: (client: Client, connected: boolean) => void;
}

export class EmbeddedBroker {
  private broker: Aedes | null = null;
  private server: Server | null = null;
  /** Connections closed because a packet declared more than `maxPacketBytes`. */
  oversizePackets = 0;

  constructor(
    private readonly log: Logger,
    private readonly options: EmbeddedBrokerOptions = {},
  ) {}

  /** Listens on `port` (0 = any free port) and resolves the bound port. */
  async start(port: number, host = '0.0.0.0'): Promise<number> {
    const { auth } = this.options;
    const broker = await Aedes.createBroker(
      auth ? { authenticate: auth.authenticate, authorizePublish: auth.authorizePublish, authorizeSubscribe: auth.authorizeSubscribe } : {},
    );
    broker.on('clientError', (client, err) => this.log.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
    const { onClient } = this.options;
    if (onClient) {
      broker.on('client', (client) => onClient(client, true));
      broker.on('clientDisconnect', (client) => onClient(client, false));
    }
    const { maxPacketBytes } = this.options;
    const server = createServer((socket) => {
      if (maxPacketBytes !== undefined) {
        guardPacketSize(socket, maxPacketBytes, ({ declared }) => {
          this.oversizePackets++;
          const clientId = (socket as { client?: { id: string | null } }).client?.id ?? null;
          this.log.warn({ ip: socket.remoteAddress, clientId, declared, maxPacketBytes }, 'mqtt packet too large: connection closed');
        });
      }
      broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.broker = broker;
    this.server = server;
    const bound = (server.address() as { port: number }).port;
    this.log.info({ port: bound, auth: auth !== undefined }, 'embedded MQTT broker listening');
    return bound;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.broker ? this.broker.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.broker = null;
    this.server = null;
  }

  /** Closes every connected client `match` picks (e.g. the connections of a revoked user); returns how many. */
  disconnectClients(match: (client: Client) => boolean): number {
    const clients = (this.broker as unknown as { clients?: Record<string, Client> } | null)?.clients ?? {};
    let closed = 0;
    for (const client of Object.values(clients)) {
      if (!match(client)) continue;
      client.close();
      closed++;
    }
    if (closed > 0) this.log.info({ closed }, 'mqtt clients closed on request');
    return closed;
  }
}
