/**
 * Adapter: PUBACK only after durable, by patching mqtt.js's *private* `_sendPacket` — with
 * mqtt-publish-intake.ts, one of the two places the product touches mqtt.js internals — and writing
 * the held PUBACKs' bytes to the client's stream itself, a group at a time. The messages the intake
 * reads before mqtt.js come by `acknowledge`; those mqtt.js handles (what the intake leaves it) by
 * `track` and the patch. Verified against mqtt.js MQTT_JS_VERSION only: `assertPatchable`
 * refuses any other version at start, and mqtt-puback-hold.test.ts fails when the installed one differs.
 * Guard: tests/integration/puback-after-durable.test.ts (real Mosquitto) — run it before moving the pin.
 *
 * The PUBACK of a QoS 1 message goes out only once the message is durable (spooled or stored).
 * mqtt.js sends it as soon as the message callback returns; here it is held instead and mqtt.js
 * goes on with the next message at once, so many messages share one spool write (group commit)
 * while the broker's in-flight window (Mosquitto max_inflight_messages) bounds what is unacked.
 * PUBACKs go out in the order the messages came (MQTT 3.1.1 §4.6), each once its message is durable.
 * A message that never becomes durable gets no PUBACK: the broker sends it again on reconnect.
 */
import { createRequire } from 'node:module';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../logger';

/** The mqtt.js version whose `_sendPacket(packet, cb, ...)` this adapter was verified against. */
export const MQTT_JS_VERSION = '5.16.0';

/** The installed mqtt.js version. */
export function installedMqttVersion(): string {
  return (createRequire(import.meta.url)('mqtt/package.json') as { version: string }).version;
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: () => void, ...rest: unknown[]) => void;

/** Throws unless the installed mqtt.js is the verified one and still has the private method. */
export function assertPatchable(client: MqttClient, version = installedMqttVersion()): void {
  if (version !== MQTT_JS_VERSION) {
    throw new Error(
      `mqtt.js ${version} is installed but the PUBACK hold (server/ingest/mqtt-puback-hold.ts) is verified against ` +
        `${MQTT_JS_VERSION} only: run tests/integration/puback-after-durable.test.ts and move the pin`,
    );
  }
  if (typeof (client as unknown as { _sendPacket?: unknown })._sendPacket !== 'function') {
    throw new Error('mqtt.js has no _sendPacket: the PUBACK hold cannot be installed');
  }
}

/** PUBACKs held for one durability (the readings of one spool group commit share it). */
interface HeldGroup {
  durable: Promise<unknown> | undefined;
  connection: number;
  /** The held PUBACKs' message ids, in arrival order. */
  ids: number[];
  /** Its turn came: a PUBACK of the same durability held later goes in a group of its own. */
  settled: boolean;
}

/**
 * PUBACKs on the wire: type 4, remaining length 2, the message id (MQTT 3.1.1 §3.4; also MQTT 5
 * §3.4.2.1, where a success without properties may leave out its reason code).
 */
export function pubackBytes(ids: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(4 * ids.length);
  let at = 0;
  for (const id of ids) {
    out[at++] = 0x40;
    out[at++] = 0x02;
    out[at++] = id >> 8;
    out[at++] = id & 0xff;
  }
  return out;
}

export class PubackHold {
  /** Durability of the messages whose PUBACK is held, by message id. */
  private readonly durability = new Map<number, Promise<unknown>>();
  private acks: Promise<void> = Promise.resolve();
  /** Bumped on every disconnect: PUBACKs held for an older connection are never sent. */
  private connection = 0;
  /** The group held last: the next PUBACK joins it when it waits for the same durability. */
  private last: HeldGroup | null = null;

  /** Patches `client` (after `assertPatchable`); call before it connects. */
  constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    assertPatchable(client);
    const internals = client as unknown as { _sendPacket: SendPacket };
    const send = internals._sendPacket.bind(client);
    internals._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd !== 'puback' || packet.messageId === undefined) return send(packet, cb, ...rest);
      const durable = this.durability.get(packet.messageId);
      this.durability.delete(packet.messageId);
      cb?.();
      this.hold(packet.messageId, durable);
    };
  }

  /**
   * The message `messageId`, handled by mqtt.js, is durable once `durable` resolves: the PUBACK
   * mqtt.js sends for it waits for that.
   */
  track(messageId: number, durable: Promise<unknown>): void {
    this.durability.set(messageId, durable);
  }

  /**
   * The PUBACK of a message taken off the connection before mqtt.js (mqtt-publish-intake.ts): sent
   * once `durable` resolves (null: nothing to wait for), in order after every PUBACK held before it.
   */
  acknowledge(messageId: number, durable: Promise<unknown> | null): void {
    this.hold(messageId, durable ?? undefined);
  }

  /**
   * Resolves once every PUBACK held now has gone out (or was given up: the message did not become
   * durable, or its connection closed). A partition's drain waits for it before disconnecting.
   */
  idle(): Promise<void> {
    return this.acks;
  }

  /** The connection closed: PUBACKs held for it are never sent. */
  disconnected(): void {
    this.connection++;
    this.durability.clear();
  }

  /**
   * A group's PUBACKs as one write of their bytes. Through mqtt.js, each PUBACK was a few writes of
   * a few bytes; under a saturated ingest the socket's queue grew to millions of chunks (libuv
   * writes at most 1,024 of them per turn of the event loop), holding ~200 MB of heap.
   */
  private sendAll(ids: readonly number[]): void {
    const stream = this.client.stream;
    if (!this.client.connected || stream.destroyed) return; // no PUBACK: the broker sends them again
    stream.write(pubackBytes(ids));
  }

  /**
   * Holds a PUBACK until its message is durable. The messages of one group commit share their
   * durability: their PUBACKs wait together, one link in the chain for hundreds of messages rather
   * than one each, and go out in the order they came.
   */
  private hold(messageId: number, durable: Promise<unknown> | undefined): void {
    const last = this.last;
    if (last && !last.settled && last.durable === durable && last.connection === this.connection) {
      last.ids.push(messageId);
      return;
    }
    const group: HeldGroup = { durable, connection: this.connection, ids: [messageId], settled: false };
    this.last = group;
    durable?.catch(() => undefined); // its failure is handled in order, below
    this.acks = this.acks
      .then(() => durable)
      .then(
        () => {
          group.settled = true;
          if (group.connection === this.connection) this.sendAll(group.ids);
        },
        (err: Error) => {
          group.settled = true;
          this.log.warn(
            { err: err.message, messages: group.ids.length },
            'messages not durable: no PUBACK, the broker will send them again',
          );
          // Unacknowledged messages come again only on a new connection.
          if (group.connection === this.connection) this.client.stream.destroy();
        },
      );
  }
}
