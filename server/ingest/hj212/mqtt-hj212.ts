/**
 * HJ 212 over MQTT: raw frames as the payload of `sentinel/v1/{mn}/hj212` (one or several glued
 * frames per message; a frame may not straddle two messages). Same codec and same rules as TCP;
 * the frame's MN must be the topic's. Replies (9014, 9011, 1012) are published to
 * `sentinel/v1/{mn}/hj212/reply`.
 *
 * `decodeHj212Message` is the pure decoder (the analogue of decodeJsonMessage: no archive, no
 * reassembly, no replies); `Hj212MqttHandler` is what the MQTT ingest calls for each message.
 */
import { decodeAll } from '../../domain/hj212/decode';
import { hj212ReplyTopic, mnFromHj212Topic } from '../../domain/hj212/mqtt-topics';
import { FrameScanner } from '../../domain/hj212/stream-scanner';
import { judge, type Verdict, type VerdictContext } from './frame-verdict';
import type { Hj212Processor } from './hj212-processor';

export interface Hj212MessageContext extends Omit<VerdictContext, 'expectedMn'> {
  maxPayloadBytes: number;
}

/** The verdict on every frame of one MQTT message. */
export function decodeHj212Message(topic: string, payload: Uint8Array, ctx: Hj212MessageContext): Verdict[] {
  const mn = mnFromHj212Topic(topic);
  if (mn === undefined) return [{ kind: 'rejected', reason: 'bad_topic', detail: `topic "${topic}" is not sentinel/v1/{mn}/hj212` }];
  if (payload.length > ctx.maxPayloadBytes) {
    return [{ kind: 'rejected', reason: 'too_large', detail: `payload of ${payload.length} bytes exceeds ${ctx.maxPayloadBytes}` }];
  }
  return decodeAll(payload).map((d) => judge(d, { ...ctx, expectedMn: mn }));
}

export class Hj212MqttHandler {
  constructor(
    private readonly processor: Hj212Processor,
    /** Publishes a reply (QoS 1); the handler does not wait for it. */
    private readonly publish: (topic: string, payload: Uint8Array) => void,
    private readonly maxPayloadBytes: number,
  ) {}

  /** null while the sink takes more; else resolves when it can (hold the next message till then). */
  ready(): Promise<void> | null {
    return this.processor.ready();
  }

  /** Handles one message; resolves when its frames are stored and answered (never rejects). */
  async handle(topic: string, payload: Uint8Array): Promise<void> {
    const mn = mnFromHj212Topic(topic);
    const origin = { transport: 'mqtt' as const, peer: topic, ...(mn !== undefined ? { expectedMn: mn } : {}) };
    if (mn === undefined) {
      await this.processor.refuseRaw(payload.subarray(0, this.maxPayloadBytes), origin, 'bad_topic', `topic "${topic}" is not sentinel/v1/{mn}/hj212`);
      return;
    }
    if (payload.length > this.maxPayloadBytes) {
      await this.processor.refuseRaw(payload.subarray(0, this.maxPayloadBytes), origin, 'too_large', `payload of ${payload.length} bytes exceeds ${this.maxPayloadBytes}`);
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
