/**
 * The HJ 212 ingest, whatever the transport: a scanned frame is judged (frame-verdict.ts),
 * archived as received with its verdict, and then
 *  - a reading goes to the sink (split parts through the reassembler first); the 9014 data reply
 *    is sent only once the reading and the raw frame are durable — a logger that gets no reply
 *    resends, so nothing is lost;
 *  - a restart (2081) or heartbeat (9015) updates the logger's status, answered with 9014 if asked;
 *  - a time-calibration request (1013) is answered with a 1012 carrying the server's time;
 *  - a refusal is counted by reason and, if the logger asked for an answer and the standard has a
 *    code for it, answered with 9011 QnRtn. A bad frame never affects the next one.
 */
import { decodeScanned } from '../../domain/hj212/decode';
import type { ScanEvent } from '../../domain/hj212/stream-scanner';
import type { Hj212Frame } from '../../domain/hj212/types';
import type { Reading } from '../../domain/reading';
import type { Source } from '../../domain/registry';
import type { SignalChannels } from '../../domain/signal-acceptance';
import type { Logger } from '../../logger';
import type { RawArchive, RawFrameRecord } from '../../storage/raw-archive';
import type { ReadingSink } from '../reading-sink';
import { claimedMn } from './claimed-mn';
import { judge, type Verdict } from './frame-verdict';
import type { Hj212Stats } from './hj212-stats';
import { QN_RTN, type Hj212RejectionReason } from './rejections';
import { dataReply, requestReply, setTimeCommand } from './reply-builder';
import { SplitReassembler, type ExpiredSplit, type SplitOutcome, type SplitTimers } from './split-reassembler';
import type { Hj212Transport, LoggerStatusBoard } from './status-board';
import type { UnknownMnList } from './unknown-mns';
import { PASSWORD_GUESSES_PER_MIN, PasswordGuesses } from './password-guesses';
import { RefusalThrottle } from './refusal-throttle';
import { REWRITE_GUARD_DEFAULTS, RewriteGuard, type RewriteGuardOptions } from './rewrite-guard';

export interface Hj212ProcessorOptions {
  /** Offset of DataTime/QN from UTC, minutes (China time: 480). */
  utcOffsetMinutes: number;
  maxFutureSkewMs: number;
  /** A DataTime further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
  /** hj212.allowMissingPw (insecure): sources without a pw take frames from anyone. */
  allowMissingPw?: boolean;
  /** Refusals archived verbatim per peer and minute, the rest aggregated (refusal-throttle.ts); absent: all verbatim. */
  archiveRefusalsPerMin?: number;
  /** Wrong PWs a minute from one TCP address before its connections are cut (password-guesses.ts); 0: no limit. */
  passwordGuessesPerMin?: number;
  /** Bounds of the rewrite guard (rewrite-guard.ts). */
  rewriteGuard?: RewriteGuardOptions;
  /** An incomplete split upload is handed out as it stands after this long. */
  splitTimeoutMs: number;
  /** Answer refused uploads that asked for an answer with 9011 QnRtn. */
  replyRefusals: boolean;
  maxSplitGroups?: number;
}

export interface Hj212ProcessorDeps {
  lookup: (mn: string) => Source | undefined;
  sink: ReadingSink;
  archive: RawArchive;
  stats: Hj212Stats;
  status: LoggerStatusBoard;
  /** Hears every accepted frame of a registered source: who delivered it, on which connection (the relay signatures). */
  onFrame?: (frame: { mn: string; at: number; transport: Hj212Transport; peer: string; address?: string }) => void;
  unknown: UnknownMnList;
  log: Logger;
  now?: () => number;
  timers?: SplitTimers;
  /** The channels registered facilities name, by logger (signal-acceptance.ts); absent: none. */
  signals?: () => SignalChannels;
}

export interface FrameOrigin {
  transport: Hj212Transport;
  /** `ip:port`, or the MQTT topic. */
  peer: string;
  /** TCP: the peer's IP address (who owns the instants it delivers first; refusal throttling). */
  address?: string;
  /** MQTT: the MN of the topic (a gateway's: the MN of the topic it forwarded on). */
  expectedMn?: string;
  /** When the bytes arrived, if not now: a frame forwarded by an HJ 212 gateway arrived there, then. */
  receivedAt?: number;
}

