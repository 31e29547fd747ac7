/**
 * The assessment REST contract (issue 17 item 2), declared once for the server and the dashboard:
 * GET /api/air/assessment?period=…&scope=city|district and GET /api/air/bulletin?month=YYYY-MM
 * (format json|xlsx). Figures are of the period's days that are over (through `through`, local
 * dates); the year-on-year comparison is the same days a year earlier.
 */
import { z } from 'zod';
import type { AssessmentTargets, PeriodFigures, TargetCheck, YearOnYear, Statistic } from './assessment';
import type { AutumnWinterTarget, RequiredPath } from './assessment-path';
import { parsePeriod, type AssessmentPeriod } from './assessment-period';

export const ASSESSMENT_SCOPES = ['city', 'district'] as const;
export type AssessmentScope = (typeof ASSESSMENT_SCOPES)[number];

/** What the districts are ranked by (lower is better): the period mean of PM2.5. */
export const COMPOSITE = 'pm25' as const;

export const assessmentQuerySchema = z
  .object({
    period: z
      .string()
      .refine((s) => parsePeriod(s) !== null, 'a period: YYYY, YYYY-MM, aw-YYYY (1 Oct – 31 Mar) or YYYY-MM-DD..YYYY-MM-DD (≤ 366 days)'),
    scope: z.enum(ASSESSMENT_SCOPES).default('city'),
  })
  .strict();
export type AssessmentQuery = z.infer<typeof assessmentQuerySchema>;

export const bulletinQuerySchema = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'),
    format: z.enum(['json', 'xlsx']).default('json'),
    lang: z.enum(['zh', 'en']).default('zh'),
  })
  .strict();
export type BulletinQuery = z.infer<typeof bulletinQuerySchema>;

export interface AssessedSpan {
  from: string;
  to: string;
}

export interface AssessmentRow {
  /** The district's name, or `city`. */
  id: string;
  name: string;
  district: string | null;
  stations: number;
  figures: PeriodFigures;
  /** The same days a year earlier, and the change from them; null when nothing was assessed. */
  previous: PeriodFigures | null;
  change: YearOnYear | null;
  targets: AssessmentTargets;
  checks: TargetCheck[];
  /** Autumn–winter periods: the targets from last period and the required path. */
  autumnWinter: (RequiredPath & { target: AutumnWinterTarget }) | null;
  /** District rows: 1 = the lowest PM2.5 mean; null without one. */
  rank: number | null;
  /** Autumn–winter: above the required path on the last day assessed. */
  behindSchedule: boolean;
}

export interface AssessmentResponse {
  period: AssessmentPeriod;
  scope: AssessmentScope;
  /** The last day assessed (yesterday at the latest); null before the period began. */
  through: string | null;
  /** The days compared a year earlier. */
  previous: AssessedSpan | null;
  composite: typeof COMPOSITE;
  rows: AssessmentRow[];
}

/** What a bulletin's behind-schedule mark is judged on. */
export const BULLETIN_BASES = ['autumn-winter', 'year-to-date'] as const;
export type BulletinBasis = (typeof BULLETIN_BASES)[number];
export const BEHIND_ON = ['pm25', 'heavyDays', 'goodDays'] as const;
export type BehindOn = (typeof BEHIND_ON)[number];

export interface BulletinRow {
  id: string;
  name: string;
  stations: number;
  /** 1 = the lowest PM2.5 mean of the month; null without one. */
  rank: number | null;
  pm25: Statistic;
  validDays: number;
  goodDays: number;
  goodPct: number | null;
  heavyDays: number;
  /** PM2.5 mean against the same month a year earlier, %. */
  pm25Change: number | null;
  /** Cumulative PM2.5 mean over the basis span and its limit there (the path's, or the annual target). */
  cumulativePm25: number | null;
  requiredPm25: number | null;
  behindSchedule: boolean;
  behindOn: BehindOn[];
}

export interface BulletinResponse {
  month: string;
  /** The last day of the month assessed; null when the month has not begun. */
  through: string | null;
  composite: typeof COMPOSITE;
  basis: { kind: BulletinBasis } & AssessedSpan;
  city: BulletinRow;
  rows: BulletinRow[];
}
