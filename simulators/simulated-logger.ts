/**
 * One simulated data logger (数采仪): every tick it samples its source with the kind function,
 * applies the scenario's effects and returns the messages to publish — CN 2011 every tick, and
 * CN 2051 / 2061 when the tick crosses a minute / hour boundary (stamped with the interval start).
 * No I/O and no clock: the fleet passes the instant in and publishes what comes out.
 */
import { dataTopic, type LoggerMessage } from '../server/domain/mqtt-contract';
import type { DataKind, FactorValue } from '../server/domain/reading';
import type { Facility, Source } from '../server/domain/registry';
import { sampleInputs, WindowAccumulator, windowInputs, type ClosedWindow } from './aggregate';
import { applyEffects } from './effects';
import { facilitySignals } from './kinds/facility';
import { KIND_GENERATORS, type KindGenerator } from './kinds/index';
import { malformedMessages } from './malformed';
import type { Rng } from './random';
import { activeEffects, facilityConditions, type Scenario } from './scenarios';
import { HOUR_MS, MINUTE_MS, toChinaIso } from './time';

/** A message to publish: a data upload (cn) or a deliberately broken one (malformed = why). */
export interface OutgoingMessage {
  topic: string;
  payload: string;
  cn?: DataKind;
  malformed?: string;
}

export interface SimulatedLoggerOptions {
  source: Source;
  rng: Rng;
  scenario: Scenario;
  /** Real-time sampling interval, ms: the time one sample stands for in cumulative values. */
  intervalMs: number;
  /** Defaults to the kind function of the source's kind. */
  generator?: KindGenerator;
  /**
   * The registry's facilities: those naming this logger (`mn`) add their working-condition signals
   * on their channel (kinds/facility.ts); the others are looked up as the lines they serve.
   */
  facilities?: readonly Facility[];
  /** Noise of the facility signals (own stream: a source's own values stay as without facilities). */
  facilityRng?: Rng;
}

export function loggerMessage(cn: DataKind, at: number, factors: Record<string, FactorValue>): LoggerMessage {
  return { cn, ts: toChinaIso(at), factors };
}

export class SimulatedLogger {
  readonly source: Source;
  private readonly stuck = new Map<string, number>();
  private readonly minutes = new WindowAccumulator(MINUTE_MS);
  private readonly hours = new WindowAccumulator(HOUR_MS);
  private readonly generator: KindGenerator;

  constructor(private readonly opts: SimulatedLoggerOptions) {
    this.source = opts.source;
    this.generator = opts.generator ?? KIND_GENERATORS[opts.source.kind];
  }

  /** The messages of the tick at instant `at`, `elapsedMs` after the fleet started. */
  tick(at: number, elapsedMs: number): OutgoingMessage[] {
    const effects = activeEffects(this.opts.scenario, this.source.mn, elapsedMs);
    const aggregates = this.closeWindows(at);
    if (effects.some((e) => e.type === 'offline')) return [];
    const all = this.opts.facilities ?? [];
    const own = all.filter((f) => f.mn === this.source.mn);
    const conditions = facilityConditions(effects);
    const sample = {
      ...this.generator(this.source, at, this.opts.rng, { facilities: own, conditions }),
      ...(own.length > 0 ? facilitySignals(this.source, own, at, this.opts.facilityRng ?? this.opts.rng, conditions, all) : {}),
    };
    const factors = applyEffects(sample, effects, { source: this.source, rng: this.opts.rng, stuck: this.stuck });
    this.minutes.add(at, sampleInputs(factors, this.opts.intervalMs / 1000));
    const out = [...aggregates, this.message('2011', at, factors)];
    if (effects.some((e) => e.type === 'malformed')) {
      for (const m of malformedMessages(this.source.mn, at)) out.push({ topic: m.topic, payload: m.payload, malformed: m.reason });
    }
    return out;
  }

  /** Closes the minute (and hour) that `at` has moved past; returned even if offline, then dropped. */
  private closeWindows(at: number): OutgoingMessage[] {
    const out: OutgoingMessage[] = [];
    const minute = this.minutes.roll(at);
    if (minute) {
      out.push(this.windowMessage('2051', minute));
      this.hours.add(minute.start, windowInputs(minute.factors));
    }
    const hour = this.hours.roll(at);
    if (hour) out.push(this.windowMessage('2061', hour));
    return out;
  }

  private windowMessage(cn: DataKind, window: ClosedWindow): OutgoingMessage {
    return this.message(cn, window.start, window.factors);
  }

  private message(cn: DataKind, at: number, factors: Record<string, FactorValue>): OutgoingMessage {
    return { topic: dataTopic(this.source.mn), payload: JSON.stringify(loggerMessage(cn, at, factors)), cn };
  }
}
