/** The REST bodies of the warnings (zod; server/http/warnings-router.ts parses with them). */
import { z } from 'zod';
import { WARNING_BASES, WARNING_KINDS, WARNING_LEVELS } from './warning';

const instant = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const note = z.string().trim().min(1, 'must not be empty').max(2000);
const district = z.string().trim().min(1).max(100);

/** POST /api/warnings. */
export const issueWarningSchema = z
  .object({
    kind: z.enum(WARNING_KINDS),
    level: z.enum(WARNING_LEVELS),
    basis: z.enum(WARNING_BASES),
    districts: z
      .array(district)
      .min(1, 'choose at least one district')
      .refine((ds) => new Set(ds).size === ds.length, 'listed twice'),
    startAt: instant,
    plannedLiftAt: instant.nullable().optional(),
    note: note.optional(),
  })
  .strict()
  .refine((b) => b.plannedLiftAt == null || b.plannedLiftAt > b.startAt, { message: 'must be after startAt', path: ['plannedLiftAt'] });
export type IssueWarningInput = z.infer<typeof issueWarningSchema>;

/** PATCH /api/warnings/:id: a level change and/or a note (and the planned lift), made from `version`. */
export const changeWarningSchema = z
  .object({
    version: z.number().int().positive(),
    level: z.enum(WARNING_LEVELS).optional(),
    note: note.optional(),
    plannedLiftAt: instant.nullable().optional(),
  })
  .strict()
  .refine((b) => b.level !== undefined || b.note !== undefined || b.plannedLiftAt !== undefined, {
    message: 'give level, note or plannedLiftAt',
    path: ['level'],
  });
export type ChangeWarningInput = z.infer<typeof changeWarningSchema>;

/** POST /api/warnings/:id/lift and /cancel. */
export const closeWarningSchema = z.object({ note: note.optional() }).strict();
