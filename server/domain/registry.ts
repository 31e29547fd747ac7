/** The bureau's registry of networked enterprises and their outlets (sources). */
import { z } from 'zod';
import { SEVERITIES } from './alert';
import { catalog } from './catalog';
import { DEPARTMENTS, EARTHWORK_PHASES, PURIFIER_TYPES } from './site-register';
import { SOURCE_KINDS } from './source-kinds';
import { CHANNEL_PATTERN } from './working-condition';
import { groupBy } from './group-by';

export const limitSchema = z
  .object({
    /** Upper limit in the factor's unit; a value above it is an exceedance. */
    max: z.number().optional(),
    /** Lower limit (a range such as an A/L ratio, or a minimum flare temperature). */
    min: z.number().optional(),
    /** Compare the value converted to the source's reference O2 (DOMAIN §5). */
    o2Converted: z.boolean().default(false),
    severity: z.enum(SEVERITIES).default('major'),
  })
  .strict()
  .refine((l) => l.max !== undefined || l.min !== undefined, 'a limit needs max, min or both')
  .refine((l) => l.max === undefined || l.min === undefined || l.min < l.max, 'min must be below max');
export type Limit = z.infer<typeof limitSchema>;

/** HJ 212 MNs are 24 characters; 14-character ones exist in the wild (DOMAIN §3). */
export const mnSchema = z.string().regex(/^[A-Za-z0-9]{14,24}$/, 'MN must be 14–24 letters or digits');

/** A local calendar date, `YYYY-MM-DD` (the bureau's time zone). */
export const localDateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date is YYYY-MM-DD');

