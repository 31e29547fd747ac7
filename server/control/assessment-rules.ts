/**
 * The assessment's targets (the `assessment` section of config/rules/ozone.yaml; issue 17 item 2,
 * PLANS F1–F3): the city's and each district's (county's) targets for a period — good-day ratio at
 * least, heavy-or-worse day ratio at most, statistics at most — and the autumn–winter targets
 * (PM2.5 mean and heavy days cut from last period's). A district not listed takes the city's.
 */
import { z } from 'zod';

const concentration = z.number().positive().max(10_000);

export const assessmentTargetsSchema = z
  .object({
    /** Good days (AQI ≤ 100), % of the valid days, at least. */
    goodDaysPct: z.number().min(0).max(100),
    /** Heavy-or-worse days (AQI > 200), % of the valid days, at most. */
    heavyDaysPct: z.number().min(0).max(100),
    /** Period means at most, µg/m³. */
    pm25: concentration.optional(),
    pm10: concentration.optional(),
    so2: concentration.optional(),
    no2: concentration.optional(),
    /** CO 95th percentile of the daily means at most, mg/m³. */
    co: concentration.optional(),
    /** O3 90th percentile of the daily maximum 8-h means at most, µg/m³. */
    o3: concentration.optional(),
  })
  .strict();

export const autumnWinterTargetSchema = z
  .object({
    /** PM2.5 mean of the period at least this % below last period's. */
    pm25CutPct: z.number().min(0).max(100),
    /** Heavy-or-worse days at least this many fewer than last period's. */
    heavyDaysCut: z.number().int().min(0).max(183),
  })
  .strict();

const district = z.string().trim().min(1).max(40);

export const assessmentRulesSchema = z
  .object({
    targets: z
      .object({
        city: assessmentTargetsSchema,
        /** Per district (county), the whole set; a district not named takes the city's. */
        districts: z.record(district, assessmentTargetsSchema).default({}),
      })
      .strict(),
    autumnWinter: z
      .object({
        city: autumnWinterTargetSchema,
        districts: z.record(district, autumnWinterTargetSchema).default({}),
      })
      .strict(),
    /** An answer is reused this many seconds (0: computed on every request). */
    cacheS: z.number().int().min(0).max(3_600),
  })
  .strict();
export type AssessmentRules = z.infer<typeof assessmentRulesSchema>;
export type AssessmentTargetsConfig = z.infer<typeof assessmentTargetsSchema>;