export interface ReplyChannel {
  /** Sends a reply; false when the connection is gone. */
  send(bytes: Uint8Array): boolean;
  /** TCP: closes the connection (a peer guessing passwords). */
  close?(): void;
}

interface PartToken {
  frame: Hj212Frame;
  ack: boolean;
  channel: ReplyChannel;
  archived: Promise<void>;
}

const REJECTION_LOG_EVERY_MS = 10_000;
const globalTimers: SplitTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Hj212Processor {
  private readonly now: () => number;
  private readonly splits: SplitReassembler<PartToken>;
  private inFlight = 0;
  private drained: (() => void)[] = [];
  private readonly lastWarned = new Map<Hj212RejectionReason, { at: number; suppressed: number }>();
  private readonly rewrites: RewriteGuard;
  private readonly refusals: RefusalThrottle | null;
  private readonly guesses: PasswordGuesses;

  constructor(
    private readonly opts: Hj212ProcessorOptions,
    private readonly deps: Hj212ProcessorDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.guesses = new PasswordGuesses(opts.passwordGuessesPerMin ?? PASSWORD_GUESSES_PER_MIN);
    this.rewrites = new RewriteGuard(opts.rewriteGuard ?? REWRITE_GUARD_DEFAULTS);
    const perMin = opts.archiveRefusalsPerMin;
    this.refusals = perMin === undefined ? null : new RefusalThrottle({ perInterval: perMin, intervalMs: 60_000 }, deps.archive, this.now);
    this.splits = new SplitReassembler<PartToken>(
      { timeoutMs: opts.splitTimeoutMs, maxGroups: opts.maxSplitGroups ?? 10_000 },
      deps.timers ?? globalTimers,
      (expired) => this.onSplitExpired(expired),
    );
  }

  /** Handles one scanned frame; resolves when it is done with (never rejects). */
  handle(event: ScanEvent, origin: FrameOrigin, channel: ReplyChannel): Promise<void> {
    const { stats } = this.deps;
    const receivedAt = origin.receivedAt ?? this.now();
    stats.received++;
    let verdict = judge(decodeScanned(event), {
      lookup: this.deps.lookup,
      utcOffsetMinutes: this.opts.utcOffsetMinutes,
      now: receivedAt,
      maxFutureSkewMs: this.opts.maxFutureSkewMs,
      maxPastAgeMs: this.opts.maxPastAgeMs ?? 0,
      allowMissingPw: this.opts.allowMissingPw === true,
      ...(this.deps.signals ? { signals: this.deps.signals() } : {}),
      ...(origin.expectedMn !== undefined ? { expectedMn: origin.expectedMn } : {}),
    });
    if (verdict.kind === 'reading') verdict = this.guardRewrite(verdict, origin, receivedAt);
    // A split part joins its set now, so that an inconsistent one is archived as refused.
    let split: SplitOutcome<PartToken> | undefined;
    let token: PartToken | undefined;
    if (verdict.kind === 'reading' && verdict.split) {
      const { frame, flag } = verdict;
      token = { frame, ack: flag.ack, channel, archived: Promise.resolve() };
      split = this.splits.add({ reading: verdict.reading, ...verdict.split, token });
      if (split.kind === 'rejected') verdict = { kind: 'rejected', reason: 'bad_split', detail: split.detail, frame, flag };
    }
    const frame = verdict.frame;
    const record: RawFrameRecord = {
      receivedAt,
      mn: frame?.mn ?? claimedMn(event.bytes),
      cn: frame?.cn ?? null,
      transport: origin.transport,
      peer: origin.peer,
      verdict: verdict.kind === 'rejected' ? verdict.reason : 'accepted',
      detail: verdict.kind === 'rejected' ? verdict.detail : null,
      bytes: event.bytes,
    };
    if (verdict.kind === 'reading' && verdict.refused.length > 0) {
      record.detail = `factors refused, the rest taken: ${verdict.refused.join('; ')}`.slice(0, 1000);
      stats.factorsRefused += verdict.refused.length;
      this.warn('bad_value', { peer: origin.peer, mn: verdict.frame.mn, refused: verdict.refused }, 'hj212 factors refused');
    }
    if (verdict.kind === 'rejected') {
      const kept = this.archiveRefusal(origin, record);
      this.refuse(verdict, origin, channel, receivedAt, kept.verbatim);
      return kept.durable.catch(() => undefined); // an archive failure is logged by the archive
    }
    const archived = this.deps.archive.append(record);
    if (token) token.archived = archived;
    stats.accepted++;
    this.deps.status.noteFrame(verdict.frame.mn, receivedAt, origin.transport, origin.peer);
    this.deps.onFrame?.({
      mn: verdict.frame.mn,
      at: receivedAt,
      transport: origin.transport,
      peer: origin.peer,
      ...(origin.address === undefined ? {} : { address: origin.address }),
    });
    if (verdict.flag.ack && (verdict.kind === 'reading' || verdict.kind === 'status')) stats.replies.requested++;
    if (split) return split.kind === 'complete' ? this.track(this.store(split.reading, split.tokens)) : Promise.resolve();
    return this.track(this.take(verdict, channel, archived));
  }

  /** A refusal before any frame is cut out (MQTT: a bad topic, an oversize payload): counted and archived. */
  refuseRaw(bytes: Uint8Array, origin: FrameOrigin, reason: Hj212RejectionReason, detail: string): Promise<void> {
    const receivedAt = this.now();
    this.deps.stats.received++;
    this.deps.stats.reject(reason);
    const mn = origin.expectedMn ?? claimedMn(bytes);
    const record = { receivedAt, mn, cn: null, transport: origin.transport, peer: origin.peer, verdict: reason, detail, bytes };
    const kept = this.archiveRefusal(origin, record);
    if (kept.verbatim) this.warn(reason, { peer: origin.peer, detail });
    return kept.durable.catch(() => undefined); // an archive failure is logged by the archive
  }

  /** null while the sink takes more; else resolves when it can (back-pressure for the transports). */
  ready(): Promise<void> | null {
    return this.deps.sink.ready();
  }

  /** Resolves when every frame handled so far is done with. */
  drain(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }

  /** Hands out incomplete split uploads, waits for everything in flight, writes pending aggregate rows. */
  async close(): Promise<void> {
    this.splits.close();
    await this.drain();
    this.refusals?.close();
  }

  /** A refusal into the archive: verbatim, or counted into its peer's aggregate row (refusal-throttle.ts). */
  private archiveRefusal(origin: FrameOrigin, record: RawFrameRecord): { verbatim: boolean; durable: Promise<void> } {
    if (!this.refusals) return { verbatim: true, durable: this.deps.archive.append(record) };
    const { verbatim, durable } = this.refusals.append(`${origin.transport}:${origin.address ?? origin.peer}`, record);
    if (!verbatim) this.deps.stats.refusalsAggregated++;
    return { verbatim, durable };
  }

  /** Other values for an instant another address delivered first are refused (rewrite-guard.ts). */
  private guardRewrite(v: Extract<Verdict, { kind: 'reading' }>, origin: FrameOrigin, at: number): Verdict {
    const owner = `${origin.transport}:${origin.address ?? origin.peer}`;
    const check = this.rewrites.admit(v.reading, owner, at, v.split ? `${v.split.pno}/${v.split.pnum}` : '');
    if (check.ok) return v;
    const { mn, cn, ts } = v.reading;
    const detail =
      `other values for ${mn} CN ${cn} at ${new Date(ts).toISOString()} than those first taken from ` +
      `${check.firstOwner} at ${new Date(check.firstAt).toISOString()}`;
    return { kind: 'rejected', reason: 'rewrite_refused', detail, frame: v.frame, flag: v.flag };
  }

  /** Counts the work in flight; a bug in it is logged, never left as an unhandled rejection. */
  private track(p: Promise<void>): Promise<void> {
    this.inFlight++;
    return p
      .catch((err: unknown) => this.deps.log.error({ err }, 'hj212 frame handling failed'))
      .finally(() => {
        if (--this.inFlight > 0) return;
        for (const resolve of this.drained.splice(0)) resolve();
      });
  }

  private async take(v: Exclude<Verdict, { kind: 'rejected' }>, channel: ReplyChannel, archived: Promise<void>): Promise<void> {
    const { frame, flag } = v;
    switch (v.kind) {
      case 'reading':
        await this.store(v.reading, [{ frame, ack: flag.ack, channel, archived }]);
        return;
      case 'status':
        if (v.event === 'restart') this.deps.status.noteRestart(frame.mn, v.at, v.restartTime);
        else this.deps.status.noteHeartbeat(frame.mn, v.at);
        if (flag.ack) await this.replyWhenDurable([{ frame, ack: true, channel, archived }], []);
        return;
      case 'time_request':
        if (channel.send(setTimeCommand(frame, this.now(), this.opts.utcOffsetMinutes))) this.deps.stats.replies.commands++;
        return;
      case 'logger_reply':
        return;
    }
  }

  /** Hands a reading to the sink; answers its parts once it and their raw frames are durable. */
  private async store(reading: Reading, tokens: PartToken[]): Promise<void> {
    this.deps.stats.readings++;
    let durable: Promise<void>;
    try {
      durable = this.deps.sink.accept(reading);
    } catch (err) {
      durable = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    await this.replyWhenDurable(tokens, [durable]);
  }

  private async replyWhenDurable(tokens: PartToken[], also: Promise<void>[]): Promise<void> {
    const { stats } = this.deps;
    try {
      await Promise.all([...also, ...tokens.map((t) => t.archived)]);
    } catch (err) {
      stats.reject('store_refused');
      this.warn('store_refused', { mn: tokens[0]?.frame.mn, err: (err as Error).message });
      return;
    }
    for (const t of tokens) {
      if (!t.ack) continue;
      if (t.channel.send(dataReply(t.frame))) stats.replies.sent++;
      else stats.replies.dropped++;
    }
  }

  private onSplitExpired(expired: ExpiredSplit<PartToken>): void {
    this.deps.stats.splitTimeouts++;
    this.deps.log.warn(
      { mn: expired.reading.mn, cn: expired.reading.cn, ts: expired.reading.ts, missing: expired.missing },
      'split upload incomplete: stored as received',
    );
    void this.track(this.store(expired.reading, expired.tokens));
  }

  private refuse(
    v: Extract<Verdict, { kind: 'rejected' }>,
    origin: FrameOrigin,
    channel: ReplyChannel,
    at: number,
    verbatim: boolean,
  ): void {
    const { stats } = this.deps;
    stats.reject(v.reason);
    if (v.reason === 'unknown_mn' && v.frame) this.deps.unknown.note(v.frame.mn, v.frame.cn, at, origin.transport, origin.peer);
    if (verbatim) this.warn(v.reason, { peer: origin.peer, mn: v.frame?.mn, cn: v.frame?.cn, detail: v.detail });
    if (v.reason === 'bad_password' && origin.address !== undefined && this.guesses.note(origin.address, at)) {
      stats.passwordCutoffs++;
      this.warn(v.reason, { peer: origin.peer }, 'hj212 password guessing: connection cut');
      channel.close?.();
      return;
    }
    const code = QN_RTN[v.reason];
    if (this.opts.replyRefusals && code !== undefined && v.frame && v.flag?.ack) {
      if (channel.send(requestReply(v.frame, code))) stats.replies.refusals++;
    }
  }

  /** One warning per reason every 10 s (with how many were not logged); the rest at debug. */
  private warn(reason: Hj212RejectionReason, fields: Record<string, unknown>, msg = 'hj212 frame refused'): void {
    const at = this.now();
    const last = this.lastWarned.get(reason);
    if (last && at - last.at < REJECTION_LOG_EVERY_MS) {
      last.suppressed++;
      this.deps.log.debug({ reason, ...fields }, msg);
      return;
    }
    this.lastWarned.set(reason, { at, suppressed: 0 });
    this.deps.log.warn({ reason, ...fields, ...(last?.suppressed ? { suppressedSinceLast: last.suppressed } : {}) }, msg);
  }
}
