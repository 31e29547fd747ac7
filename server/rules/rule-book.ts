/**
 * The rules' configuration as it stands: the limit pack and the rule pack (from the files, or the
 * rule pack an administrator set over the API), and per-source overrides — a permit's limits and
 * rule parameters. It answers the engine's lookup (a source's effective limits and parameters,
 * computed once per change) and validates every change before anything is replaced, so a refused
 * change leaves the running rules as they were. No I/O: the rules service persists what it accepts.
 *
 * Sources come from the live registry (RegistryView): when its version moves, every subject is
 * computed afresh, so a source's new limits, kind or o2Ref judge its next reading. A source's
 * limits are the pack's defaults for its kind, then its own limits in force on the local day
 * (`limitsOn`: dated limits switch at local midnight), then the administrator's override.
 */
import { z } from 'zod';
import { catalog } from '../domain/catalog';
import { effectiveLimits, type LimitPack } from '../domain/limit-pack';
import { DEFAULT_O2_CAP, type ConversionSettings } from '../domain/o2-conversion';
import { localDate } from '../domain/local-time';
import { limitSchema, type Facility, type Limit, type Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import {
  describeIssues,
  effectiveRuleParams,
  parseRulePack,
  RulePackError,
  type RuleOverrides,
  type RulePack,
  type RuleParams,
} from '../domain/rule-pack';
import type { RuleSubject } from './rule-engine';

/** What an administrator may set for one source. */
export const sourceOverrideSchema = z
  .object({
    /** Per-factor limits replacing the pack's (and the registry's) for this source. */
    limits: z.record(z.string().refine(catalog.has, { error: (i) => `unknown factor code "${String(i.input)}"` }), limitSchema).optional(),
    /** Rule parameters, a partial keyed by rule (see config/rules/rules.yaml). */
    rules: z.unknown().optional(),
  })
  .strict();

export interface SourceOverride {
  limits?: Record<string, Limit>;
  rules?: RuleOverrides;
}

const NO_FACILITIES: readonly Facility[] = [];

/** A computed subject and the local day its limits hold for (null: the source has no dated limits). */
interface CachedSubject {
  day: string | null;
  subject: RuleSubject;
}

export class RuleBook {
  private sourcesByMn = new Map<string, Source>();
  private builtAt = -1;
  private readonly overrides = new Map<string, SourceOverride>();
  private readonly subjects = new Map<string, CachedSubject>();
  private current: RulePack;
  /**
   * What most sources of a province share (issue 20): the pack's parameters for a source without
   * an override of its own, and the pack's limits of a kind for an outlet without limits of its
   * own; one object each instead of one per source (20,000 parsed copies were ~90 MB of heap).
   */
  private shared: { pack: RulePack; params: RuleParams | null; limits: Map<string, Record<string, Limit>> } | null = null;

  constructor(
    private readonly registry: RegistryView,
    private readonly limitPack: LimitPack,
    private readonly filePack: RulePack,
    private readonly now: () => number = Date.now,
  ) {
    this.current = filePack;
  }

  /** The registry's sources by MN, rebuilt (and every subject dropped) when the registry changed. */
  private get sources(): Map<string, Source> {
    if (this.registry.version() !== this.builtAt) {
      this.builtAt = this.registry.version();
      this.sourcesByMn = new Map(this.registry.current().sources.map((s) => [s.mn, s]));
      this.subjects.clear();
    }
    return this.sourcesByMn;
  }

  get rulePack(): RulePack {
    return this.current;
  }

  /**
   * The engine's lookup: the source, its effective limits and rule parameters at `at` (epoch ms;
   * its local day decides which dated limits are in force; default now). The same object is
   * returned while nothing changed, so the engine keeps its per-subject context.
   */
  subject(mn: string, at: number = this.now()): RuleSubject | undefined {
    const source = this.sources.get(mn);
    if (!source) return undefined;
    const day = source.limitSchedule?.length ? localDate(at, this.current.utcOffsetMinutes) : null;
    const cached = this.subjects.get(mn);
    if (cached && cached.day === day) return cached.subject;
    const o = this.overrides.get(mn);
    const subject: RuleSubject = { source, limits: this.limitsOf(source, day, o), params: this.paramsOf(source, o) };
    this.subjects.set(mn, { day, subject });
    return subject;
  }

  private sharedNow(): NonNullable<RuleBook['shared']> {
    if (this.shared?.pack !== this.current) this.shared = { pack: this.current, params: null, limits: new Map() };
    return this.shared;
  }

  private paramsOf(source: Source, o: SourceOverride | undefined): RuleParams {
    if (o?.rules !== undefined || this.current.sources[source.mn] !== undefined) return effectiveRuleParams(source, this.current, o?.rules);
    const shared = this.sharedNow();
    return (shared.params ??= effectiveRuleParams(source, this.current));
  }

  private limitsOf(source: Source, day: string | null, o: SourceOverride | undefined): Record<string, Limit> {
    if (source.position === 'inlet') return {};
    if (o?.limits !== undefined || day !== null || Object.keys(source.limits).length > 0)
      return { ...effectiveLimits(source, this.limitPack, day ?? undefined), ...o?.limits };
    const { limits } = this.sharedNow();
    let ofKind = limits.get(source.kind);
    if (!ofKind) limits.set(source.kind, (ofKind = effectiveLimits(source, this.limitPack)));
    return ofKind;
  }

  /** The registry's facilities now: the same array while the registry is unchanged (the facility engine's lookup). */
  facilities(): readonly Facility[] {
    return this.registry.current().facilities ?? NO_FACILITIES;
  }

  /** MNs of the registry's sources now. */
  mns(): string[] {
    return [...this.sources.keys()];
  }

  /**
   * How a source's values are converted to reference O2 — its o2Ref and the measured-O2 cap of its
   * effective rule parameters (`o2Conversion.measuredCap`) — for anything that must convert exactly
   * as the rules do (reports). Unknown source: no reference O2, the default cap.
   */
  conversionOf(mn: string): ConversionSettings {
    const subject = this.subject(mn);
    return { o2Ref: subject?.source.o2Ref, o2Cap: subject?.params.o2Conversion.measuredCap ?? DEFAULT_O2_CAP };
  }

  overrideOf(mn: string): SourceOverride | undefined {
    return this.overrides.get(mn);
  }

  allOverrides(): [string, SourceOverride][] {
    return [...this.overrides.entries()];
  }

  /** Validates an override for `mn`; throws RulePackError with every problem, changing nothing. */
  validateOverride(mn: string, input: unknown): SourceOverride {
    const source = this.sources.get(mn);
    if (!source) throw new RulePackError([`unknown source "${mn}"`]);
    const parsed = sourceOverrideSchema.safeParse(input);
    if (!parsed.success) throw new RulePackError(describeIssues(parsed.error));
    effectiveRuleParams(source, this.current, parsed.data.rules); // throws with the precise problems
    return {
      ...(parsed.data.limits ? { limits: parsed.data.limits } : {}),
      ...(parsed.data.rules ? { rules: parsed.data.rules as RuleOverrides } : {}),
    };
  }

  /** Replaces (or with null removes) a source's override; validated first. */
  setOverride(mn: string, input: unknown): SourceOverride | null {
    if (input === null) {
      this.overrides.delete(mn);
      this.subjects.delete(mn);
      return null;
    }
    const o = this.validateOverride(mn, input);
    this.overrides.set(mn, o);
    this.subjects.delete(mn);
    return o;
  }

  /** Validates a whole rule pack against every source's overrides; throws RulePackError. */
  validatePack(input: unknown): RulePack {
    const pack = parseRulePack(input);
    if (pack.utcOffsetMinutes !== this.filePack.utcOffsetMinutes) {
      throw new RulePackError([
        `utcOffsetMinutes: the local time of hour and day windows (${this.filePack.utcOffsetMinutes}) changes only with the file and a restart`,
      ]);
    }
    const problems: string[] = [];
    for (const source of this.sources.values()) {
      try {
        effectiveRuleParams(source, pack, this.overrides.get(source.mn)?.rules);
      } catch (err) {
        if (!(err instanceof RulePackError)) throw err;
        problems.push(...err.issues);
      }
    }
    if (problems.length > 0) throw new RulePackError(problems);
    return pack;
  }

  /** Replaces the rule pack (null: back to the file's); validated first. */
  setPack(input: unknown): RulePack {
    this.current = input === null ? this.filePack : this.validatePack(input);
    this.subjects.clear();
    return this.current;
  }
}
