/**
 * Facility records (issue 16 item 2; PLANS B14, B15, G4): what enterprises log and file about their
 * facilities, beside the signals — adsorbent (activated carbon) replacements, the year's start/stop
 * plan of their production lines (due by 31 March), and the start/stop events the product detects
 * from the lines' running state. Pure shapes, REST schemas and date arithmetic (local calendar
 * dates, `YYYY-MM-DD`), shared by the server and the dashboard.
 */
import { z } from 'zod';
import { addDays, DAY_MS, parseLocalDate } from './local-time';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar date, `YYYY-MM-DD`. */
export const localDateSchema = z
  .string()
  .regex(DATE_RE, 'a date is YYYY-MM-DD')
  .refine((d) => parseLocalDate(d, 0) !== null, 'not a calendar date');

/** One adsorbent replacement, logged by the enterprise (or an officer) for an adsorber. */
export interface AdsorbentReplacement {
  id: string;
  facilityId: string;
  enterpriseId: string;
  /** Local date the adsorbent was replaced. */
  date: string;
  amountKg: number;
  note: string | null;
  loggedBy: string;
  loggedAt: number;
}

export const newReplacementSchema = z
  .object({
    date: localDateSchema,
    amountKg: z.number().positive('must be above 0 kg').max(1_000_000, 'at most 1 000 000 kg'),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type NewReplacement = z.infer<typeof newReplacementSchema>;

export const adsorbentReplacementSchema = z
  .object({
    id: z.string(),
    facilityId: z.string(),
    enterpriseId: z.string(),
    date: z.string(),
    amountKg: z.number(),
    note: z.string().nullable(),
    loggedBy: z.string(),
    loggedAt: z.number().int(),
  })
  .meta({ id: 'AdsorbentReplacement' }) satisfies z.ZodType<AdsorbentReplacement>;

export const START_STOP_KINDS = ['start', 'stop'] as const;
export type StartStopKind = (typeof START_STOP_KINDS)[number];

/** One planned start or stop of a production line. */
export interface PlanEntry {
  facilityId: string;
  kind: StartStopKind;
  date: string;
  note?: string;
}

/** An enterprise's start/stop plan of a year (开停车计划), filed in the portal by 31 March. */
export interface StartStopPlan {
  enterpriseId: string;
  year: number;
  entries: PlanEntry[];
  filedBy: string;
  filedAt: number;
  updatedBy: string;
  updatedAt: number;
  /** 1 when filed, + 1 per change. */
  version: number;
}

export const planEntrySchema = z
  .object({
    facilityId: z.string().min(1).max(64),
    kind: z.enum(START_STOP_KINDS),
    date: localDateSchema,
    note: z.string().trim().max(200).optional(),
  })
  .strict();

export const YEAR_MIN = 2000;
export const YEAR_MAX = 2100;
export const yearSchema = z.coerce.number().int().min(YEAR_MIN).max(YEAR_MAX);

export const planBodySchema = z
  .object({
    enterpriseId: z.string().min(1).max(64).optional(),
    year: z.number().int().min(YEAR_MIN).max(YEAR_MAX),
    entries: z.array(planEntrySchema).max(500),
  })
  .strict()
  .superRefine((b, ctx) => {
    b.entries.forEach((e, i) => {
      if (!e.date.startsWith(`${b.year}-`)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'date'], message: `must be in ${b.year}` });
    });
  });
export type PlanBody = z.infer<typeof planBodySchema>;

export const startStopPlanSchema = z
  .object({
    enterpriseId: z.string(),
    year: z.number().int(),
    entries: z.array(planEntrySchema),
    filedBy: z.string(),
    filedAt: z.number().int(),
    updatedBy: z.string(),
    updatedAt: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'StartStopPlan' }) satisfies z.ZodType<StartStopPlan>;

/** Where an enterprise stands with a year's plan (the bureau's list of filed and not filed). */
export interface PlanStatus {
  enterpriseId: string;
  name: string;
  year: number;
  filed: boolean;
  filedAt: number | null;
  /** Filed after the due date. */
  late: boolean;
  entries: number;
  /** Local due date (31 March of the year). */
  due: string;
}

