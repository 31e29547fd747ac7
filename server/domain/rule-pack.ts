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
import { SEVERITIES } from './alert';
import { AIR_POLLUTANTS } from './aqi-records';
import { catalog } from './catalog';
import { monthDaySchema } from './facility-records';
import { DEFAULT_O2_CAP } from './o2-conversion';
import { mnSchema, type Source } from './registry';
import { SOURCE_KINDS } from './source-kinds';

/** The rule ids are declared in rule-ids.ts (no zod: the dashboard imports them); re-exported for the rule modules. */
export { FACILITY_RULES, RULE_IDS, type RuleId } from './rule-ids';

const factorCode = z.string().refine(catalog.has, { error: (i) => `unknown factor code "${String(i.input)}"` });
const seconds = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).min(0, { error: `${what} must not be negative (seconds)` });
const positiveSeconds = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).positive({ error: `${what} must be a positive number of seconds` });
const count = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });

/** A bound a rule compares against, in the unit of its factor (checked against the catalog). */
export const ruleBoundSchema = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    unit: z.string({
      error: (i) => (i.input === undefined ? 'a limit needs its unit (the factor’s unit; "" for a ratio)' : 'unit must be a string'),
    }),
  })
  .strict()
  .refine((b) => b.min !== undefined || b.max !== undefined, { error: 'a limit needs min, max or both' })
  .refine((b) => b.min === undefined || b.max === undefined || b.min < b.max, { error: 'min must be below max' });
export type RuleBound = z.infer<typeof ruleBoundSchema>;

/** What a hotspot compares with the city mean: the hourly AQI, or one pollutant's hour mean. */
export const HOTSPOT_INDICES = ['aqi', ...AIR_POLLUTANTS] as const;
export type HotspotIndex = (typeof HOTSPOT_INDICES)[number];

