/**
 * The facility engine's state (issue 16), as zod schemas so a snapshot read back from storage is
 * parsed, not trusted. Plain JSON, O(1) per facility: its latest value per signal family, its
 * running state, and each rule's condition; per logger its clock; per outlet its latest NOx.
 */
import { z } from 'zod';

const num = z.number();
const ts = num.nullable();

/** A signal's latest valid sample: its value, sample time (the logger's) and arrival time (the engine's). */
export const signalSampleSchema = z.object({ value: num, ts: num, at: num });
export type SignalSample = z.infer<typeof signalSampleSchema>;

/**
 * A rule's condition on a facility: since when (logger time) it has held, whether it is raised, and
 * the factor and value it was raised with (it clears on the same factor, so one alert per facility).
 */
export const conditionSchema = z.object({ since: ts, active: z.boolean(), factor: z.string().nullable(), value: num.nullable() });
export type Condition = z.infer<typeof conditionSchema>;
export const NO_CONDITION: Condition = { since: null, active: false, factor: null, value: null };

export const facilityStateSchema = z.object({
  /** Latest valid sample per signal family (`gkw`, `grs`…). */
  latest: z.record(z.string(), signalSampleSchema),
  /** null: unknown (nothing fresh says either way). */
  running: z.boolean().nullable(),
  /** Logger time the current running state began (null while unknown). */
  since: ts,
  /** Per rule id. */
  conditions: z.record(z.string(), conditionSchema),
});
export type FacilityState = z.infer<typeof facilityStateSchema>;
export const emptyFacilityState = (): FacilityState => ({ latest: {}, running: null, since: null, conditions: {} });

/** A logger's clock: its latest sample's time and arrival, and whether it sends real-time data. */
export const loggerClockSchema = z.object({ ts: num, at: num, realtime: z.boolean() });
export type LoggerClock = z.infer<typeof loggerClockSchema>;

/** An outlet's latest NOx sample, compared as its limit says (converted to reference O2 or measured), and that limit. */
export const noxSampleSchema = z.object({ value: num, limit: num, o2Converted: z.boolean(), ts: num, at: num });
export type NoxSample = z.infer<typeof noxSampleSchema>;

export const FACILITY_STATE_VERSION = 1;
export const facilitySnapshotSchema = z.object({
  version: z.literal(FACILITY_STATE_VERSION, {
    error: (i) => `unsupported facility state version ${String(i.input)} (expected ${FACILITY_STATE_VERSION})`,
  }),
  facilities: z.record(z.string(), facilityStateSchema),
  loggers: z.record(z.string(), loggerClockSchema),
  outlets: z.record(z.string(), noxSampleSchema),
});
export type FacilitySnapshot = z.infer<typeof facilitySnapshotSchema>;

/** The part of the facility state kept with one source (rules/saved-source.ts): see FacilityEngine.sourcePart. */
export const facilityPartSchema = z.object({
  logger: loggerClockSchema.nullable(),
  outlet: noxSampleSchema.nullable(),
  facilities: z.record(z.string(), facilityStateSchema),
});
export type FacilityPart = z.infer<typeof facilityPartSchema>;
