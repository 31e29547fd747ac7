/**
 * Data quality (issue 19; PLANS A5, A7, A10, A11): the periods of the data-quality page, the
 * configured criteria (config/rules/quality.yaml), the comparison test (比对监测) of an officer's
 * reference measurement against the online values of the same period, and the REST shapes of
 * GET /api/quality/transmission and GET/POST /api/quality/comparisons. Pure: no Node imports.
 */
import { z } from 'zod';
import { catalog } from './catalog';
import { mnSchema } from './registry';
import { SOURCE_KINDS } from './source-kinds';

// ---------- periods ----------

/** A month `2026-11` or a quarter `2026-Q4`. */
export const QUALITY_PERIOD_PATTERN = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/;

export interface QualityPeriod {
  text: string;
  kind: 'month' | 'quarter';
  /** Local start (inclusive) and end (exclusive), epoch ms. */
  from: number;
  to: number;
}

/** The period named by `text` in local time (minutes east of UTC), or null when it names none. */
export function parseQualityPeriod(text: string, utcOffsetMinutes: number): QualityPeriod | null {
  const m = QUALITY_PERIOD_PATTERN.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const firstMonth = m[2] ? Number(m[2]) - 1 : (Number(m[3]) - 1) * 3;
  const months = m[2] ? 1 : 3;
  const at = (month: number) => Date.UTC(year, month, 1) - utcOffsetMinutes * 60_000;
  return { text, kind: m[2] ? 'month' : 'quarter', from: at(firstMonth), to: at(firstMonth + months) };
}

// ---------- configured criteria (config/rules/quality.yaml) ----------

/** One range of an HJ 75 comparison criterion: from this reference value up, the error allowed. */
export const criterionBandSchema = z
  .object({
    /** The band applies to reference means ≥ this (the factor's unit). */
    from: z.number().min(0),
    /** Allowed relative error, % of the reference mean. */
    relativePct: z.number().positive().optional(),
    /** Allowed absolute error, the factor's unit. */
    absolute: z.number().positive().optional(),
  })
  .strict()
  .refine((b) => (b.relativePct === undefined) !== (b.absolute === undefined), {
    error: 'a band allows relativePct or absolute, not both',
  });
export type CriterionBand = z.infer<typeof criterionBandSchema>;

const factorCode = z.string().refine(catalog.has, { error: (i) => `unknown factor code "${String(i.input)}"` });

export const qualityRulesSchema = z
  .object({
    transmission: z
      .object({
        /** Effective transmission needed to pass (DOMAIN §4: 90 %), a fraction. */
        passRate: z.number().gt(0).max(1),
        /** Stacks higher than this (m) are elevated sources, required to pass (PLANS A5: 45 m). */
        elevatedStackM: z.number().positive(),
      })
      .strict(),
    comparison: z
      .object({
        /** Longest comparison period, hours. */
        maxSpanH: z
          .number()
          .int()
          .min(1)
          .max(24 * 31),
        /** Per factor, its bands (any order; the highest `from` at or below the reference mean applies). */
        criteria: z
          .record(factorCode, z.array(criterionBandSchema).min(1))
          .refine((c) => Object.values(c).every((bands) => bands.some((b) => b.from === 0)), { error: 'every factor needs a band from 0' }),
      })
      .strict(),
  })
  .strict();
export type QualityRules = z.infer<typeof qualityRulesSchema>;

// ---------- comparison tests ----------

