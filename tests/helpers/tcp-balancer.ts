/**
 * The load balancer in front of the web processes of a local cluster (tests/helpers/local-cluster.ts),
 * as small as one can be: a TCP proxy on a loopback port handing each new connection to the next
 * backend in turn, and to the one after it when that one refuses (a process that is down). No
 * stickiness: the dashboard's socket.io runs over WebSocket only, one TCP connection, and sessions
 * live in the shared database, so any web process serves any request. A production deployment puts
 * nginx, HAProxy or a cloud balancer there (docs/scale-out.md).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  port: number;
  url: string;
  /** Connections handed to each backend so far (by port). */
  handed: Map<number, number>;
  stop(): Promise<void>;
}

export async function startTcpBalancer(backends: readonly number[], port = 0): Promise<TcpBalancer> {
  let next = 0;
  const open = new Set<Socket>();
  const handed = new Map<number, number>(backends.map((b) => [b, 0]));

  /** Pipes `client` to the first backend from `start` on that accepts; closes it when none does. */
  const forward = (client: Socket, start: number, tried: number) => {
    if (tried >= backends.length) {
      client.destroy();
      return;
    }
    const backendPort = backends[(start + tried) % backends.length] as number;
    const upstream = connect(backendPort, '127.0.0.1');
    open.add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      handed.set(backendPort, (handed.get(backendPort) ?? 0) + 1);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      upstream.once('close', () => (open.delete(upstream), client.destroy()));
      client.once('close', () => upstream.destroy());
      client.resume();
    });
    upstream.once('error', () => {
      open.delete(upstream);
      if (!connected) forward(client, start, tried + 1);
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    const start = next;
    next = (next + 1) % backends.length;
    forward(client, start, 0);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    handed,
    async stop() {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
