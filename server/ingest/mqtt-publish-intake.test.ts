import { PassThrough, Writable } from 'node:stream';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PublishIntake } from './mqtt-publish-intake';

type Version = 4 | 5;
const gen = (packet: object, protocolVersion: Version): Buffer =>
  mqttPacket.generate(packet as mqttPacket.Packet, { protocolVersion }) as Buffer;

interface Taken {
  topic: string;
  payload: string;
  qos: number;
  messageId: number;
}

/** An intake over a stream fed by hand, what it took, and the bytes it left to mqtt.js. */
function harness(protocolVersion: Version, take?: (t: Taken) => Promise<unknown> | null) {
  const taken: Taken[] = [];
  const intake = new PublishIntake((topic, payload, qos, messageId) => {
    const t = { topic, payload: payload.toString('utf8'), qos, messageId };
    taken.push(t);
    return take ? take(t) : null;
  }, protocolVersion);
  const source = intake.attach(new PassThrough());
  const passed: Buffer[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      passed.push(chunk);
      cb();
    },
  });
  source.pipe(dest);
  return { taken, source, passedBytes: () => Buffer.concat(passed) };
}

/** A mixed stream as a broker sends it: data at QoS 0 and 1 among the packets mqtt.js must see. */
function mixed(v: Version): { bytes: Buffer; publishes: Taken[]; others: Buffer } {
  const props5 = v === 5 ? { properties: { payloadFormatIndicator: true, userProperties: { a: 'b' }, subscriptionIdentifier: 7 } } : {};
  const pub = (topic: string, payload: string, qos: 0 | 1, messageId: number) =>
    gen({ cmd: 'publish', topic, payload, qos, messageId, retain: false, dup: false, ...props5 }, v);
  const connack = gen({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: true }, v);
  const suback = gen({ cmd: 'suback', messageId: 3, granted: [1], ...(v === 5 ? { reasonCode: 0 } : {}) }, v);
  const pingresp = gen({ cmd: 'pingresp' }, v);
  const puback = gen({ cmd: 'puback', messageId: 9 }, v);
  const qos2 = gen({ cmd: 'publish', topic: 'sentinel/v1/Q2/data', payload: 'x', qos: 2, messageId: 77, retain: false, dup: false }, v);
  const big = 'é'.repeat(300); // a remaining length of two bytes, a UTF-8 payload
  const publishes: Taken[] = [
    { topic: 'sentinel/v1/MN001/data', payload: '{"a":1}', qos: 1, messageId: 1 },
    { topic: '$SYS/broker/publish/messages/dropped', payload: '12', qos: 0, messageId: 0 },
    { topic: 'sentinel/v1/站点/data', payload: big, qos: 1, messageId: 65535 },
    { topic: 'sentinel/v1/MN002/data', payload: '', qos: 1, messageId: 2 },
  ];
  const [p1, p2, p3, p4] = publishes.map((p) => pub(p.topic, p.payload, p.qos as 0 | 1, p.messageId));
  const bytes = Buffer.concat([connack, p1!, suback, p2!, pingresp, puback, p3!, qos2, p4!]);
  return { bytes, publishes, others: Buffer.concat([connack, suback, pingresp, puback, qos2]) };
}

describe('PublishIntake', () => {
  for (const v of [4, 5] as const) {
    it(`MQTT ${v === 4 ? '3.1.1' : '5'}: takes QoS 0 and 1 PUBLISHes and leaves every other packet to mqtt.js, in order, however the bytes are cut`, () => {
      const { bytes, publishes, others } = mixed(v);
      for (const cut of [bytes.length, 1, 2, 3, 7, 64]) {
        const h = harness(v);
        for (let at = 0; at < bytes.length; at += cut) h.source.write(bytes.subarray(at, at + cut));
        expect(h.taken, `chunks of ${cut}`).toEqual(publishes);
        expect(h.passedBytes().equals(others), `chunks of ${cut}`).toBe(true);
      }
    });
  }

  it('what mqtt.js is given parses back into the same packets', () => {
    const { bytes } = mixed(5);
    const h = harness(5);
    h.source.write(bytes);
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const cmds: string[] = [];
    parser.on('packet', (p: { cmd: string }) => cmds.push(p.cmd));
    parser.parse(h.passedBytes());
    expect(cmds).toEqual(['connack', 'suback', 'pingresp', 'puback', 'publish']);
  });

  it('reads nothing more while the sink has no room, then goes on where it stopped', async () => {
    let open: () => void = () => undefined;
    const room = new Promise<void>((resolve) => (open = resolve));
    const h = harness(4, (t) => (t.messageId === 2 ? room : null));
    const pubs = [1, 2, 3, 4].map((id) =>
      gen({ cmd: 'publish', topic: `sentinel/v1/M${id}/data`, payload: String(id), qos: 1, messageId: id, retain: false, dup: false }, 4),
    );
    h.source.write(Buffer.concat(pubs.slice(0, 3)));
    await new Promise((r) => setImmediate(r));
    expect(h.taken.map((t) => t.messageId)).toEqual([1, 2]);
    expect(h.source.isPaused()).toBe(true);
    h.source.write(pubs[3]!); // arrives meanwhile: waits too
    await new Promise((r) => setImmediate(r));
    expect(h.taken.map((t) => t.messageId)).toEqual([1, 2]);
    open();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(h.taken.map((t) => t.messageId)).toEqual([1, 2, 3, 4]);
    expect(h.source.isPaused()).toBe(false);
  });

  it('after a packet it cannot frame, leaves the rest of the connection to mqtt.js', () => {
    const h = harness(4);
    const good = gen({ cmd: 'publish', topic: 'sentinel/v1/A/data', payload: '1', qos: 1, messageId: 1, retain: false, dup: false }, 4);
    // A remaining length of five bytes: no MQTT packet has one.
    const bad = Buffer.from([0x32, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00]);
    h.source.write(Buffer.concat([good, bad, good]));
    expect(h.taken.map((t) => t.messageId)).toEqual([1]);
    expect(h.passedBytes().equals(Buffer.concat([bad, good]))).toBe(true);
  });

  it('leaves a PUBLISH by topic alias (MQTT 5, empty topic) and one whose topic overruns it to mqtt.js', () => {
    const h = harness(5);
    const alias = gen(
      { cmd: 'publish', topic: '', payload: '1', qos: 1, messageId: 5, retain: false, dup: false, properties: { topicAlias: 1 } },
      5,
    );
    const overrun = Buffer.from([0x30, 0x03, 0x00, 0x09, 0x61]); // QoS 0, topic of 9 bytes in a body of 3
    h.source.write(Buffer.concat([alias, overrun]));
    expect(h.taken).toEqual([]);
    expect(h.passedBytes().equals(Buffer.concat([alias, overrun]))).toBe(true);
  });

  it('installs itself on a client made with manualConnect: each connection it makes is read by the intake', () => {
    const client = mqtt.connect('mqtt://127.0.0.1:1', { manualConnect: true });
    const intake = new PublishIntake(() => null, 4);
    const internals = client as unknown as { streamBuilder: (c: unknown) => PassThrough };
    const stream = new PassThrough();
    internals.streamBuilder = () => stream;
    intake.install(client);
    expect(internals.streamBuilder(client)).toBe(stream);
    expect(Object.hasOwn(stream, 'pipe')).toBe(true);
    delete (internals as Partial<typeof internals>).streamBuilder;
    expect(() => new PublishIntake(() => null, 4).install(client)).toThrow(/no streamBuilder/);
  });
});