/** Performance grades of the heavy-pollution emergency plan (重污染天气重点行业绩效分级): 引领性, A, B, C, 非分级, 未分级. */
export const GRADES = ['leading', 'A', 'B', 'C', 'non-graded', 'ungraded'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_NAMES: Record<Grade, { zh: string; en: string }> = {
  leading: { zh: '引领性', en: 'Leading' },
  A: { zh: 'A级', en: 'Grade A' },
  B: { zh: 'B级', en: 'Grade B' },
  C: { zh: 'C级', en: 'Grade C' },
  'non-graded': { zh: '非分级', en: 'Non-graded industry' },
  ungraded: { zh: '未分级', en: 'Not yet graded' },
};

/** Ambient station classes (国控/省控/乡镇/微站/路边站/园区站). */
export const STATION_CLASSES = ['national', 'provincial', 'township', 'micro', 'roadside', 'park'] as const;
export type StationClass = (typeof STATION_CLASSES)[number];

/** Onboarding of a source's automatic monitoring (应安装 → 已安装 → 已验收 → 已联网); absent: networked. */
export const ONBOARDING_STATES = ['obligated', 'installed', 'accepted', 'networked'] as const;
export type OnboardingState = (typeof ONBOARDING_STATES)[number];

/** Facilities of an enterprise: production lines, treatment facilities and power meters (issues 16, 18 build on them). */
export const FACILITY_KINDS = ['production-line', 'treatment', 'power-meter'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** The unified social credit code (统一社会信用代码, GB 32100): 18 characters, no I, O, S, V, Z. */
export const creditCodeSchema = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'a credit code is 18 characters (GB 32100)');

export const enterpriseSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  district: z.string().min(1),
  creditCode: creditCodeSchema.optional(),
  /** Industry by GB/T 4754-2017 (code such as `C3011` or `3011`, and its name). */
  industry: z
    .object({ code: z.string().regex(/^[A-T]?\d{2,4}$/, 'an industry code is GB/T 4754 (e.g. C3011)'), name: z.string().min(1) })
    .strict()
    .optional(),
  /** Industrial park or cluster (园区/集群). */
  park: z.string().min(1).optional(),
  /** A key pollutant-discharging unit (重点排污单位); absent: false. */
  keyUnit: z.boolean().optional(),
  /** Current performance grade; absent: ungraded. Its history lives in the registry store. */
  grade: z.enum(GRADES).optional(),
  contacts: z
    .array(
      z
        .object({
          name: z.string().min(1),
          role: z.string().min(1).optional(),
          phone: z
            .string()
            .regex(/^[0-9+\- ]{5,20}$/)
            .optional(),
        })
        .strict(),
    )
    .optional(),
  /** The operation-and-maintenance contractor of its monitoring (运维单位). */
  omContractor: z.string().min(1).optional(),
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

/** A limit in force between two dates (a permit limit until a retrofit deadline, the ultra-low limit after it). */
export const datedLimitSchema = z
  .object({
    factor: z.string().refine(catalog.has, { error: (i) => `unknown factor "${String(i.input)}"` }),
    from: localDateSchema.optional(),
    until: localDateSchema.optional(),
    limit: limitSchema,
  })
  .strict()
  .refine((d) => d.from === undefined || d.until === undefined || d.from < d.until, 'from must be before until');
export type DatedLimit = z.infer<typeof datedLimitSchema>;

export const sourceSchema = z.object({
  mn: mnSchema,
  enterpriseId: z.string(),
  name: z.string().min(1),
  kind: z.enum(SOURCE_KINDS),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** The district the source lies in when it is not its enterprise's (a city-wide operator's stations). */
  district: z.string().min(1).optional(),
  /** Where the analyser sits: limits judge outlets; an inlet feeds removal efficiency. */
  position: z.enum(['outlet', 'inlet']).default('outlet'),
  /** Reference O2 in % for converting flue-gas concentrations; absent for non-combustion sources. */
  o2Ref: z.number().min(0).max(20).optional(),
  /**
   * HJ 212 access password (PW) of the source's data logger, checked on every frame. Required: a
   * registry with a source without one is refused at start unless hj212.allowMissingPw is set
   * (see loggersWithoutPassword). New ones come from generateLoggerPassword (logger-password.ts).
   */
  pw: z
    .string()
    .max(64)
    .regex(/^[!-~]*$/, 'pw must be printable ASCII without spaces')
    .refine((pw) => !/[;,&=]/.test(pw), 'pw must not contain ; , & or = (HJ 212 separators)')
    .optional(),
  /** MQTT password of the source's data logger (its MQTT username is its MN); needed when the broker enforces auth. */
  mqttPassword: z.string().min(8).max(64).optional(),
  /** Expected reporting interval of real-time data, in seconds. */
  intervalS: z.number().int().positive().default(30),
  /** An outlet's treatment-unit inlet (its MN), for the removal-efficiency rule: same enterprise, position inlet. */
  inletMn: mnSchema.optional(),
  /** Per-factor limits that override the rule pack's defaults for this kind (a permit's limits). */
  limits: z.record(z.string().refine(catalog.has, { error: (i) => `unknown factor "${String(i.input)}"` }), limitSchema).default({}),
  /** Limits with effective dates; one in force on a day takes precedence over `limits` (see limitsOn). */
  limitSchedule: z.array(datedLimitSchema).optional(),
  /** Stack height in metres (> 45 m sources must transmit ≥ 90 %). */
  stackHeightM: z.number().positive().max(500).optional(),
  /** Rated capacity of the unit behind the outlet. */
  capacity: z
    .object({ value: z.number().positive(), unit: z.enum(['t/h', 'MW']) })
    .strict()
    .optional(),
  fuel: z.string().min(1).optional(),
  /** Treatment technology (SCR, SNCR, RTO, activated carbon…). */
  treatment: z.string().min(1).optional(),
  /** A declared bypass (旁路) and the state of its seal. */
  bypass: z
    .object({ seal: z.enum(['sealed', 'broken', 'unsealed']) })
    .strict()
    .optional(),
  /** The source is (or feeds) a flare. */
  flare: z.boolean().optional(),
  /** Fuel nozzles at a vapour-recovery station (no fixed cap). */
  nozzleCount: z.number().int().positive().max(200).optional(),
  /** Annual fuel sales of a station, tonnes (stations ≥ 5,000 t must monitor online). */
  annualFuelSalesT: z.number().nonnegative().optional(),
  /** Class of an ambient station. */
  stationClass: z.enum(STATION_CLASSES).optional(),
  /** Video stream or snapshot URL (http, https, rtsp). */
  videoUrl: z
    .string()
    .regex(/^(https?|rtsp):\/\/\S+$/, 'a video URL is http(s):// or rtsp://')
    .max(500)
    .optional(),
  // Catering kitchens and construction sites (issue 16): their register fields (site-register.ts).
  /** The department that oversees the site or kitchen (its read-only users see it). */
  ownerDepartment: z.enum(DEPARTMENTS).optional(),
  /** A construction site's area in m² (sites ≥ 5,000 m² of earthwork must monitor online). */
  siteAreaM2: z.number().positive().max(100_000_000).optional(),
  /** A construction site's current phase. */
  earthworkPhase: z.enum(EARTHWORK_PHASES).optional(),
  /** A kitchen's fume purifier type. */
  purifierType: z.enum(PURIFIER_TYPES).optional(),
  /** A kitchen's cooking ranges (灶头数: GB 18483 sizes kitchens by them). */
  cookingRanges: z.number().int().positive().max(500).optional(),
  /** A restaurant's floor area in m² (≥ 100 m² must monitor online). */
  floorAreaM2: z.number().positive().max(1_000_000).optional(),
  /** Onboarding of the monitoring, with due dates per step; absent: networked. */
  onboarding: z
    .object({ status: z.enum(ONBOARDING_STATES), due: z.partialRecord(z.enum(ONBOARDING_STATES), localDateSchema).optional() })
    .strict()
    .optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export const facilitySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    enterpriseId: z.string(),
    kind: z.enum(FACILITY_KINDS),
    name: z.string().min(1),
    /** Outlets this facility feeds or is measured at (MNs of the same enterprise). */
    outletMns: z.array(mnSchema).optional(),
    /** What it serves: a treatment facility's or a power meter's production line or facility (an id of the same enterprise). */
    serves: z.string().optional(),
    /** Treatment technology, for a treatment facility. */
    technology: z.string().min(1).optional(),
    /** Meter number as the grid company delivers it, for a power meter. */
    meterNo: z.string().min(1).max(64).optional(),
    /** Rated power in kW, and the power above which it counts as running. */
    ratedKw: z.number().positive().optional(),
    runningKw: z.number().nonnegative().optional(),
    /**
     * The logger its working-condition signals come from (an MN of the same enterprise: a 工况
     * logger, or the outlet's own CEMS logger) and its channel there: its signals are the codes
     * `<family><channel>` (working-condition.ts, docs/working-condition.md). Both or neither.
     */
    mn: mnSchema.optional(),
    channel: z.string().regex(CHANNEL_PATTERN, 'a channel is two digits, 01–99').optional(),
    /** The fan or pump current above which it counts as running, in A. */
    runningA: z.number().nonnegative().optional(),
    /** Lowest combustion temperature it may run at (RTO, catalytic oxidiser, flare), °C. */
    minTempC: z.number().min(0).max(2000).optional(),
    /** Adsorbent (activated carbon) replacement interval in days, for an adsorber. */
    adsorbentDays: z.number().int().positive().max(3650).optional(),
    /** Video stream or snapshot URL of the facility (http, https, rtsp). */
    videoUrl: z
      .string()
      .regex(/^(https?|rtsp):\/\/\S+$/, 'a video URL is http(s):// or rtsp://')
      .max(500)
      .optional(),
  })
  .strict()
  .refine((f) => (f.mn === undefined) === (f.channel === undefined), {
    message: 'a facility with signals names both its logger (mn) and its channel',
    path: ['channel'],
  });
