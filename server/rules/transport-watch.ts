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
import type { RegistryView } from '../domain/registry-view';
import type { RuleParams } from '../domain/rule-pack';
import type { SourceOwnership } from './rules-service';
import { judgeTransport, TransportObservations, type FrameSeen, type TransportSubject } from './transport-rules';

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

export class TransportWatch {
  private readonly obs: TransportObservations;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: TransportWatchDeps) {
    this.obs = new TransportObservations(deps.now());
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.deps.tickMs).unref();
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

  /** Judges every registered source (that this process owns) now. */
  tick(): void {
    const now = this.deps.now();
    const subjects: (TransportSubject & { enterpriseId: string })[] = [];
    let longestMs = 0;
    const { ownership } = this.deps;
    for (const source of this.deps.registry.current().sources) {
      if (ownership && ownership.ownedSince(source.mn) === null) continue;
      const params = this.deps.paramsOf(source.mn);
      if (!params) continue;
      subjects.push({ source, params, enterpriseId: source.enterpriseId });
      longestMs = Math.max(longestMs, params.relay.windowS * 1000);
    }
    this.obs.prune(now - longestMs);
    for (const s of subjects) {
      const findings = judgeTransport(this.obs, now, [s]);
      if (findings.length > 0) this.deps.sink.apply(findings, s.enterpriseId);
    }
  }
}

/** The stage as app.ts builds it: ticked with the rules' tick (rules.tickS). */
export function startTransportWatch(config: { rules: { tickS: number } }, deps: Omit<TransportWatchDeps, 'tickMs'>): TransportWatch {
  const watch = new TransportWatch({ ...deps, tickMs: config.rules.tickS * 1000 });
  watch.start();
  return watch;
}
