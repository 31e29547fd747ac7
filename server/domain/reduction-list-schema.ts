/**
 * The reduction list's REST and import bodies (issue 18), checked at runtime. The types they
 * produce are those of reduction-list.ts (the dashboard imports those, not zod).
 */
import { z } from 'zod';
import { GRADES } from './registry';
import { DAY_MS, parseLocalDate } from './local-time';
import {
  GRADE_POLICIES,
  MEASURE_ACTIONS,
  REDUCTION_POLLUTANTS,
  RESPONSE_LEVELS,
  type GradePolicy,
  type KeyIndicator,
  type LevelMeasure,
  type PeakShiftPeriod,
  type ReductionEntry,
  type ResponseLevel,
} from './reduction-list';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM');
const mn = z.string().regex(/^[A-Za-z0-9]{14,24}$/, 'MN must be 14–24 letters or digits');
const facilityId = z.string().regex(/^[a-z0-9-]+$/, 'a facility id is lower-case letters, digits and hyphens');
const positive = z.number().finite().positive();

const indicatorSchema: z.ZodType<KeyIndicator> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line-power'), facilityId, maxKw: z.number().finite().min(0) }).strict(),
  z.object({ kind: z.literal('outlet-flow'), mn, maxM3h: z.number().finite().min(0) }).strict(),
  z
    .object({ kind: z.literal('limit'), mn, code: z.string().regex(/^[a-z]\d{5}$/, 'a factor code is like a21002'), limit: positive })
    .strict(),
]);

const kgPerHour = z.partialRecord(z.enum(REDUCTION_POLLUTANTS), z.number().finite().min(0, 'a reduction is not negative'));

export const levelMeasureSchema: z.ZodType<LevelMeasure> = z
  .object({
    action: z.enum(MEASURE_ACTIONS),
    limitToPct: z.number().int().min(1).max(99).optional(),
    window: z
      .object({ from: hhmm, to: hhmm })
      .strict()
      .refine((w) => w.from !== w.to, 'a window starts and ends at different times')
      .optional(),
    description: z.string().max(500).optional(),
    indicators: z.array(indicatorSchema).max(20).default([]),
    expectedKgH: kgPerHour.default({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.action === 'limit' && m.limitToPct === undefined)
      ctx.addIssue({ code: 'custom', path: ['limitToPct'], message: 'a limit names the load it keeps (1–99 %)' });
    if (m.action !== 'limit' && m.limitToPct !== undefined)
      ctx.addIssue({ code: 'custom', path: ['limitToPct'], message: 'only a limit keeps a load' });
    if (m.action === 'unchanged' && Object.values(m.expectedKgH).some((v) => v > 0))
      ctx.addIssue({ code: 'custom', path: ['expectedKgH'], message: 'no measure reduces nothing' });
  });

const localDay = z.string().refine((d) => parseLocalDate(d, 0) !== null, 'a date is YYYY-MM-DD');

/** A peak-shift stop: from ≤ to, at most a year and a half. */
export const peakShiftSchema: z.ZodType<PeakShiftPeriod> = z
  .object({ from: localDay, to: localDay, note: z.string().min(1).max(200).optional() })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'a peak-shift period ends on or after its start', path: ['to'] })
  .refine((p) => (parseLocalDate(p.to, 0) ?? 0) - (parseLocalDate(p.from, 0) ?? 0) <= 548 * DAY_MS, {
    message: 'a peak-shift period is at most 18 months',
    path: ['to'],
  });

/** Stricter levels never do less: the load kept falls (or stays) from yellow to red. */
const LOAD_KEPT: Record<LevelMeasure['action'], (m: LevelMeasure) => number> = {
  unchanged: () => 100,
  limit: (m) => m.limitToPct ?? 100,
  stop: () => 0,
};

export const reductionEntrySchema: z.ZodType<ReductionEntry> = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'an entry id is up to 32 letters, digits, - or _'),
    facilityId: facilityId.optional(),
    name: z.string().min(1).max(100),
    process: z.string().min(1).max(100).optional(),
    outletMns: z.array(mn).max(50).default([]),
    meterIds: z.array(facilityId).max(50).default([]),
    measures: z.object({ yellow: levelMeasureSchema, orange: levelMeasureSchema, red: levelMeasureSchema }).strict(),
    peakShift: z.array(peakShiftSchema).max(12).optional(),
    responsible: z.object({ name: z.string().min(1).max(50), phone: z.string().regex(/^[0-9+\-() ]{5,20}$/, 'a phone number') }).strict(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const levels: readonly ResponseLevel[] = RESPONSE_LEVELS;
    for (let i = 1; i < levels.length; i++) {
      const lower = e.measures[levels[i - 1] as ResponseLevel];
      const higher = e.measures[levels[i] as ResponseLevel];
      if (LOAD_KEPT[higher.action](higher) > LOAD_KEPT[lower.action](lower)) {
        ctx.addIssue({
          code: 'custom',
          path: ['measures', levels[i] as string],
          message: `level ${levels[i]} keeps more load than ${levels[i - 1]}`,
        });
      }
    }
  });

/** A list as filed: the entries of one enterprise for one year (the version is the store's). */
export const reductionListBodySchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    entries: z
      .array(reductionEntrySchema)
      .min(1, 'a list has at least one entry')
      .max(500)
      .refine((es) => new Set(es.map((e) => e.id)).size === es.length, 'entry ids are unique within a list'),
  })
  .strict();
export type ReductionListBody = z.infer<typeof reductionListBodySchema>;

/** The rule pack's grade policy, every grade named. */
export const gradePolicySchema: z.ZodType<Record<(typeof GRADES)[number], GradePolicy>> = z
  .object(
    Object.fromEntries(GRADES.map((g) => [g, z.enum(GRADE_POLICIES)])) as Record<
      (typeof GRADES)[number],
      z.ZodEnum<{ [K in GradePolicy]: K }>
    >,
  )
  .strict();
