import { describe, expect, it } from 'vitest';
import { loggersToCutOff, type LoggerCredentials } from './logger-credentials';

const A = 'A0000000000000000000000A';
const B = 'B0000000000000000000000B';
const creds = (entries: [string, LoggerCredentials][]) => new Map(entries);

describe('loggersToCutOff', () => {
  const b: [string, LoggerCredentials] = [B, { pw: 'q', mqttPassword: 'n' }];
  it.each<{ name: string; after: [string, LoggerCredentials][]; hj212: string[]; mqtt: string[] }>([
    { name: 'nothing changed: nobody', after: [[A, { pw: 'p', mqttPassword: 'm' }], b], hj212: [], mqtt: [] },
    { name: 'a removed source: both transports', after: [b], hj212: [A], mqtt: [A] },
    { name: 'a pw rotated: HJ 212 only', after: [[A, { pw: 'p2', mqttPassword: 'm' }], b], hj212: [A], mqtt: [] },
    { name: 'an MQTT password rotated: MQTT only', after: [[A, { pw: 'p', mqttPassword: 'm2' }], b], hj212: [], mqtt: [A] },
    { name: 'an MQTT password cleared', after: [[A, { pw: 'p', mqttPassword: undefined }], b], hj212: [], mqtt: [A] },
    {
      name: 'a new source cuts nobody',
      after: [[A, { pw: 'p', mqttPassword: 'm' }], b, ['C0000000000000000000000C', { pw: 'r', mqttPassword: 'o' }]],
      hj212: [],
      mqtt: [],
    },
  ])('$name', ({ after, hj212, mqtt }) => {
    const before = creds([[A, { pw: 'p', mqttPassword: 'm' }], b]);
    expect(loggersToCutOff(before, creds(after))).toEqual({ hj212, mqtt });
  });
});
