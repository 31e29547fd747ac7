/**
 * HJ 212 over MQTT: raw frames as the payload of `sentinel/v1/{mn}/hj212` (one or several glued
 * frames per message; a frame may not straddle two messages). Same codec and same rules as TCP;
 * the frame's MN must be the topic's. Replies (9014, 9011, 1012) are published to
 * `sentinel/v1/{mn}/hj212/reply`.
 *
 * `Hj212MqttHandler` is the MQTT transport's handler for those topics.
 */
import { HJ212_TOPIC_FILTER, hj212ReplyTopic, mnFromHj212Topic } from '../../domain/hj212/mqtt-topics';
import { FrameScanner } from '../../domain/hj212/stream-scanner';
import type { TopicHandler } from '../mqtt-transport';
import type { Hj212Processor } from './hj212-processor';

export class Hj212MqttHandler implements TopicHandler {
  readonly filter = HJ212_TOPIC_FILTER;

  constructor(
    private readonly processor: Hj212Processor,
    /** Publishes a reply (QoS 1); the handler does not wait for it. */
    private readonly publish: (topic: string, payload: Uint8Array) => void,
    private readonly maxPayloadBytes: number,
  ) {}

  matches(topic: string): boolean {
    return mnFromHj212Topic(topic) !== undefined;
  }

  /** Handles one message; resolves when its frames are stored and answered (never rejects). */
  async handle(topic: string, payload: Uint8Array): Promise<void> {
    const mn = mnFromHj212Topic(topic);
    const origin = { transport: 'mqtt' as const, peer: topic, ...(mn !== undefined ? { expectedMn: mn } : {}) };
    if (mn === undefined) {
      await this.processor.refuseRaw(
        payload.subarray(0, this.maxPayloadBytes),
        origin,
        'bad_topic',
        `topic "${topic}" is not sentinel/v1/{mn}/hj212`,
      );
      return;
    }
    if (payload.length > this.maxPayloadBytes) {
      await this.processor.refuseRaw(
        payload.subarray(0, this.maxPayloadBytes),
        origin,
        'too_large',
        `payload of ${payload.length} bytes exceeds ${this.maxPayloadBytes}`,
      );
      return;
    }
    const replyTopic = hj212ReplyTopic(mn);
    const channel = {
      send: (bytes: Uint8Array): boolean => {
        this.publish(replyTopic, bytes);
        return true;
      },
    };
    const scanner = new FrameScanner();
    const events = [...scanner.push(payload), ...scanner.finish()];
    await Promise.all(events.map((e) => this.processor.handle(e, origin, channel)));
  }
}
