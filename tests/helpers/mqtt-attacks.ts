/**
 * MQTT attacks the broker tests, the probe suite and the chaos test run from outside: a CONNECT
 * with somebody else's client id (takeover) and a packet declaring far more than the broker's cap,
 * streamed byte by byte over a raw socket.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';

export interface Credentials {
  username?: string | undefined;
  password?: string | undefined;
}

/** The outcome of a CONNECT: `connected` (then closed again at once) or the broker's refusal. */
export async function tryConnect(url: string, clientId: string, creds: Credentials, clean: boolean): Promise<string> {
  let client: MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(url, { clientId, clean, ...creds, reconnectPeriod: 0, connectTimeout: 5_000 });
    return 'connected';
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  } finally {
    await client?.endAsync(true);
  }
}

/** Counts the times a client lost its connection (a takeover ends the victim's). */
export function watchCloses(client: MqttClient): { readonly closes: number } {
  const w = { closes: 0 };
  client.on('close', () => w.closes++);
  return w;
}

export interface OversizeOutcome {
  /** The broker accepted the CONNECT. */
  connected: boolean;
  /** The broker closed the connection while the packet was still being streamed. */
  closedEarly: boolean;
  /** Bytes of the packet written to the socket before it closed (or all of `streamBytes`). */
  bytesSent: number;
}

const connackOf = (socket: Socket): Promise<boolean> =>
  new Promise((resolve) => {
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => resolve(p.cmd === 'connack' && (p as { returnCode?: number }).returnCode === 0));
    socket.on('data', (b) => parser.parse(b));
    socket.once('close', () => resolve(false));
  });

/**
 * Connects over a raw socket, then sends a PUBLISH whose fixed header declares `declaredBytes`
 * and streams up to `streamBytes` of it in 16 KiB chunks, waiting for each to be taken.
 */
export async function streamOversizePublish(
  url: string,
  clientId: string,
  creds: Credentials,
  topic: string,
  declaredBytes = 100 * 1024 * 1024,
  streamBytes = 16 * 1024 * 1024,
): Promise<OversizeOutcome> {
  const { hostname, port } = new URL(url);
  const socket = tcpConnect(Number(port), hostname);
  socket.on('error', () => undefined); // EPIPE / ECONNRESET once the broker has closed it
  let closed = false;
  const closing = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
  await new Promise<void>((r, j) => (socket.once('connect', () => r()), socket.once('error', j)));
  const connected = connackOf(socket);
  const password = creds.password === undefined ? undefined : Buffer.from(creds.password);
  const connectPacket = { cmd: 'connect' as const, protocolId: 'MQTT' as const, protocolVersion: 4 as const, clean: true, keepalive: 60 };
  socket.write(mqttPacket.generate({ ...connectPacket, clientId, ...creds, password }));
  if (!(await connected)) {
    socket.destroy();
    return { connected: false, closedEarly: false, bytesSent: 0 };
  }
  // A PUBLISH QoS 0: fixed header (type, remaining length), topic; the payload follows.
  const topicBytes = Buffer.from(topic);
  const remaining = 2 + topicBytes.length + declaredBytes;
  const lengthBytes: number[] = [];
  for (let x = remaining; ;) {
    const byte = x % 128;
    x = Math.floor(x / 128);
    lengthBytes.push(x > 0 ? byte | 0x80 : byte);
    if (x === 0) break;
  }
  const topicLength = Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]);
  const head = Buffer.concat([Buffer.from([0x30, ...lengthBytes]), topicLength, topicBytes]);
  const chunk = Buffer.alloc(16 * 1024, 0x7b);
  let sent = 0;
  await new Promise<void>((r) => socket.write(head, () => r()));
  while (!closed && sent < streamBytes) {
    await Promise.race([new Promise<void>((r) => socket.write(chunk, () => r())), closing]);
    // A write the kernel takes at once calls back on the next tick: give the event loop a turn, so
    // that a broker in this process reads (and may refuse) what was sent so far.
    await new Promise((r) => setImmediate(r));
    if (!closed) sent += chunk.length;
  }
  const closedEarly = closed;
  socket.destroy();
  return { connected: true, closedEarly, bytesSent: sent };
}