export type Facility = z.infer<typeof facilitySchema>;

export const registrySchema = z
  .object({
    enterprises: z.array(enterpriseSchema).min(1),
    sources: z.array(sourceSchema).min(1),
    facilities: z.array(facilitySchema).optional(),
  })
  .superRefine((reg, ctx) => {
    const enterpriseIds = new Set<string>();
    reg.enterprises.forEach((e, i) => {
      if (enterpriseIds.has(e.id))
        ctx.addIssue({ code: 'custom', path: ['enterprises', i, 'id'], message: `duplicate enterprise "${e.id}"` });
      enterpriseIds.add(e.id);
    });
    for (const issue of facilityIssues(reg)) ctx.addIssue({ code: 'custom', ...issue });
    const ids = new Set(reg.enterprises.map((e) => e.id));
    const mns = new Set<string>();
    reg.sources.forEach((s, i) => {
      if (!ids.has(s.enterpriseId)) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'enterpriseId'], message: `unknown enterprise "${s.enterpriseId}"` });
      }
      if (mns.has(s.mn)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'mn'], message: `duplicate MN "${s.mn}"` });
      mns.add(s.mn);
    });
    reg.sources.forEach((s, i) => {
      const inletIssue = s.inletMn === undefined ? undefined : checkInlet(s, reg.sources);
      if (inletIssue) ctx.addIssue({ code: 'custom', path: ['sources', i, 'inletMn'], message: inletIssue });
    });
  });

