import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketSizeMeter } from './packet-size-guard';

const publish = (payloadBytes: number): Buffer =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'sentinel/v1/x/data',
    payload: Buffer.alloc(payloadBytes, 0x61),
    qos: 1,
    messageId: 7,
    retain: false,
    dup: false,
  });
const connect = mqttPacket.generate({
  cmd: 'connect',
  clientId: 'c1',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  keepalive: 60,
  username: 'u',
  password: Buffer.from('p'),
});
const ping = mqttPacket.generate({ cmd: 'pingreq' });

/** Feeds `stream` in pieces of `step` bytes; the first verdict. */
function meter(limit: number, stream: Buffer, step: number) {
  const m = new PacketSizeMeter(limit);
  for (let i = 0; i < stream.length; i += step) {
    const v = m.feed(stream.subarray(i, i + step));
    if (v) return { ...v, at: i };
  }
  return null;
}

describe('PacketSizeMeter', () => {
  const small = Buffer.concat([connect, publish(100), ping, publish(0), publish(1000), ping]);
  it.each([1, 2, 3, 7, 64, 100_000])('passes packets within the limit, fed %i bytes at a time', (step) => {
    expect(meter(1100, small, step)).toBeNull();
  });

  it.each([1, 3, 5000])('stops at the fixed header of a packet over the limit (%i bytes at a time)', (step) => {
    const big = publish(5000); // 5000 + topic + packet id
    const stream = Buffer.concat([connect, ping, big]);
    const verdict = meter(4096, stream, step);
    expect(verdict?.declared).toBe(big.length - 3); // 1 type byte + 2 length bytes
    expect(verdict!.at).toBeLessThan(connect.length + ping.length + 3);
  });

  it('counts the fixed header in the limit', () => {
    const p = publish(100);
    expect(meter(p.length, p, 1)).toBeNull();
    expect(meter(p.length - 1, p, 1)).not.toBeNull();
  });

  it('refuses a header declaring 100 MB after its 5 bytes, and a length field of more than 4 bytes', () => {
    const header = Buffer.from([0x32, 0x80, 0x80, 0x80, 0x30]); // PUBLISH QoS 1, remaining length 100,663,296
    expect(meter(70_000, header, 1)).toEqual({ declared: 100_663_296, at: 4 });
    expect(meter(70_000, Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 1)).toEqual({ declared: -1, at: 4 });
  });
});
