/**
 * The JSON contract's messages (sentinel/v1/{mn}/data): decoded (json-payload.ts) and handed to the
 * sink, or refused to the dead letters with the reason. The catch-all route: a message on any
 * other topic is refused as bad_topic.
 */
import type { DeadLetters } from '../domain/dead-letters';
import type { SignalChannels } from '../domain/signal-acceptance';
import { DATA_TOPIC_FILTER } from '../domain/mqtt-contract';
import type { IngestStats } from './ingest-stats';
import { decodeJsonMessage, type DecodeContext, type RejectionReason } from './json-payload';
import type { TopicHandler } from './mqtt-transport';
import type { ReadingSink } from './reading-sink';

export interface JsonHandlerOptions {
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  /** ts further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
}

export interface JsonHandlerDeps {
  lookup: DecodeContext['lookup'];
  sink: ReadingSink;
  stats: IngestStats;
  deadLetters: DeadLetters<RejectionReason>;
  now?: () => number;
  /** The channels registered facilities name, by logger (signal-acceptance.ts); absent: none. */
  signals?: () => SignalChannels;
}

export class JsonMessageHandler implements TopicHandler {
  readonly filter = DATA_TOPIC_FILTER;
  private readonly now: () => number;

  private readonly ctx: DecodeContext;

  constructor(
    private readonly opts: JsonHandlerOptions,
    private readonly deps: JsonHandlerDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.ctx = {
      lookup: deps.lookup,
      now: 0,
      maxPayloadBytes: opts.maxPayloadBytes,
      maxFutureSkewMs: opts.maxFutureSkewMs,
      maxPastAgeMs: opts.maxPastAgeMs ?? 0,
    };
  }

  matches(): boolean {
    return true;
  }

  handle(topic: string, payload: Buffer): Promise<void> | null {
    // One context for every message (its clock and channels brought up to date): not a new object each.
    const ctx = this.ctx;
    ctx.now = this.now();
    if (this.deps.signals) ctx.signals = this.deps.signals();
    const decoded = decodeJsonMessage(topic, payload, ctx);
    if (!decoded.ok) {
      this.deps.deadLetters.message(topic, payload, decoded.reason, decoded.detail);
      return null;
    }
    this.deps.stats.accepted++;
    return this.deps.sink.accept(decoded.reading);
  }
}