/** One schema per rule kind, every field required: the pack and the overrides are partials of these. */
const sections = {
  limitInstant: z
    .object({
      repeat: count('repeat', 1),
      durationS: seconds('durationS'),
      clearMarginPct: z
        .number()
        .min(0, { error: 'clearMarginPct must be between 0 and 100' })
        .max(100, { error: 'clearMarginPct must be between 0 and 100' }),
    })
    .strict(),
  limitHour: z.object({ minValidMinutes: count('minValidMinutes', 1, 60), graceS: seconds('graceS') }).strict(),
  limitDay: z.object({ minValidHours: count('minValidHours', 1, 24) }).strict(),
  offline: z
    .object({
      missedIntervals: count('missedIntervals', 1),
      /** Offline this long: the alert turns critical (and escalates). */
      criticalAfterS: positiveSeconds('criticalAfterS'),
      /** Offline this long: due a rectification case (GET /api/quality/transmission → caseDue). */
      caseAfterS: positiveSeconds('caseAfterS'),
    })
    .strict(),
  flatLine: z
    .object({
      windowS: positiveSeconds('windowS'),
      minSamples: count('minSamples', 2),
      epsilon: z.number().min(0, { error: 'epsilon must not be negative' }),
      relTolerancePct: z
        .number()
        .min(0, { error: 'relTolerancePct must be between 0 and 100' })
        .max(100, { error: 'relTolerancePct must be between 0 and 100' }),
      floors: z.record(factorCode, z.number().min(0, { error: 'a detection floor must not be negative (factor’s unit)' })),
      factors: z.partialRecord(z.enum(SOURCE_KINDS), z.array(factorCode)),
    })
    .strict(),
  removalEfficiency: z
    .object({
      target: z.number().gt(0, { error: 'target is a fraction: 0.8 for 80 %' }).max(1, { error: 'target is a fraction: 0.8 for 80 %' }),
      minInletKgH: z.number().min(0, { error: 'minInletKgH must not be negative (kg/h)' }),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  alRatio: z
    .object({
      factors: z.array(factorCode).min(1, { error: 'alRatio needs at least one nozzle factor' }),
      range: ruleBoundSchema,
      warnDays: count('warnDays', 1),
      alarmDays: count('alarmDays', 1),
    })
    .strict(),
  tankPressure: z.object({ factor: factorCode, durationS: seconds('durationS') }).strict(),
  bypass: z.object({ factor: factorCode, limit: ruleBoundSchema }).strict(),
  flareTemperature: z.object({ factor: factorCode, limit: ruleBoundSchema, durationS: seconds('durationS') }).strict(),
  overRange: z.object({ severity: z.enum(SEVERITIES) }).strict(),
  zsMismatch: z
    .object({
      tolerancePct: z
        .number()
        .gt(0, { error: 'tolerancePct must be between 0 and 100' })
        .max(100, { error: 'tolerancePct must be between 0 and 100' }),
      epsilon: z.number().min(0, { error: 'epsilon must not be negative' }),
      repeat: count('repeat', 1),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  o2Ambient: z
    .object({
      o2Min: z
        .number({ error: 'o2Min must be a number (% O2)' })
        .gt(0, { error: 'o2Min must be above 0 % O2' })
        .max(21, { error: 'o2Min must be at most 21 % O2' }),
      flowMin: z.number().min(0, { error: 'flowMin must not be negative (m³/s)' }),
      durationS: positiveSeconds('durationS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  nearLimit: z
    .object({
      bandLowPct: z
        .number()
        .gt(0, { error: 'bandLowPct must be between 0 and 100' })
        .max(100, { error: 'bandLowPct must be between 0 and 100' }),
      bandHighPct: z
        .number()
        .gt(0, { error: 'bandHighPct must be between 0 and 100' })
        .max(100, { error: 'bandHighPct must be between 0 and 100' }),
      durationS: positiveSeconds('durationS'),
      minSamples: count('minSamples', 2),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  copiedData: z
    .object({
      window: count('window', 3, 360),
      lookbackS: positiveSeconds('lookbackS'),
      maxWindows: count('maxWindows', 10, 100_000),
      indexEvery: count('indexEvery', 1, 64),
      kinds: z.array(z.enum(SOURCE_KINDS)),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  stepDrop: z
    .object({
      dropPct: z.number().gt(0, { error: 'dropPct must be between 0 and 100' }).lt(100, { error: 'dropPct must be between 0 and 100' }),
      windowS: positiveSeconds('windowS'),
      minSamples: count('minSamples', 1),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  // Transport signatures (issue 19, PLANS A6): judged on the rules' tick from what the HJ 212 ingest saw.
  noRawHj212: z
    .object({
      enabled: z.boolean(),
      /** The source kinds registered to send raw HJ 212 to the bureau (the others may send JSON). */
      kinds: z.array(z.enum(SOURCE_KINDS)),
      /** Data arrived but no raw HJ 212 frame for this long → suspected. */
      periodS: positiveSeconds('periodS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  relay: z
    .object({
      enabled: z.boolean(),
      /** More MNs than this on one TCP connection within windowS → suspected relay. */
      maxSourcesPerConnection: count('maxSourcesPerConnection', 1),
      /** A logger heard from more than one TCP address (IP) within windowS → suspected relay. */
      watchAddress: z.boolean(),
      windowS: positiveSeconds('windowS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  // Ambient air (issue 17): judged per station as each hour closes (server/control/ambient-alerts.ts).
  aqiOffScale: z.object({ enabled: z.boolean(), severity: z.enum(SEVERITIES) }).strict(),
  hotspot: z
    .object({
      enabled: z.boolean(),
      index: z.enum(HOTSPOT_INDICES),
      /** Above the city mean by at least this much (the index's unit); null: no absolute margin. */
      minAbove: z.number().min(0, { error: 'minAbove must not be negative' }).nullable(),
      /** ... and by at least this % of the city mean; null: no relative margin. */
      minAbovePct: z.number().min(0, { error: 'minAbovePct must not be negative' }).nullable(),
      hours: count('hours', 1, 24),
      radiusKm: z.number().gt(0, { error: 'radiusKm must be above 0 km' }).max(100, { error: 'radiusKm must be at most 100 km' }),
      maxSources: count('maxSources', 1, 50),
      windFactor: factorCode,
      upwindSectorDeg: z
        .number()
        .gt(0, { error: 'upwindSectorDeg must be above 0°' })
        .max(360, { error: 'upwindSectorDeg must be at most 360°' }),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  ozone8h: z.object({ enabled: z.boolean(), limit: z.number().positive(), severity: z.enum(SEVERITIES) }).strict(),
  // Facility records (issue 16 item 2): judged on a tick from the facility states and the records (server/records).
  declaredStopRunning: z.object({ sustainS: seconds('sustainS'), severity: z.enum(SEVERITIES) }).strict(),
  adsorbentOverdue: z.object({ graceDays: count('graceDays', 0, 3650), severity: z.enum(SEVERITIES) }).strict(),
  unplannedStartStop: z
    .object({
      season: z.object({ from: monthDaySchema, to: monthDaySchema }).strict(),
      toleranceDays: count('toleranceDays', 0, 60),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  // Working condition (issue 16): judged by the facility engine from facilities' signals (server/rules/facility-engine.ts).
  treatmentOff: z.object({ durationS: seconds('durationS'), severity: z.enum(SEVERITIES) }).strict(),
  startOrder: z.object({ startLeadS: seconds('startLeadS'), stopLagS: seconds('stopLagS'), severity: z.enum(SEVERITIES) }).strict(),
  reductantStopped: z
    .object({
      flowMax: z.number().min(0, { error: 'flowMax must not be negative (kg/h)' }),
      durationS: seconds('durationS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  combustionTempLow: z
    .object({
      minTempC: z.number().min(0, { error: 'minTempC must not be negative (°C)' }),
      durationS: seconds('durationS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  flareUpset: z
    .object({
      gasMin: z.number().min(0, { error: 'gasMin must not be negative (m³/h)' }),
      assistMax: z.number().min(0, { error: 'assistMax must not be negative (m³/h)' }),
      minTempC: z.number().min(0, { error: 'minTempC must not be negative (°C)' }),
      durationS: seconds('durationS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  fgrClosed: z
    .object({
      closedMaxPct: z
        .number()
        .min(0, { error: 'closedMaxPct must be between 0 and 100' })
        .max(100, { error: 'closedMaxPct must be between 0 and 100' }),
      durationS: seconds('durationS'),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  bypassOpen: z.object({ severity: z.enum(SEVERITIES) }).strict(),
  // Construction dust (issue 16): the site boundary's PM10 / TSP means per 15 min and per hour
  // (server/rules/dust-mean-rule.ts). A threshold of null is not judged.
  dustMean: z
    .object({
      pm10QuarterMax: z.number().positive({ error: 'pm10QuarterMax must be above 0 µg/m³' }).nullable(),
      pm10HourMax: z.number().positive({ error: 'pm10HourMax must be above 0 µg/m³' }).nullable(),
      tspQuarterMax: z.number().positive({ error: 'tspQuarterMax must be above 0 µg/m³' }).nullable(),
      tspHourMax: z.number().positive({ error: 'tspHourMax must be above 0 µg/m³' }).nullable(),
      /** Valid minute means a 15-min mean needs (the hour takes limitHour.minValidMinutes). */
      quarterMinValidMinutes: count('quarterMinValidMinutes', 1, 15),
      severity: z.enum(SEVERITIES),
    })
    .strict(),
  o2Conversion: z
    .object({
      measuredCap: z
        .number({ error: 'measuredCap must be a number (% O2)' })
        .gt(0, { error: 'measuredCap must be above 0 % O2' })
        .lt(21, { error: 'measuredCap must be below 21 % O2 (the conversion divides by 21 − O2)' }),
    })
    .strict(),
};
type Sections = typeof sections;
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
