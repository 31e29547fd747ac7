/**
 * The rule engine's per-source state, as zod schemas so a snapshot read back from storage is
 * parsed, not trusted. Plain JSON: numbers, booleans, null and records; O(1) per (source, factor,
 * window): counts and sums, never arrays of values.
 */
import { z } from 'zod';

const num = z.number();
const int = z.number().int().min(0);
const ts = z.number().nullable();

/** A condition judged sample by sample: how many in a row, since when, and whether it is raised. */
export const sustainSchema = z.object({
  run: int,
  since: ts,
  lastTs: ts,
  lastAt: ts,
  value: num.nullable(),
  active: z.boolean(),
});
export type Sustain = z.infer<typeof sustainSchema>;
export const IDLE: Sustain = { run: 0, since: null, lastTs: null, lastAt: null, value: null, active: false };

/** Minute means of one factor in an hour: received (m), valid (n) and valid converted (nC, where
 * the factor's limit judges converted values; else nC = n), their sums (sum measured, sumC
 * compared), and the minutes seen as a bitmask (lo: minutes 0–29, hi: 30–59) so a re-sent minute is
 * not counted twice. A snapshot from before nC existed reads nC as n. */
export const minuteSumSchema = z
  .object({ m: int, n: int, nC: int.optional(), sum: num, sumC: num, lo: int, hi: int })
  .transform(({ nC, ...s }) => ({ ...s, nC: nC ?? s.n }));
export type MinuteSum = z.output<typeof minuteSumSchema>;

/** The minute being built from real-time values of one factor (a ValueTally of that minute). */
export const openMinuteSchema = z.object({ minute: int, lastTs: num, n: int, nValid: int, sum: num, nZs: int, sumZs: num });
export type OpenMinute = z.infer<typeof openMinuteSchema>;

export const hourWindowSchema = z.object({
  start: num,
  /** From minute data (CN 2051). */
  minutes: z.record(z.string(), minuteSumSchema),
  /** From minutes built of real-time data (CN 2011), used where a factor has no minute data. */
  rt: z.record(z.string(), minuteSumSchema).default({}),
  rtOpen: z.record(z.string(), openMinuteSchema).default({}),
  /** The logger's own hourly value (CN 2061) where it was flagged N: measured and compared (absent: not convertible). */
  hourly: z.record(z.string(), z.object({ v: num, vC: num.optional() })),
});
export type HourWindow = z.output<typeof hourWindowSchema>;

export const meanSumSchema = z.object({ n: int, sum: num });
export const dayWindowSchema = z.object({ start: num, hours: z.record(z.string(), meanSumSchema) });
export type DayWindow = z.infer<typeof dayWindowSchema>;

export const flatSchema = z.object({ start: num, end: num, min: num, max: num, count: int, active: z.boolean() });
export type FlatState = z.infer<typeof flatSchema>;

export const nozzleSchema = z.object({ n: int, sum: num, outDays: int, level: z.enum(['warning', 'major']).nullable() });
export type NozzleState = z.infer<typeof nozzleSchema>;
export const alDaySchema = z.object({ start: num.nullable(), closedUntil: num, nozzles: z.record(z.string(), nozzleSchema) });
export type AlDay = z.infer<typeof alDaySchema>;

/**
 * A suspected-falsification condition judged sample by sample (zs-mismatch, o2-ambient,
 * near-limit): how many samples in a row, since when (reading ts), the latest sample's ts, raised.
 */
export const suspectSchema = z.object({ run: int, since: ts, last: ts, active: z.boolean() });
export type Suspect = z.infer<typeof suspectSchema>;
export const NO_SUSPECT: Suspect = { run: 0, since: null, last: null, active: false };

const meanSum = z.object({ n: int, sum: num });
/**
 * step-drop: the conditions the engine raised on the source (`factor|rule`), each limited factor's
 * last hour as 12 buckets (counts and sums, bucket index of the newest), and the window running
 * after an alert opened: its time, rule and factor, the means' sums before (per limited factor),
 * and the sums after so far.
 */
