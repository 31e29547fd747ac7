import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { assertPatchable, installedMqttVersion, MQTT_JS_VERSION, pubackBytes } from './mqtt-puback-hold';

describe('the PUBACK hold is pinned to one mqtt.js version', () => {
  it('the installed mqtt.js is the verified one (else run tests/integration/puback-after-durable.test.ts and move the pin)', () => {
    expect(installedMqttVersion()).toBe(MQTT_JS_VERSION);
  });

  it('refuses another version, and accepts the verified one while it has _sendPacket', () => {
    const client = mqtt.connect('mqtt://127.0.0.1:1', { manualConnect: true });
    expect(() => assertPatchable(client, '5.17.0')).toThrow(/verified against 5\.16\.0 only/);
    expect(() => assertPatchable(client, MQTT_JS_VERSION)).not.toThrow();
  });
});

describe('pubackBytes', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`writes PUBACKs a MQTT ${protocolVersion === 4 ? '3.1.1' : '5'} parser reads back, in order`, () => {
      const ids = [1, 255, 256, 4660, 65535];
      const parser = mqttPacket.parser({ protocolVersion });
      const got: { cmd: string; messageId?: number }[] = [];
      parser.on('packet', (p: { cmd: string; messageId?: number }) => got.push(p));
      parser.on('error', (err: Error) => {
        throw err;
      });
      parser.parse(pubackBytes(ids));
      expect(got.map((p) => [p.cmd, p.messageId])).toEqual(ids.map((id) => ['puback', id]));
    });
  }
});
