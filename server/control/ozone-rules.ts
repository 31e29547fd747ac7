/**
 * The ozone control centre's rule file (config/rules/ozone.yaml): season, hour-mean validity,
 * warning thresholds on forecast IAQI, campaign defaults, the compliance comparison and the
 * catalogue of special-control measures. Validated here; loaded by config.ts with the rest.
 */
import { z } from 'zod';
import { catalog } from '../domain/catalog';
import { SOURCE_KINDS } from '../domain/source-kinds';
import { assessmentRulesSchema } from './assessment-rules';

const month = (what: string) =>
  z
    .number({ error: `${what} must be a month 1–12` })
    .int()
    .min(1, `${what} must be a month 1–12`)
    .max(12, `${what} must be a month 1–12`);
const factorCode = z.string().refine(catalog.has, { error: (i) => `unknown factor code "${String(i.input)}"` });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM');

/**
 * A warning level's trigger: IAQI above `above` on at least `days` consecutive forecast days, of which
 * at least `peakDays` above `peakAbove`.
 */
export const warningTriggerSchema = z
  .object({
    above: z.number().min(0).max(500),
    days: z.number().int().min(1).max(30),
    peakAbove: z.number().min(0).max(500).optional(),
    peakDays: z.number().int().min(1).max(30).optional(),
  })
  .strict()
  .refine((t) => (t.peakAbove === undefined) === (t.peakDays === undefined), {
    error: 'give both peakAbove and peakDays, or neither',
    path: ['peakDays'],
  })
  .refine((t) => t.peakDays === undefined || t.peakDays <= t.days, { error: 'peakDays must not exceed days', path: ['peakDays'] });
export type WarningTrigger = z.infer<typeof warningTriggerSchema>;

export const measureTemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a measure id is lower-case letters, digits and dashes'),
    zh: z.string().min(1),
    en: z.string().min(1),
    /** Daily window the measure applies in (local time), if it is not all day. */
    window: z.object({ from: hhmm, to: hhmm }).strict().optional(),
    /** Source kinds the measure is meant for (informative; empty: any). */
    kinds: z.array(z.enum(SOURCE_KINDS)).default([]),
  })
  .strict();
export type MeasureTemplate = z.infer<typeof measureTemplateSchema>;

export const ozoneRulesSchema = z
  .object({
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    season: z
      .object({ startMonth: month('season.startMonth'), endMonth: month('season.endMonth') })
      .strict()
      .refine((s) => s.startMonth <= s.endMonth, { error: 'startMonth must not be after endMonth', path: ['endMonth'] }),
    status: z
      .object({
        factor: factorCode,
        exceedanceLimit: z.number().positive(),
        minHourCoverage: z.number().gt(0).max(1),
        cacheS: z.number().int().min(0).max(3_600),
      })
      .strict(),
    forecast: z.object({ maxRows: z.number().int().min(1).max(10_000), maxDaysAhead: z.number().int().min(1).max(366) }).strict(),
    warning: z
      .object({
        horizonDays: z.number().int().min(1).max(30),
        levels: z.object({ yellow: warningTriggerSchema, orange: warningTriggerSchema, red: warningTriggerSchema }).strict(),
      })
      .strict(),
    warnings: z
      .object({
        /** How often issued warnings whose start has come are put in force, s. */
        sweepS: z.number().int().min(1).max(3_600),
        /** Proposals of heavy-pollution warnings from forecast day AQI (PM2.5 IAQI where no AQI was given). */
        heavyPollution: z
          .object({
            horizonDays: z.number().int().min(1).max(30),
            levels: z.object({ yellow: warningTriggerSchema, orange: warningTriggerSchema, red: warningTriggerSchema }).strict(),
          })
          .strict(),
        /**
         * Pre-notices (预通知, PLANS E8): "frequent" orange-or-worse conditions are ≥ minEpisodes runs that meet
         * the orange trigger, or ≥ minDays days in such runs, within horizonDays; the continuous-process
         * industries are GB/T 4754 code prefixes (C31 matches C3120 and 3120).
         */
        preNotice: z
          .object({
            horizonDays: z.number().int().min(1).max(30),
            minEpisodes: z.number().int().min(1).max(15),
            minDays: z.number().int().min(1).max(30),
            industries: z
              .array(
                z
                  .object({
                    code: z.string().regex(/^[A-T]?\d{2,4}$/, 'an industry code (prefix) is GB/T 4754, e.g. C31 or C3011'),
                    zh: z.string().min(1),
                    en: z.string().min(1),
                  })
                  .strict(),
              )
              .min(1)
              .refine((xs) => new Set(xs.map((x) => x.code)).size === xs.length, 'an industry code is listed twice'),
          })
          .strict(),
      })
      .strict(),
    campaigns: z
      .object({
        defaultReductionPct: z.number().gt(0).max(100),
        maxDays: z.number().int().min(1).max(366),
        sweepS: z.number().int().min(1).max(3_600),
      })
      .strict(),
    compliance: z
      .object({
        baselineDays: z.number().int().min(1).max(31),
        minHours: z.number().int().min(1).max(24),
        flowFactor: factorCode,
        factors: z.array(z.object({ kind: z.enum(SOURCE_KINDS), factor: factorCode }).strict()).min(1),
      })
      .strict(),
    measures: z
      .array(measureTemplateSchema)
      .min(1)
      .refine((ms) => new Set(ms.map((m) => m.id)).size === ms.length, 'measure ids must be unique'),
    /** Ambient-air assessment targets (GET /api/air/assessment, the monthly bulletin). */
    assessment: assessmentRulesSchema,
  })
  .strict();
export type OzoneRules = z.infer<typeof ozoneRulesSchema>;
