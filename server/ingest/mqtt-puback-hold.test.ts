import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { assertPatchable, installedMqttVersion, MQTT_JS_VERSION } from './mqtt-puback-hold';

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