/** Why an outlet's `inletMn` is wrong, or undefined: it must name an inlet of the same enterprise. */
function checkInlet(outlet: Source, sources: readonly Source[]): string | undefined {
  const inlet = sources.find((o) => o.mn === outlet.inletMn);
  if (outlet.position !== 'outlet') return `only an outlet names an inlet; ${outlet.mn} is an inlet`;
  if (!inlet) return `unknown inlet MN "${outlet.inletMn}"`;
  if (inlet.position !== 'inlet') return `source "${inlet.mn}" is not an inlet (position: ${inlet.position})`;
  if (inlet.enterpriseId !== outlet.enterpriseId) {
    return `inlet "${inlet.mn}" belongs to enterprise "${inlet.enterpriseId}", not "${outlet.enterpriseId}"`;
  }
  return undefined;
}
export type Registry = z.infer<typeof registrySchema>;

/** What is wrong with the registry's facilities: unknown enterprise, duplicate id, outlets or `serves` of another enterprise. */
function facilityIssues(reg: {
  enterprises: Enterprise[];
  sources: Source[];
  facilities?: Facility[] | undefined;
}): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const facilities = reg.facilities ?? [];
  const byId = new Map<string, Facility>();
  const enterprises = new Set(reg.enterprises.map((e) => e.id));
  const sources = new Map(reg.sources.map((s) => [s.mn, s]));
  /** `mn/channel` → facility id: one facility per channel of a logger. */
  const channels = new Map<string, string>();
  facilities.forEach((f, i) => {
    if (byId.has(f.id)) issues.push({ path: ['facilities', i, 'id'], message: `duplicate facility "${f.id}"` });
    else byId.set(f.id, f);
    if (!enterprises.has(f.enterpriseId))
      issues.push({ path: ['facilities', i, 'enterpriseId'], message: `unknown enterprise "${f.enterpriseId}"` });
  });
  facilities.forEach((f, i) => {
    (f.outletMns ?? []).forEach((mn, j) => {
      const s = sources.get(mn);
      if (!s) issues.push({ path: ['facilities', i, 'outletMns', j], message: `unknown MN "${mn}"` });
      else if (s.enterpriseId !== f.enterpriseId)
        issues.push({ path: ['facilities', i, 'outletMns', j], message: `source "${mn}" belongs to enterprise "${s.enterpriseId}"` });
    });
    if (f.mn !== undefined) {
      const s = sources.get(f.mn);
      const at = `${f.mn}/${f.channel ?? ''}`;
      if (!s) issues.push({ path: ['facilities', i, 'mn'], message: `unknown MN "${f.mn}"` });
      else if (s.enterpriseId !== f.enterpriseId)
        issues.push({ path: ['facilities', i, 'mn'], message: `source "${f.mn}" belongs to enterprise "${s.enterpriseId}"` });
      const other = channels.get(at);
      if (other !== undefined) issues.push({ path: ['facilities', i, 'channel'], message: `channel ${at} is facility "${other}"'s` });
      else channels.set(at, f.id);
    }
    if (f.serves !== undefined) {
      const served = byId.get(f.serves);
      if (!served) issues.push({ path: ['facilities', i, 'serves'], message: `unknown facility "${f.serves}"` });
      else if (served.enterpriseId !== f.enterpriseId || served.id === f.id)
        issues.push({
          path: ['facilities', i, 'serves'],
          message: `facility "${f.serves}" is not another facility of the same enterprise`,
        });
    }
  });
  return issues;
}

