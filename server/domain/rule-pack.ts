/**
 * The rule pack (config/rules/rules.yaml): the parameters of every rule kind the rule engine runs,
 * with defaults from DOMAIN.md (§§3–7), and per-source overrides. Emission limits are not here:
 * they stay in the limit pack (limit-pack.ts) and are read through effectiveLimits().
 *
 * The pack is a partial of the parameters: what it leaves out takes the default, then a source's
 * overrides (a partial keyed by rule, under `sources.<MN>` or passed in) are merged on top and the
 * result is validated again, so an override cannot produce an inconsistent set (min ≥ max...).
 */
import { z } from 'zod';
import { catalog } from './catalog';
import { DEFAULT_O2_CAP } from './o2-conversion';
import { mnSchema, type Source } from './registry';
import { count, RULE_SECTIONS, type RuleBound, type Sections } from './rule-sections';

/** The rule ids are declared in rule-ids.ts (no zod: the dashboard imports them); re-exported for the rule modules. */
export { FACILITY_RULES, RULE_IDS, type RuleId } from './rule-ids';
export { HOTSPOT_INDICES, ruleBoundSchema, type HotspotIndex, type RuleBound } from './rule-sections';

const sections = RULE_SECTIONS;
export type RuleParams = { [K in keyof Sections]: z.infer<Sections[K]> };
export type RuleOverrides = { [K in keyof Sections]?: Partial<RuleParams[K]> };

/** Defaults (DOMAIN figures where it gives one; the others are marked configurable there). */
export const DEFAULT_RULE_PARAMS: RuleParams = {
  limitInstant: { repeat: 1, durationS: 0, clearMarginPct: 5 },
  limitHour: { minValidMinutes: 45, graceS: 300 },
  limitDay: { minValidHours: 20 },
  offline: { missedIntervals: 5, criticalAfterS: 86_400, caseAfterS: 259_200 },
  flatLine: {
    windowS: 7200,
    minSamples: 12,
    epsilon: 0,
    relTolerancePct: 0.1,
    // Detection floors (configurable defaults): HJ 57 / HJ 693 SO2 and NOx 3 mg/m³, HJ 836 PM 1 mg/m³,
    // HJ 38 NMHC 0.07 mg/m³, NH3 slip analysers 0.1 mg/m³. A value at or below its floor is "not
    // detected": a gas boiler's SO2 at 0 is not a stuck instrument.
    floors: { a21026: 3, a21002: 3, a34013: 1, a24088: 0.07, a21001: 0.1 },
    factors: { cems: ['a21026', 'a21002', 'a34013', 'a19001'], vocs: ['a24088'], ammonia: ['a21001'] },
  },
  removalEfficiency: { target: 0.8, minInletKgH: 2, severity: 'major' },
  alRatio: { factors: ['avr01', 'avr02', 'avr03', 'avr04'], range: { min: 1.0, max: 1.2, unit: '' }, warnDays: 3, alarmDays: 5 },
  tankPressure: { factor: 'apr01', durationS: 600 },
  bypass: { factor: 'abp01', limit: { max: 0, unit: 'm³/s' } },
  flareTemperature: { factor: 'aft01', limit: { min: 760, unit: '°C' }, durationS: 300 },
  overRange: { severity: 'major' },
  o2Conversion: { measuredCap: DEFAULT_O2_CAP },
  // Falsification signatures (configurable defaults: no standard gives these figures).
  zsMismatch: { tolerancePct: 10, epsilon: 0.5, repeat: 6, severity: 'major' },
  o2Ambient: { o2Min: 20, flowMin: 1, durationS: 1800, severity: 'major' },
  nearLimit: { bandLowPct: 90, bandHighPct: 100, durationS: 4 * 3600, minSamples: 12, severity: 'warning' },
  stepDrop: { dropPct: 50, windowS: 3600, minSamples: 12, severity: 'warning' },
  noRawHj212: { enabled: true, kinds: ['cems', 'vocs', 'ammonia'], periodS: 7 * 86_400, severity: 'warning' },
  relay: { enabled: true, maxSourcesPerConnection: 1, watchAddress: true, windowS: 86_400, severity: 'major' },
  copiedData: { window: 10, lookbackS: 86_400, maxWindows: 720, indexEvery: 4, kinds: ['cems', 'vocs', 'ammonia'], severity: 'major' },
  // Ambient air (issue 17; PLANS D8, D12, section 7). Margins, hours and radius are configurable defaults.
  aqiOffScale: { enabled: true, severity: 'critical' },
  hotspot: {
    enabled: true,
    index: 'aqi',
    minAbove: 50,
    minAbovePct: 30,
    hours: 3,
    radiusKm: 5,
    maxSources: 10,
    windFactor: 'a01008',
    upwindSectorDeg: 90,
    severity: 'warning',
  },
  ozone8h: { enabled: true, limit: 160, severity: 'major' },
  // Facility records (issue 16 item 2; configurable defaults). The ozone season May–September (DOMAIN §1).
  declaredStopRunning: { sustainS: 600, severity: 'major' },
  adsorbentOverdue: { graceDays: 30, severity: 'warning' },
  unplannedStartStop: { season: { from: '05-01', to: '09-30' }, toleranceDays: 3, severity: 'warning' },
  // Working condition (issue 16): durations and thresholds are configurable defaults; 760 °C is
  // the usual thermal-oxidation minimum (a facility's own minTempC wins).
  treatmentOff: { durationS: 300, severity: 'major' },
  startOrder: { startLeadS: 300, stopLagS: 300, severity: 'warning' },
  reductantStopped: { flowMax: 0.1, durationS: 600, severity: 'major' },
  combustionTempLow: { minTempC: 760, durationS: 300, severity: 'major' },
  flareUpset: { gasMin: 0, assistMax: 0, minTempC: 760, durationS: 120, severity: 'major' },
  fgrClosed: { closedMaxPct: 5, durationS: 300, severity: 'major' },
  bypassOpen: { severity: 'critical' },
  // Construction dust (issue 16; PLANS §9 "15-minute or hourly PM10 above a configurable threshold").
  // Configurable defaults, in µg/m³: PM10 150 per 15 min (GB 3095-2012's grade II 24-h PM10) and
  // 100 per hour; TSP 800 per 15 min (Liaoning DB21/2642-2016: TSP 0.8 mg/m³ over 5 min in built-up
  // areas) and 700 per hour (Shaanxi DB61/1078-2017: hourly TSP 0.7 mg/m³ from the foundation phase on).
  dustMean: {
    pm10QuarterMax: 150,
    pm10HourMax: 100,
    tspQuarterMax: 800,
    tspHourMax: 700,
    quarterMinValidMinutes: 12,
    severity: 'major',
  },
};

