/**
 * The transport signatures at run time (issue 19): hears every accepted raw HJ 212 frame (from the
 * HJ 212 processor, beside the logger status board) and every durable reading, and at each tick
 * judges every registered source with its effective rule parameters (transport-rules.ts), its
 * findings going to the alert lifecycle like every rule's — raised, kept, cleared; one open alert
 * per (source, `*`, rule).
 *
 * It runs on its own ticker rather than in the rule engine because its input is not a reading: who
 * delivered a frame, and on which connection, is known only to the ingest.
 */
import type { Finding } from '../domain/alert';
import type { Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { RuleParams } from '../domain/rule-pack';
import { eachInTurns } from '../turns';
import type { SourceOwnership } from './rules-service';
import { judgeTransport, TransportObservations, type FrameSeen } from './transport-rules';

export interface TransportWatchDeps {
  registry: RegistryView;
  /** A source's effective rule parameters; undefined: unknown to the rules. */
  paramsOf: (mn: string) => RuleParams | undefined;
  sink: { apply(findings: readonly Finding[], enterpriseId: string): void };
  tickMs: number;
  now: () => number;
  /** Ingest workers: only the sources they own are judged (absent: every source). */
  ownership?: SourceOwnership;
}

/**
 * Sources judged per turn of the event loop: at a province's 20,000 a whole pass held every HTTP
 * request and reading behind it for ~0.7 s each tick (issue 20), as the rules' tick once did.
 */
export const TRANSPORT_SLICE = 2_000;

export class TransportWatch {
  private readonly obs: TransportObservations;
  private timer: NodeJS.Timeout | null = null;
  /** A pass is under way: a tick that comes meanwhile is skipped. */
  private ticking = false;

  constructor(private readonly deps: TransportWatchDeps) {
    this.obs = new TransportObservations(deps.now());
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** An accepted raw HJ 212 frame of a registered source. */
  onFrame(frame: FrameSeen): void {
    this.obs.frame(frame);
  }

  onReading(mn: string): void {
    this.obs.reading(mn, this.deps.now());
  }

  /**
   * Judges every registered source (that this process owns) at this moment, TRANSPORT_SLICE at a
   * time with the event loop served between slices; a registry that small is judged before the
   * first turn. Observations older than the longest relay window are forgotten after the pass.
   */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.deps.now();
      let longestMs = 0;
      await eachInTurns(this.deps.registry.current().sources, TRANSPORT_SLICE, (source) => {
        longestMs = Math.max(longestMs, this.judge(source, now));
      });
      this.obs.prune(now - longestMs);
    } finally {
      this.ticking = false;
    }
  }

  /** Judges one source; its relay window in ms (0: not judged here). */
  private judge(source: Source, now: number): number {
    const { ownership } = this.deps;
    if (ownership && ownership.ownedSince(source.mn) === null) return 0;
    const params = this.deps.paramsOf(source.mn);
    if (!params) return 0;
    const findings = judgeTransport(this.obs, now, [{ source, params }]);
    if (findings.length > 0) this.deps.sink.apply(findings, source.enterpriseId);
    return params.relay.windowS * 1000;
  }
}

/**
 * The transport signatures look over days (no raw frame for 7 days, a relay within 24 h): judged
 * once a minute at most often, not at every tick of the rules (10 s), which at a province cost
 * 20,000 judgements six times a minute for nothing.
 */
export const TRANSPORT_TICK_MIN_MS = 60_000;

/** The stage as app.ts builds it: ticked with the rules' tick (rules.tickS), once a minute at most. */
export function startTransportWatch(config: { rules: { tickS: number } }, deps: Omit<TransportWatchDeps, 'tickMs'>): TransportWatch {
  const watch = new TransportWatch({ ...deps, tickMs: Math.max(config.rules.tickS * 1000, TRANSPORT_TICK_MIN_MS) });
  watch.start();
  return watch;
}