/**
 * The limits a source's own file sets on a local date: `limits`, then every scheduled limit in
 * force that day (from ≤ day < until) on top. The rule pack's defaults for its kind come first
 * (limit-pack.ts effectiveLimits).
 */
export function limitsOn(source: Pick<Source, 'limits' | 'limitSchedule'>, day: string): Record<string, Limit> {
  const limits = { ...source.limits };
  for (const d of source.limitSchedule ?? []) {
    if ((d.from === undefined || d.from <= day) && (d.until === undefined || day < d.until)) limits[d.factor] = d.limit;
  }
  return limits;
}

/** MNs of the sources whose logger has no HJ 212 password (absent or empty): refused at start. */
export function loggersWithoutPassword(registry: Pick<Registry, 'sources'>): string[] {
  return registry.sources.filter((s) => s.pw === undefined || s.pw === '').map((s) => s.mn);
}

/**
 * Lookups into a registry snapshot's lists through an index built once per list (a snapshot is never
 * mutated: a change replaces it whole), so a province's 20,000 sources and 5,000 enterprises are
 * not scanned once per lookup.
 */
function indexed<T, I>(build: (list: readonly T[]) => I): (list: readonly T[]) => I {
  const indexes = new WeakMap<readonly T[], I>();
  return (list) => {
    let index = indexes.get(list);
    if (!index) indexes.set(list, (index = build(list)));
    return index;
  };
}
const enterpriseIndex = indexed((list: readonly Enterprise[]) => new Map(list.map((e) => [e.id, e])));
const sourceIndex = indexed((list: readonly Source[]) => new Map(list.map((s) => [s.mn, s])));
const sourcesByEnterprise = indexed((list: readonly Source[]) => groupBy(list, (s) => s.enterpriseId));

/** An enterprise of a registry snapshot by id. */
export const enterpriseById = (enterprises: readonly Enterprise[], id: string): Enterprise | undefined =>
  enterpriseIndex(enterprises).get(id);
/** A source of a registry snapshot by MN. */
export const sourceByMn = (sources: readonly Source[], mn: string): Source | undefined => sourceIndex(sources).get(mn);
/** An enterprise's sources in a registry snapshot, in the snapshot's order. */
export const sourcesOf = (sources: readonly Source[], enterpriseId: string): readonly Source[] =>
  sourcesByEnterprise(sources).get(enterpriseId) ?? [];

/** The district a source lies in: its own, else its enterprise's ('' for an unknown enterprise). */
export function sourceDistrict(source: Pick<Source, 'district' | 'enterpriseId'>, enterprises: readonly Enterprise[]): string {
  return source.district ?? enterpriseById(enterprises, source.enterpriseId)?.district ?? '';
}
