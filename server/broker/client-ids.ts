/**
 * Which MQTT client ids an identity may connect with — pure, the truth table is in its test. The
 * broker ends the older connection of a client id when a new one connects with it (and with
 * `clean: true` drops its session and queued messages), so a client id is bound to one identity:
 *
 *   identity                  client ids
 *   the server (internal)     any, and only it may use the ingest client id (`mqtt.clientId`)
 *   data logger MN            `MN`, or `<tag>-MN` (tag: 1–40 of A–Z a–z 0–9 . _ -)
 *   user account U            `u:U`, or `u:U:<tag>` (U compared without regard to case)
 *
 * The namespaces do not overlap: an MN is 14–24 letters or digits, so in `<tag>-MN` the MN is what
 * follows the last `-` and no other MN can end the same id after a `-`; user ids hold a `:`, which
 * neither tags nor usernames do. An empty client id (the broker would make one up) is refused.
 */
import type { MqttIdentity } from './topic-acl';

const TAG = /^[A-Za-z0-9._-]{1,40}$/;

/** The client id a logger uses when it has only one connection. */
export const loggerClientId = (mn: string, tag?: string): string => (tag ? `${tag}-${mn}` : mn);

/** The client id a user account uses (`tag` for a second connection of the same user). */
export const userClientId = (username: string, tag?: string): string => (tag ? `u:${username}:${tag}` : `u:${username}`);

function loggerMayUse(mn: string, clientId: string): boolean {
  if (clientId === mn) return true;
  if (!clientId.endsWith(`-${mn}`)) return false;
  return TAG.test(clientId.slice(0, -(mn.length + 1)));
}

function userMayUse(username: string, clientId: string): boolean {
  const [prefix, name, tag, ...rest] = clientId.split(':');
  if (prefix !== 'u' || name === undefined || rest.length > 0) return false;
  if (name.toLowerCase() !== username.toLowerCase()) return false;
  return tag === undefined || TAG.test(tag);
}

/**
 * May this identity connect with this client id? `ingestClientId` is the server's own (reserved).
 * The internal identity may use any id: it is the server's, and tools run with its credentials.
 */
export function mayUseClientId(id: MqttIdentity, clientId: string, ingestClientId: string): boolean {
  if (id.kind === 'internal') return true;
  if (clientId === ingestClientId || clientId.length === 0) return false;
  return id.kind === 'logger' ? loggerMayUse(id.mn, clientId) : userMayUse(id.principal.username, clientId);
}
