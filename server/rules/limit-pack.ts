/** The limit rule pack: default limits per source kind and factor (config/rules/limits.yaml). */
import { z } from 'zod';
import { catalog } from '../domain/catalog';
import { limitSchema } from '../domain/registry';
import { SOURCE_KINDS } from '../domain/source-kinds';

export const limitPackSchema = z
  .object({
    limits: z.partialRecord(
      z.enum(SOURCE_KINDS),
      z.record(z.string().refine(catalog.has, { error: (i) => `unknown factor "${String(i.input)}"` }), limitSchema),
    ),
  })
  .strict();

export type LimitPack = z.infer<typeof limitPackSchema>;