export const stepDropSchema = z.object({
  raised: z.record(z.string(), z.boolean()),
  buckets: z.record(z.string(), z.object({ last: num, n: z.array(int).length(12), sum: z.array(num).length(12) })),
  anchor: z
    .object({
      at: num,
      rule: z.string(),
      factor: z.string(),
      base: z.record(z.string(), meanSum),
      after: z.record(z.string(), meanSum),
    })
    .nullable(),
});
export type StepDropState = z.infer<typeof stepDropSchema>;

/** A source's NMHC mass emission rate over one closed hour (removal efficiency). */
export const hourRateSchema = z.object({ hourStart: num, kgH: num });
export type HourRate = z.infer<typeof hourRateSchema>;

/**
 * dust-mean (issue 16): the open 15-min window and the ended one still taking late data (HourWindow
 * shapes, minutes 0–14), and per factor whether its latest closed 15-min and hourly means were high.
 */
export const dustStateSchema = z.object({
  window: hourWindowSchema.nullable(),
  prev: hourWindowSchema.nullable(),
  closedUntil: num,
  high: z.record(z.string(), z.object({ quarter: z.boolean(), hour: z.boolean() })),
});
export type DustState = z.output<typeof dustStateSchema>;
export const NO_DUST: DustState = { window: null, prev: null, closedUntil: 0, high: {} };

export const sourceStateSchema = z.object({
  /** Arrival time (engine clock) of the latest reading; null: not seen since the engine started. */
  lastSeenAt: ts,
  offline: z.boolean(),
  /** The open offline finding was raised critical (issue 19 outage tiers). */
  offlineCritical: z.boolean().default(false),
  /** The source sends real-time data (CN 2011): sample rules then ignore its minute data. */
  realtime: z.boolean(),
  instant: z.record(z.string(), sustainSchema),
  hour: hourWindowSchema.nullable(),
  /** The hour before the open one, ended but still taking late data (its CN 2061, its last minute) until end + grace. */
  hourPrev: hourWindowSchema.nullable().default(null),
  hourClosedUntil: num,
  day: dayWindowSchema.nullable(),
  dayClosedUntil: num,
  faults: z.record(z.string(), z.boolean()),
  maintenance: z.record(z.string(), z.boolean()),
  overRange: z.record(z.string(), z.boolean()).default({}),
  flat: z.record(z.string(), flatSchema),
  al: alDaySchema,
  tank: sustainSchema,
  flare: sustainSchema,
  bypass: sustainSchema,
  rate: hourRateSchema.nullable(),
  zsMismatch: z.record(z.string(), suspectSchema).default({}),
  o2Ambient: suspectSchema.default(NO_SUSPECT),
  nearLimit: z.record(z.string(), suspectSchema).default({}),
  // A factory: a default object is given shallow-copied, so its `buckets` (step-drop's rings, updated
  // in place) would be one object shared by every source restored from a save made before step-drop.
  stepDrop: stepDropSchema.default(() => ({ raised: {}, buckets: {}, anchor: null })),
  dust: dustStateSchema.default(NO_DUST),
});
export type SourceState = z.output<typeof sourceStateSchema>;

export function emptySourceState(): SourceState {
  return {
    lastSeenAt: null,
    offline: false,
    offlineCritical: false,
    realtime: false,
    instant: {},
    hour: null,
    hourPrev: null,
    hourClosedUntil: 0,
    day: null,
    dayClosedUntil: 0,
    faults: {},
    maintenance: {},
    overRange: {},
    flat: {},
    al: { start: null, closedUntil: 0, nozzles: {} },
    tank: IDLE,
    flare: IDLE,
    bypass: IDLE,
    rate: null,
    zsMismatch: {},
    o2Ambient: NO_SUSPECT,
    nearLimit: {},
    stepDrop: { raised: {}, buckets: {}, anchor: null },
    dust: NO_DUST,
  };
}

export const RULE_STATE_VERSION = 1;
export const ruleStateSnapshotSchema = z.object({
  version: z.literal(RULE_STATE_VERSION, {
    error: (i) => `unsupported rule state version ${String(i.input)} (expected ${RULE_STATE_VERSION})`,
  }),
  sources: z.record(z.string(), sourceStateSchema),
});
export type RuleStateSnapshot = z.output<typeof ruleStateSnapshotSchema>;
