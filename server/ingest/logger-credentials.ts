/**
 * Which data loggers must be cut off when the registry changes: a removed source's logger, and one
 * whose credentials changed (rotated or cleared) — its HJ 212 TCP connections when its `pw` changed,
 * its MQTT connections when its `mqttPassword` changed. A logger that reconnects is judged by the
 * new registry (refused when removed; its new credentials work at once). Pure.
 */
import type { Registry } from '../domain/registry';

export interface LoggerCredentials {
  pw: string | undefined;
  mqttPassword: string | undefined;
}

export type CredentialsByMn = ReadonlyMap<string, LoggerCredentials>;

export function credentialsOf(registry: Pick<Registry, 'sources'>): Map<string, LoggerCredentials> {
  return new Map(registry.sources.map((s) => [s.mn, { pw: s.pw, mqttPassword: s.mqttPassword }]));
}

export interface CutOff {
  /** MNs whose HJ 212 TCP connections are closed. */
  hj212: string[];
  /** MNs whose MQTT connections are closed. */
  mqtt: string[];
}

export function loggersToCutOff(before: CredentialsByMn, after: CredentialsByMn): CutOff {
  const cut: CutOff = { hj212: [], mqtt: [] };
  for (const [mn, was] of before) {
    const now = after.get(mn);
    if (!now || now.pw !== was.pw) cut.hj212.push(mn);
    if (!now || now.mqttPassword !== was.mqttPassword) cut.mqtt.push(mn);
  }
  return cut;
}