export interface ComparisonJudgement {
  /** Which error the band allows. */
  errorKind: 'relative' | 'absolute';
  /** online − reference (absolute, factor's unit) or (online − reference) ÷ reference × 100 (relative, %). */
  error: number;
  /** The allowed |error| (same unit as error). */
  allowed: number;
  /** The band's lower bound (reference ≥ bandFrom). */
  bandFrom: number;
  pass: boolean;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;
/** |error| ≤ allowed, without floating-point noise: 57 against 74.1 is 30 % off (not 30.0000000002 %), so it passes a 30 % band. */
const withinAllowance = (error: number, allowed: number): boolean => Number.isFinite(error) && round(Math.abs(error), 9) <= allowed;

/**
 * The HJ 75 judgement of an online mean against a reference mean: the band is chosen by the
 * reference mean (the reference method measures the true concentration); null when the factor has
 * no configured criterion.
 */
export function judgeComparison(
  reference: number,
  online: number,
  bands: readonly CriterionBand[] | undefined,
): ComparisonJudgement | null {
  const band = [...(bands ?? [])].sort((a, b) => b.from - a.from).find((b) => reference >= b.from);
  if (!band) return null;
  if (band.relativePct !== undefined) {
    // A reference of 0 has no relative error: only an online 0 matches it.
    const error = reference === 0 ? (online === 0 ? 0 : Infinity) : ((online - reference) / reference) * 100;
    const shown = Number.isFinite(error) ? round(error, 2) : error;
    return {
      errorKind: 'relative',
      error: shown,
      allowed: band.relativePct,
      bandFrom: band.from,
      pass: withinAllowance(error, band.relativePct),
    };
  }
  const allowed = band.absolute ?? 0;
  const error = online - reference;
  return { errorKind: 'absolute', error: round(error), allowed, bandFrom: band.from, pass: withinAllowance(error, allowed) };
}

/** POST /api/quality/comparisons: what the officer enters. */
export const comparisonInputSchema = z
  .object({
    mn: mnSchema,
    factor: factorCode,
    /** The reference sampling period, epoch ms. */
    from: z.number().int().positive(),
    to: z.number().int().positive(),
    /** The reference (manual) measurement(s) of the period, the factor's unit; their mean is compared. */
    referenceValues: z.array(z.number().finite().min(0)).min(1).max(50),
    /** Who measured, the method, the report number… */
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((c) => c.from < c.to, { error: 'from must be before to', path: ['to'] });
export type ComparisonInput = z.infer<typeof comparisonInputSchema>;

export interface ComparisonTest {
  id: number;
  mn: string;
  enterpriseId: string;
  factor: string;
  unit: string;
  from: number;
  to: number;
  referenceValues: number[];
  referenceMean: number;
  /** Mean of the valid (flag N) online values of the period; null: none stored. */
  onlineMean: number | null;
  onlineSamples: number;
  errorKind: 'relative' | 'absolute' | null;
  error: number | null;
  allowed: number | null;
  /** null: not judged (no online data, or no criterion for the factor). */
  pass: boolean | null;
  note: string | null;
  createdBy: string;
  createdAt: number;
}

export const comparisonTestSchema = z
  .object({
    id: z.number().int(),
    mn: z.string(),
    enterpriseId: z.string(),
    factor: z.string(),
    unit: z.string(),
    from: z.number(),
    to: z.number(),
    referenceValues: z.array(z.number()),
    referenceMean: z.number(),
    onlineMean: z.number().nullable(),
    onlineSamples: z.number().int(),
    errorKind: z.enum(['relative', 'absolute']).nullable(),
    error: z.number().nullable(),
    allowed: z.number().nullable(),
    pass: z.boolean().nullable(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.number(),
  })
  .meta({ id: 'ComparisonTest' }) satisfies z.ZodType<ComparisonTest>;

export const comparisonListSchema = z
  .object({
    items: z.array(comparisonTestSchema),
    /** The longest comparison period, hours (comparison.maxSpanH). */
    maxSpanH: z.number(),
    /** The configured criteria, so the page can show what a test is judged by. */
    criteria: z.record(
      z.string(),
      z.array(z.object({ from: z.number(), relativePct: z.number().optional(), absolute: z.number().optional() })),
    ),
  })
  .meta({ id: 'ComparisonList' });

// ---------- transmission quality ----------

export interface SourceQuality {
  mn: string;
  name: string;
  enterpriseId: string;
  enterpriseName: string;
  district: string;
  kind: (typeof SOURCE_KINDS)[number];
  stackHeightM: number | null;
  /** Stack above transmission.elevatedStackM: required to pass. */
  elevated: boolean;
  omContractor: string | null;
  expected: number;
  received: number;
  valid: number;
  transmissionRate: number;
  validityRate: number;
  effectiveRate: number;
  pass: boolean;
  /** Hours in the period with a factor flagged D (instrument fault) or B (communication failure). */
  faultHours: number;
  /** Suspected-falsification alerts opened in the period. */
  suspectedFalsification: number;
}

export interface DistrictQuality {
  district: string;
  rank: number;
  sources: number;
  meanEffectiveRate: number;
  failing: number;
}

export interface ContractorQuality {
  /** null: sources of enterprises with no contractor on file. */
  contractor: string | null;
  sources: number;
  enterprises: number;
  meanEffectiveRate: number;
  failing: number;
  faultHours: number;
  suspectedFalsification: number;
}

/** A source due a rectification case, for the cases stage to open (the lead wires it). */
export interface CaseDue {
  mn: string;
  enterpriseId: string;
  district: string;
  /** transmission: below the pass mark over an ended period; outage: offline longer than offline.caseAfterS. */
  reason: 'transmission' | 'outage';
  period: string;
  /** transmission: the period's effective rate; outage: null. */
  effectiveRate: number | null;
  /** outage: since when the source is silent, and for how many hours (null for transmission). */
  offlineSince: number | null;
  offlineHours: number | null;
}

export interface TransmissionQuality {
  period: string;
  kind: 'month' | 'quarter';
  from: number;
  to: number;
  /** The period has ended (its figures are final; only then is a source due a transmission case). */
  complete: boolean;
  passRate: number;
  elevatedStackM: number;
  /** Ranked by district (best district mean first), then by effective rate within a district. */
  sources: SourceQuality[];
  districts: DistrictQuality[];
  contractors: ContractorQuality[];
  caseDue: CaseDue[];
}

const rate = z.number();
export const transmissionQualitySchema = z
  .object({
    period: z.string(),
    kind: z.enum(['month', 'quarter']),
    from: z.number(),
    to: z.number(),
    complete: z.boolean(),
    passRate: rate,
    elevatedStackM: z.number(),
    sources: z.array(
      z.object({
        mn: z.string(),
        name: z.string(),
        enterpriseId: z.string(),
        enterpriseName: z.string(),
        district: z.string(),
        kind: z.enum(SOURCE_KINDS),
        stackHeightM: z.number().nullable(),
        elevated: z.boolean(),
        omContractor: z.string().nullable(),
        expected: z.number(),
        received: z.number(),
        valid: z.number(),
        transmissionRate: rate,
        validityRate: rate,
        effectiveRate: rate,
        pass: z.boolean(),
        faultHours: z.number(),
        suspectedFalsification: z.number(),
      }),
    ),
    districts: z.array(
      z.object({ district: z.string(), rank: z.number(), sources: z.number(), meanEffectiveRate: rate, failing: z.number() }),
    ),
    contractors: z.array(
      z.object({
        contractor: z.string().nullable(),
        sources: z.number(),
        enterprises: z.number(),
        meanEffectiveRate: rate,
        failing: z.number(),
        faultHours: z.number(),
        suspectedFalsification: z.number(),
      }),
    ),
    caseDue: z.array(
      z.object({
        mn: z.string(),
        enterpriseId: z.string(),
        district: z.string(),
        reason: z.enum(['transmission', 'outage']),
        period: z.string(),
        effectiveRate: rate.nullable(),
        offlineSince: z.number().nullable(),
        offlineHours: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'TransmissionQuality' }) satisfies z.ZodType<TransmissionQuality>;
