/**
 * One source's saved rule state (issue 15: a row per source, so an ingest worker saves and loads
 * the sources of one partition): the rule engine's state of it and the facility engine's part kept
 * with it. Parsed when read back, never trusted; the rule part is parsed by the engine itself.
 */
import { z } from 'zod';
import { facilityPartSchema, type FacilityPart } from './facility-state';

export const SAVED_SOURCE_VERSION = 1;

export const savedSourceSchema = z.object({
  version: z.literal(SAVED_SOURCE_VERSION, {
    error: (i) => `unsupported saved source version ${String(i.input)} (expected ${SAVED_SOURCE_VERSION})`,
  }),
  /** The rule engine's SourceState (rule-state.ts), parsed by RuleEngine.restoreSource; null: none kept. */
  rule: z.unknown(),
  facility: facilityPartSchema,
});

export interface SavedSource {
  version: typeof SAVED_SOURCE_VERSION;
  rule: unknown;
  facility: FacilityPart;
}
