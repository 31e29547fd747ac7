/** Query and body pieces shared by the alert, silence and maintenance routers (zod). */
import { z } from 'zod';
import { FACTOR_CODE_RE } from '../domain/mqtt-contract';

/** Epoch ms or ISO-8601 with an offset. */
export const instant = z
  .union([
    z.number().int().nonnegative(),
    z.coerce.number().int().nonnegative(),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  ])
  .meta({ description: 'epoch ms, or ISO-8601 with an offset' });

export const idParam = z.object({ id: z.coerce.number().int().positive() });

export const factorCode = z.union([z.literal('*'), z.string().regex(FACTOR_CODE_RE, 'not a factor code')]);
export const ruleName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'not a rule name');
export const username = z.string().trim().min(1).max(64);
/** Free text from a person: a reason, a comment. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
export const queryBool = z.stringbool().meta({ description: 'true or false' });
