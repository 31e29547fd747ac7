/**
 * Who may publish and subscribe to what on the broker — pure, the truth table is in its test. The
 * same rules are rendered as a Mosquitto ACL file (mosquitto-credentials.ts) and documented for
 * EMQX (docs/broker-security.md).
 *
 *   topic                               logger X   internal   admin/officer   ozone   enterprise E      department D
 *   sentinel/v1/{X}/data, …/hj212       write      r/w        read            read    read if X ∈ E     read if D oversees X
 *   sentinel/v1/{X}/hj212/reply         read       r/w        read            read    read if X ∈ E     read if D oversees X
 *   sentinel/v1/deadletter              —          r/w        read            —       —                 —
 *   sentinel/v1/{X}/hj212/gateway       —          r/w        read            read    read if X ∈ E     read if D oversees X
 *   anything else ($SYS, other roots)   —          r/w        —               —       —                 —
 *
 * HJ 212 gateways (`--role gateway`) have their own broker users, on an external broker only (the
 * embedded one has no gateway accounts): they write GATEWAY_PUBLISH_FILTER and nothing else, read
 * nothing (mosquitto-credentials.ts).
 *
 * Enterprise and department users name one MN per filter (no `+` in its place): their scope is
 * decided per source, and a wildcard would match sources outside it.
 */
import { scopeOf, sourceInScope, type ScopedSource } from '../domain/access';
import type { Principal } from '../domain/principal';
import { dataTopic, DEADLETTER_TOPIC, TOPIC_ROOT } from '../domain/mqtt-contract';
import { HJ212_GATEWAY_TOPIC_FILTER, hj212ReplyTopic, hj212Topic } from '../domain/hj212/mqtt-topics';

/** Who is behind an MQTT connection, decided once at CONNECT. */
export type MqttIdentity =
  { kind: 'internal'; username: string } | { kind: 'logger'; mn: string; enterpriseId: string } | { kind: 'user'; principal: Principal };

/** The topics a data logger publishes its uploads to. */
export const loggerUploadTopics = (mn: string): string[] => [dataTopic(mn), hj212Topic(mn)];
/** The topics the server answers a data logger on. */
export const loggerReplyTopics = (mn: string): string[] => [hj212ReplyTopic(mn)];

/** What an HJ 212 gateway may publish on: the gateway topic of any source. */
export const GATEWAY_PUBLISH_FILTER = HJ212_GATEWAY_TOPIC_FILTER;

const ROOT_LEVELS = TOPIC_ROOT.split('/');

/** MQTT topic-filter matching (`+` one level, `#` this level and below; `$` topics not by wildcards). */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Does the filter stay under `sentinel/v1/` (no wildcard in the root levels)? */
function underRoot(levels: string[]): boolean {
  return ROOT_LEVELS.every((l, i) => levels[i] === l) && levels.length > ROOT_LEVELS.length;
}

/**
 * Can this filter only match per-source topics `sentinel/v1/{mn}/{…}` (never the dead-letter topic
 * or another topic directly under the root)? `sentinel/v1/+/#` is refused: `#` also matches its
 * parent level, i.e. `sentinel/v1/deadletter`; `sentinel/v1/{mn}/#` is fine.
 */
function perSourceOnly(levels: string[]): boolean {
  const n = ROOT_LEVELS.length;
  const mn = levels[n];
  const below = levels[n + 1];
  if (!underRoot(levels) || mn === undefined || mn === '#' || below === undefined) return false;
  if (mn === '+') return below !== '#';
  return mn !== DEADLETTER_TOPIC.split('/')[n];
}

export function mayPublish(id: MqttIdentity, topic: string): boolean {
  switch (id.kind) {
    case 'internal':
      return true;
    case 'logger':
      return loggerUploadTopics(id.mn).includes(topic);
    case 'user':
      return false;
  }
}

/**
 * May this identity subscribe to this filter? `sourceOf` looks an MN up in the registry.
 * Wildcard filters are judged by every topic they could match.
 */
export function maySubscribe(id: MqttIdentity, filter: string, sourceOf: (mn: string) => ScopedSource | undefined): boolean {
  if (id.kind === 'internal') return true;
  if (filter.length === 0 || filter.startsWith('$')) return false;
  const levels = filter.split('/');
  if (id.kind === 'logger') return loggerReplyTopics(id.mn).includes(filter);
  const p = id.principal;
  switch (p.role) {
    case 'admin':
    case 'officer':
      return underRoot(levels);
    case 'ozone':
      return perSourceOnly(levels);
    case 'enterprise':
    case 'department': {
      const mn = levels[ROOT_LEVELS.length];
      if (!perSourceOnly(levels) || mn === undefined || mn === '+') return false;
      const source = sourceOf(mn);
      return source !== undefined && sourceInScope(scopeOf(p), source);
    }
  }
}
