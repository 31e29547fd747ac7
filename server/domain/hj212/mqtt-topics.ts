/**
 * HJ 212 over MQTT: a logger publishes its raw frames (bytes exactly as on TCP, one or several per
 * message) to `sentinel/v1/{mn}/hj212`; the server's replies (9014, 9011, 1012) go to
 * `sentinel/v1/{mn}/hj212/reply`. The MN in the topic must be the frame's MN.
 */
import { TOPIC_ROOT } from '../mqtt-contract';

export const hj212Topic = (mn: string): string => `${TOPIC_ROOT}/${mn}/hj212`;
export const hj212ReplyTopic = (mn: string): string => `${TOPIC_ROOT}/${mn}/hj212/reply`;
export const HJ212_TOPIC_FILTER = `${TOPIC_ROOT}/+/hj212`;

const PREFIX = `${TOPIC_ROOT}/`;
const SUFFIX = '/hj212';

/** The MN of an HJ 212 upload topic, or undefined when the topic is not one. */
export function mnFromHj212Topic(topic: string): string | undefined {
  if (!topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)) return undefined;
  const mn = topic.slice(PREFIX.length, topic.length - SUFFIX.length);
  return mn.length > 0 && !mn.includes('/') ? mn : undefined;
}

/**
 * An HJ 212 gateway (`--role gateway`, issue 15) forwards each frame it accepted over TCP to
 * `sentinel/v1/{mn}/hj212/gateway` (the source's own topic tree, so whoever ingests the source hears
 * it), wrapped in a gateway envelope (gateway-envelope.ts). Loggers may not publish there (their ACL
 * names their two upload topics exactly); a gateway may publish only there.
 */
export const hj212GatewayTopic = (mn: string): string => `${TOPIC_ROOT}/${mn}/hj212/gateway`;
export const HJ212_GATEWAY_TOPIC_FILTER = `${TOPIC_ROOT}/+/hj212/gateway`;
const GATEWAY_SUFFIX = '/hj212/gateway';

/** The MN of a gateway topic, or undefined when the topic is not one. */
export function mnFromHj212GatewayTopic(topic: string): string | undefined {
  if (!topic.startsWith(PREFIX) || !topic.endsWith(GATEWAY_SUFFIX)) return undefined;
  const mn = topic.slice(PREFIX.length, topic.length - GATEWAY_SUFFIX.length);
  return mn.length > 0 && !mn.includes('/') ? mn : undefined;
}