function unitIssue(factor: string, bound: RuleBound): string | undefined {
  const unit = catalog.get(factor)?.unit;
  return unit === undefined || unit === bound.unit ? undefined : `unit "${bound.unit}" does not match ${factor}'s unit "${unit}"`;
}

/** Checks across fields, once the partials are merged into a full set. */
export const ruleParamsSchema = z
  .object(sections)
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    if (p.alRatio.alarmDays < p.alRatio.warnDays)
      issue(['alRatio', 'alarmDays'], `alarmDays (${p.alRatio.alarmDays}) must not be below warnDays (${p.alRatio.warnDays})`);
    p.alRatio.factors.forEach((f, i) => {
      const m = unitIssue(f, p.alRatio.range);
      if (m) issue(['alRatio', 'factors', i], m);
    });
    if (p.nearLimit.bandLowPct >= p.nearLimit.bandHighPct)
      issue(['nearLimit', 'bandLowPct'], `bandLowPct (${p.nearLimit.bandLowPct}) must be below bandHighPct (${p.nearLimit.bandHighPct})`);
    if (p.hotspot.minAbove === null && p.hotspot.minAbovePct === null)
      issue(['hotspot', 'minAbove'], 'give minAbove, minAbovePct or both: a hotspot needs a margin above the city mean');
    for (const key of ['bypass', 'flareTemperature'] as const) {
      const m = unitIssue(p[key].factor, p[key].limit);
      if (m) issue([key, 'limit', 'unit'], m);
    }
  });

