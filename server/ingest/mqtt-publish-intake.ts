/**
 * Adapter: the broker's PUBLISH packets taken off the connection before mqtt.js parses them.
 *
 * mqtt.js parses every packet into an object through mqtt-packet and `bl`, then handles it on a
 * turn of `process.nextTick` of its own, through its handlers and two events. Under a saturated
 * ingest that machinery was a tenth of the server's CPU and a quarter of what it allocated, more
 * than the message's own JSON. Here the connection's bytes are read first: a PUBLISH at QoS 0 or 1
 * is decoded in place (topic, packet id, MQTT 5 properties skipped, the payload a view of the bytes
 * read) and handed to `take`; every other packet (CONNACK, SUBACK, PINGRESP, the PUBACKs of what the
 * server publishes, DISCONNECT, a QoS 2 PUBLISH) goes on to mqtt.js, in the order it came. After a
 * packet that cannot be framed, the rest of the connection goes to mqtt.js, which closes it.
 *
 * How it is installed: the client is made with `manualConnect`, its `streamBuilder` wrapped so that
 * each connection's stream is given to `attach`, which takes over the stream's `pipe` (mqtt.js
 * pipes each new stream into its parser once, in `connect`). Writing, ending and closing stay
 * mqtt.js's own. Verified against the mqtt.js version pinned in mqtt-puback-hold.ts
 * (MQTT_JS_VERSION); guarded by mqtt-publish-intake.test.ts and, with a real Mosquitto,
 * tests/integration/puback-after-durable.test.ts.
 *
 * Back-pressure as before: when `take` returns a promise (the sink has no room), nothing more is
 * read until it settles; the broker keeps the backlog.
 */
