/** The `from` / `to` query parameters of time-series routes: epoch ms or ISO-8601 with offset. */
import { z } from 'zod';
import { HttpError } from './errors';

const HOUR = 3_600_000;
const time = z
  .union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
  .meta({ description: 'epoch ms, or ISO-8601 with an offset; default: the last 24 h' });

export const timeRangeFields = { from: time.optional(), to: time.optional() };

/** [from, to): `to` defaults to `defaultTo`, `from` to 24 h before it; from must precede to. */
export function resolveRange(q: { from?: number | undefined; to?: number | undefined }, defaultTo: number): { from: number; to: number } {
  const to = q.to ?? defaultTo;
  const from = q.from ?? to - 24 * HOUR;
  if (from >= to) throw new HttpError(400, 'bad_request', 'from must be before to');
  return { from, to };
}