const SECTION_KEYS = Object.keys(sections) as (keyof Sections)[];
const partialSections = Object.fromEntries(SECTION_KEYS.map((k) => [k, sections[k].partial().optional()]));
/** A partial of the parameters keyed by rule (a section left out, or a field, keeps its value). */
export const ruleOverridesSchema = z.object(partialSections).strict() as unknown as z.ZodType<RuleOverrides>;

/** Merges partial sections onto full ones, section by section (arrays and bounds are replaced). */
export function mergeRuleParams(base: RuleParams, ...layers: (RuleOverrides | undefined)[]): RuleParams {
  const out: Record<string, unknown> = Object.fromEntries(SECTION_KEYS.map((k) => [k, base[k]]));
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v === undefined) continue;
      const prev = out[k] as Record<string, unknown>;
      const next: Record<string, unknown> = { ...prev, ...v };
      if (k === 'flatLine' && 'factors' in v) next.factors = { ...(prev.factors as object), ...(v as { factors?: object }).factors };
      if (k === 'flatLine' && 'floors' in v) next.floors = { ...(prev.floors as object), ...(v as { floors?: object }).floors };
      out[k] = next;
    }
  }
  return out as RuleParams;
}

export const rulePackSchema = z
  .object({
    ...partialSections,
    /** Local time of hour and day windows: China, UTC+8 (HJ 212 DataTime has no offset). */
    utcOffsetMinutes: count('utcOffsetMinutes', -720, 840).default(480),
    /** Per-source overrides keyed by MN. */
    sources: z.record(mnSchema, ruleOverridesSchema).default({}),
  })
  .strict()
  .transform((input, ctx) => {
    const { utcOffsetMinutes, sources, ...layer } = input;
    const merged = ruleParamsSchema.safeParse(mergeRuleParams(DEFAULT_RULE_PARAMS, layer as RuleOverrides));
    if (!merged.success) {
      for (const i of merged.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
      return z.NEVER;
    }
    for (const [mn, o] of Object.entries(sources)) {
      const r = ruleParamsSchema.safeParse(mergeRuleParams(merged.data, o));
      for (const i of r.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['sources', mn, ...i.path], message: i.message });
    }
    return { ...merged.data, utcOffsetMinutes, sources };
  });
export type RulePack = z.output<typeof rulePackSchema>;

/** Every issue of a refused pack or override, one `path: message` per line. */
export class RulePackError extends Error {
  constructor(
    readonly issues: string[],
    options?: ErrorOptions,
  ) {
    super(`invalid rule parameters:\n  ${issues.join('\n  ')}`, options);
    this.name = 'RulePackError';
  }
}

export const describeIssues = (error: z.ZodError, prefix = ''): string[] =>
  error.issues.map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(top level)';
    // A bad record key (an MN, a kind): say why, not only "Invalid key in record".
    const why = i.code === 'invalid_key' ? i.issues.map((k) => k.message).join('; ') : i.message;
    return `${where}: ${why}`;
  });

/** Parses a pack (the YAML's object), or throws a RulePackError listing every issue. */
export function parseRulePack(input: unknown): RulePack {
  const r = rulePackSchema.safeParse(input ?? {});
  if (!r.success) throw new RulePackError(describeIssues(r.error), { cause: r.error });
  return r.data;
}

/**
 * The parameters that apply to a source: the pack, then the pack's `sources.<MN>` overrides, then
 * `overrides` (e.g. from the source's own configuration). Throws a RulePackError if the overrides
 * are malformed or make the merged set inconsistent.
 */
export function effectiveRuleParams(source: Pick<Source, 'mn'>, pack: RulePack, overrides?: unknown): RuleParams {
  const parsed = ruleOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) throw new RulePackError(describeIssues(parsed.error, source.mn), { cause: parsed.error });
  const merged = ruleParamsSchema.safeParse(mergeRuleParams(pack, pack.sources[source.mn], parsed.data as RuleOverrides));
  if (!merged.success) throw new RulePackError(describeIssues(merged.error, source.mn), { cause: merged.error });
  return merged.data;
}
