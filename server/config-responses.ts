/**
 * The heavy-pollution responses' settings (issue 18), apart from config.ts: failed closed hours in
 * a row before a measure's non-compliance opens, the days before the response an emission baseline
 * averages, the city's annual emissions (t/a) per pollutant the 10/20/30 % check divides by (absent:
 * not checked), and the signature of a fuel station's unloading (卸油) while a campaign asks for
 * night unloading: tank pressure at or above `minPa` for `minMinutes`, outside `night`.
 */
import { z } from 'zod';
import { DEFAULT_UNLOADING } from './domain/unloading';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM');

const unloadingSchema = z
  .object({
    minPa: z.number().min(50).max(5000).default(DEFAULT_UNLOADING.minPa),
    minMinutes: z.number().int().min(1).max(240).default(DEFAULT_UNLOADING.minMinutes),
    maxGapMinutes: z.number().int().min(1).max(60).default(DEFAULT_UNLOADING.maxGapMinutes),
    night: z.object({ from: hhmm, to: hhmm }).strict().default(DEFAULT_UNLOADING.night),
  })
  .strict();

export const responsesConfigSchema = z
  .object({
    failHours: z.number().int().min(1).max(72).default(2),
    baselineDays: z.number().int().min(1).max(60).default(7),
    cityTonnesPerYear: z
      .object({
        so2: z.number().positive().optional(),
        nox: z.number().positive().optional(),
        pm: z.number().positive().optional(),
        vocs: z.number().positive().optional(),
      })
      .strict()
      .default({}),
    unloading: unloadingSchema.default(DEFAULT_UNLOADING),
  })
  .strict()
  .default({ failHours: 2, baselineDays: 7, cityTonnesPerYear: {}, unloading: DEFAULT_UNLOADING });
