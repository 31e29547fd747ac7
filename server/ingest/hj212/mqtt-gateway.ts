/**
 * The ingest side of the HJ 212 gateways (issue 15 item 4): frames a gateway accepted over TCP and
 * forwarded on `sentinel/v1/{mn}/hj212/gateway` (gateway-envelope.ts) go through the same processor
 * as the frames of the ingest's own TCP listener — judged again (CRC, MN, which must be the topic's,
 * PW, time window, rewrites), archived as received with the logger's address, stored, counted per
 * source — as TCP frames from the logger's `ip:port`. The gateway already sent the 9014 (after the
 * broker's PUBACK), so the processor's replies go nowhere; this message's PUBACK waits for the
 * reading to be durable like any other. A `closed` envelope ends the logger's "connected" status.
 */
import { HJ212_GATEWAY_TOPIC_FILTER, mnFromHj212GatewayTopic } from '../../domain/hj212/mqtt-topics';
import { FrameScanner } from '../../domain/hj212/stream-scanner';
import type { TopicHandler } from '../mqtt-transport';
import { parseGatewayEnvelope } from './gateway-envelope';
import type { Hj212Processor, ReplyChannel } from './hj212-processor';
import type { LoggerStatusBoard } from './status-board';

/** The gateway answered the logger itself: replies built here are not sent anywhere. */
const ANSWERED_BY_GATEWAY: ReplyChannel = { send: () => true };

export class Hj212GatewayHandler implements TopicHandler {
  readonly filter = HJ212_GATEWAY_TOPIC_FILTER;

  constructor(
    private readonly processor: Hj212Processor,
    private readonly status: LoggerStatusBoard,
    /** ingest.maxPayloadBytes: the envelope carries the frame in base64 (4/3) plus a few fields. */
    private readonly maxPayloadBytes: number,
  ) {}

  matches(topic: string): boolean {
    return mnFromHj212GatewayTopic(topic) !== undefined;
  }

  /** Handles one envelope; resolves when its frame is stored (never rejects). */
  async handle(topic: string, payload: Buffer): Promise<void> {
    const mn = mnFromHj212GatewayTopic(topic) as string;
    const asMessage = { transport: 'mqtt' as const, peer: topic, expectedMn: mn };
    const limit = Math.ceil((this.maxPayloadBytes * 4) / 3) + 1024;
    if (payload.length > limit) {
      const detail = `gateway envelope of ${payload.length} bytes exceeds ${limit}`;
      await this.processor.refuseRaw(payload.subarray(0, this.maxPayloadBytes), asMessage, 'too_large', detail);
      return;
    }
    const read = parseGatewayEnvelope(payload);
    if (!read.ok) {
      await this.processor.refuseRaw(payload.subarray(0, this.maxPayloadBytes), asMessage, 'garbage', read.detail);
      return;
    }
    const { envelope } = read;
    if (envelope.kind === 'closed') {
      this.status.disconnected(envelope.peer);
      return;
    }
    const origin = { transport: 'tcp' as const, peer: envelope.peer, address: envelope.address, expectedMn: mn };
    const scanner = new FrameScanner();
    const bytes = Buffer.from(envelope.frame, 'base64');
    const events = [...scanner.push(bytes), ...scanner.finish()];
    await Promise.all(events.map((e) => this.processor.handle(e, { ...origin, receivedAt: envelope.receivedAt }, ANSWERED_BY_GATEWAY)));
  }
}