export const planStatusSchema = z
  .object({
    enterpriseId: z.string(),
    name: z.string(),
    year: z.number().int(),
    filed: z.boolean(),
    filedAt: z.number().int().nullable(),
    late: z.boolean(),
    entries: z.number().int(),
    due: z.string(),
  })
  .meta({ id: 'PlanStatus' }) satisfies z.ZodType<PlanStatus>;

/** The local date a year's plan is due: 31 March (PLANS B14: 每年 3 月底前报告开停车、检维修计划). */
export const planDueDate = (year: number): string => `${year}-03-31`;

/** Was a plan filed at `filedAt` late (after the end of its due date, local time)? */
export function filedLate(year: number, filedAt: number, utcOffsetMinutes: number): boolean {
  const dueStart = parseLocalDate(planDueDate(year), utcOffsetMinutes) as number;
  return filedAt >= dueStart + DAY_MS;
}

/** A start or stop of a production line, detected from its running state. */
export interface StartStopEvent {
  id: string;
  enterpriseId: string;
  facilityId: string;
  kind: StartStopKind;
  /** When the new running state began. */
  at: number;
  inSeason: boolean;
  /** A planned entry of the same line and kind lies within the tolerance (only judged in season). */
  planned: boolean;
}

export const startStopEventSchema = z
  .object({
    id: z.string(),
    enterpriseId: z.string(),
    facilityId: z.string(),
    kind: z.enum(START_STOP_KINDS),
    at: z.number().int(),
    inSeason: z.boolean(),
    planned: z.boolean(),
  })
  .meta({ id: 'StartStopEvent' }) satisfies z.ZodType<StartStopEvent>;

/** Per enterprise: its starts and stops in a period, those in the ozone season, those not planned. */
export interface StartStopCount {
  enterpriseId: string;
  starts: number;
  stops: number;
  inSeason: number;
  unplanned: number;
}

export const startStopCountSchema = z
  .object({
    enterpriseId: z.string(),
    starts: z.number().int(),
    stops: z.number().int(),
    inSeason: z.number().int(),
    unplanned: z.number().int(),
  })
  .meta({ id: 'StartStopCount' }) satisfies z.ZodType<StartStopCount>;

/** Counts per enterprise, in the order enterprises first appear. */
export function countEvents(events: readonly StartStopEvent[]): StartStopCount[] {
  const out = new Map<string, StartStopCount>();
  for (const e of events) {
    const c = out.get(e.enterpriseId) ?? { enterpriseId: e.enterpriseId, starts: 0, stops: 0, inSeason: 0, unplanned: 0 };
    if (e.kind === 'start') c.starts++;
    else c.stops++;
    if (e.inSeason) c.inSeason++;
    if (e.inSeason && !e.planned) c.unplanned++;
    out.set(e.enterpriseId, c);
  }
  return [...out.values()];
}

/** `MM-DD`. */
export const monthDaySchema = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a season bound is MM-DD, e.g. 05-01');

/** Is the local date inside the season [from, to] (`MM-DD`, inclusive; a season may wrap the new year)? */
export function inSeason(date: string, season: { from: string; to: string }): boolean {
  const md = date.slice(5);
  return season.from <= season.to ? md >= season.from && md <= season.to : md >= season.from || md <= season.to;
}

/** Is there a planned entry of this line and kind within ± toleranceDays of the local date? */
export function isPlanned(
  entries: readonly PlanEntry[],
  facilityId: string,
  kind: StartStopKind,
  date: string,
  toleranceDays: number,
): boolean {
  const lo = addDays(date, -toleranceDays);
  const hi = addDays(date, toleranceDays);
  return entries.some((e) => e.facilityId === facilityId && e.kind === kind && e.date >= lo && e.date <= hi);
}

/** Whole local days from date `a` to date `b` (b − a). */
export const daysBetween = (a: string, b: string): number =>
  Math.round(((parseLocalDate(b, 0) as number) - (parseLocalDate(a, 0) as number)) / DAY_MS);
