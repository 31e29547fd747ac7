/**
 * The rule pack's sections: one zod schema per rule kind, every field required (the pack and a
 * source's overrides are partials of these; rule-pack.ts merges and checks them), and the bound a
 * rule compares against.
 */
import { z } from 'zod';
import { SEVERITIES } from './alert';
import { AIR_POLLUTANTS } from './aqi-records';
import { catalog } from './catalog';
import { monthDaySchema } from './facility-records';
import { SOURCE_KINDS } from './source-kinds';

const factorCode = z.string().refine(catalog.has, { error: (i) => `unknown factor code "${String(i.input)}"` });
const seconds = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).min(0, { error: `${what} must not be negative (seconds)` });
const positiveSeconds = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).positive({ error: `${what} must be a positive number of seconds` });
export const count = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
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
export const RULE_SECTIONS = {
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
export type Sections = typeof RULE_SECTIONS;