import type { Readable, Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';

/**
 * One PUBLISH as it came: QoS 0 (`messageId` 0) or 1; `payload` is a view of the bytes read (kept
 * alive by it). Returns null to go on, or a promise: nothing more is read until it settles.
 */
export type TakePublish = (topic: string, payload: Buffer, qos: 0 | 1, messageId: number) => Promise<unknown> | null;

const PUBLISH = 3;

const INCOMPLETE = -1;
const BAD = -2;

export class PublishIntake {
  constructor(
    private readonly take: TakePublish,
    private readonly protocolVersion: 4 | 5,
  ) {}

  /** Reads every connection `client` makes from now on (a client made with `manualConnect`, not yet connected). */
  install(client: MqttClient): void {
    const internals = client as unknown as { streamBuilder?: (c: MqttClient) => Readable };
    const build = internals.streamBuilder;
    if (typeof build !== 'function') throw new Error('mqtt.js has no streamBuilder: the publish intake cannot be installed');
    internals.streamBuilder = (c) => this.attach(build(c));
  }

  /** Takes over the reading of one connection's stream (the one mqtt.js was just given); returns it. */
  attach<S extends Readable>(stream: S): S {
    const reader = new ConnectionReader(stream, this.take, this.protocolVersion);
    // mqtt.js pipes the stream into its parser; what reaches that parser now is decided here.
    stream.pipe = <T extends NodeJS.WritableStream>(dest: T): T => {
      reader.start(dest as unknown as Writable);
      return dest;
    };
    return stream;
  }
}

class ConnectionReader {
  /** Bytes read and not yet handled (a packet cut by the chunk's end, or left while waiting for room). */
  private rest: Buffer | null = null;
  private dest: Writable | null = null;
  /** Waiting for room: nothing more is handled until it settles. */
  private waiting = false;
  /** A packet could not be framed: everything from there goes to mqtt.js. */
  private passAll = false;
  /** What `frame` and `publish` found (fields, not an object per packet). */
  private body = 0;
  private topic = '';
  private messageId = 0;
  private payloadAt = 0;

  constructor(
    private readonly stream: Readable,
    private readonly take: TakePublish,
    private readonly protocolVersion: 4 | 5,
  ) {}

  start(dest: Writable): void {
    this.dest = dest;
    this.stream.on('data', (chunk: Buffer) => {
      this.rest = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
      if (!this.waiting) this.run();
    });
    this.stream.on('end', () => dest.end());
  }

  /** Handles every whole packet read, until one leaves the sink without room. */
  private run(): void {
    const buf = this.rest;
    if (buf === null || this.dest === null) return;
    let at = 0;
    /** The start of a run of packets for mqtt.js, written to it before the next PUBLISH taken here. */
    let passFrom = -1;
    while (at < buf.length && !this.passAll) {
      const end = this.frame(buf, at);
      if (end === INCOMPLETE) break;
      if (end === BAD) {
        this.passAll = true;
        break;
      }
      const first = buf[at]!;
      const qos = (first >> 1) & 3;
      // Not one this reader decodes (another packet, QoS 2, a topic alias, a malformed PUBLISH): mqtt.js's.
      if (first >> 4 !== PUBLISH || qos > 1 || !this.publish(buf, this.body, end, qos)) {
        if (passFrom < 0) passFrom = at;
        at = end;
        continue;
      }
      if (passFrom >= 0) this.dest.write(buf.subarray(passFrom, at));
      passFrom = -1;
      at = end;
      const room = this.take(this.topic, buf.subarray(this.payloadAt, end), qos as 0 | 1, this.messageId);
      if (room !== null) {
        this.rest = at < buf.length ? buf.subarray(at) : null;
        this.wait(room);
        return;
      }
    }
    if (this.passAll) {
      this.dest.write(buf.subarray(passFrom >= 0 ? passFrom : at));
      this.rest = null;
      return;
    }
    if (passFrom >= 0) this.dest.write(buf.subarray(passFrom, at));
    this.rest = at < buf.length ? buf.subarray(at) : null;
  }

  /** Holds the reading until the sink has room, then goes on with what was read. */
  private wait(room: Promise<unknown>): void {
    this.waiting = true;
    this.stream.pause();
    const go = (): void => {
      this.waiting = false;
      if (this.stream.destroyed) return;
      this.run();
      if (!this.waiting) this.stream.resume();
    };
    room.then(go, go);
  }

  /** Where the packet at `at` ends (its body starts at `this.body`); INCOMPLETE: not all read yet; BAD: cannot be framed. */
  private frame(buf: Buffer, at: number): number {
    let length = 0;
    let mult = 1;
    for (let i = at + 1; i < at + 5; i++) {
      if (i >= buf.length) return INCOMPLETE;
      const b = buf[i]!;
      length += (b & 0x7f) * mult;
      if ((b & 0x80) === 0) {
        this.body = i + 1;
        const end = i + 1 + length;
        return end > buf.length ? INCOMPLETE : end;
      }
      mult *= 128;
    }
    return BAD;
  }

  /** Reads a PUBLISH's topic, packet id and where its payload starts; false when this reader leaves it to mqtt.js. */
  private publish(buf: Buffer, body: number, end: number, qos: number): boolean {
    if (body + 2 > end) return false;
    const topicLength = buf.readUInt16BE(body);
    let at = body + 2 + topicLength;
    if (topicLength === 0 || at > end) return false;
    this.topic = buf.toString('utf8', body + 2, at);
    this.messageId = 0;
    if (qos > 0) {
      if (at + 2 > end) return false;
      this.messageId = buf.readUInt16BE(at);
      at += 2;
    }
    if (this.protocolVersion === 5) {
      // The properties (their length a variable byte integer), skipped.
      let length = 0;
      let mult = 1;
      for (let i = at; ; i++) {
        if (i >= end || i >= at + 4) return false;
        const b = buf[i]!;
        length += (b & 0x7f) * mult;
        if ((b & 0x80) === 0) {
          at = i + 1 + length;
          break;
        }
        mult *= 128;
      }
      if (at > end) return false;
    }
    this.payloadAt = at;
    return true;
  }
}
