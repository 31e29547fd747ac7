/**
 * The working-condition strip (issue 16): on one time axis, an enterprise's production lines'
 * power, its treatment facilities' signals (power, current, temperature, reductant, valves, flare
 * gas), its outlets' main emissions, and the findings of the facility rules to mark on them.
 *
 *   GET /api/enterprises/:id/working-condition?from&to&cn&mn → WorkingConditionStrip
 *
 * One route per enterprise, because the strip is about how the enterprise's facilities and outlets
 * move together; `mn` narrows it to one source's part (the source page): the facilities that name
 * that logger or feed that outlet, the lines they serve, and their outlets. `stripPlan` decides
 * which series (pure); the router reads them from the telemetry store.
 */
import { z } from 'zod';
import { SEVERITIES } from './alert';
import { facilityRole, ROLE_SIGNALS, STRIP_GROUPS, STRIP_THRESHOLDS, type StripGroup } from './facility-roles';
import { DATA_KINDS, type DataKind } from './reading';
import type { Facility, Registry, Source } from './registry';
import { FACILITY_RULES } from './rule-ids';
import { MAIN_FACTOR, type SourceKind } from './source-kinds';
import { SIGNAL, signalCode, type SignalFamilyKey } from './working-condition';

export { STRIP_GROUPS, STRIP_THRESHOLDS, type StripGroup } from './facility-roles';

/** Kinds whose sources are outlets with emissions to show. */
const EMISSION_KINDS: readonly SourceKind[] = ['cems', 'vocs', 'ammonia', 'catering', 'dust'];
/** A facility's running state is shown as its power going under the threshold, and the pilot as the temperature. */
const HIDDEN_FAMILIES: readonly SignalFamilyKey[] = [SIGNAL.runningState, SIGNAL.pilotFlame];

export const stripPointSchema = z.object({ ts: z.number().int(), value: z.number() });

export const stripLaneSchema = z.object({
  group: z.enum(STRIP_GROUPS),
  /** The logger the series comes from and its factor or signal code (catalog.ts names it). */
  mn: z.string(),
  code: z.string(),
  /** The facility it belongs to (production and treatment lanes). */
  facilityId: z.string().optional(),
  /** The facility's or the source's name. */
  name: z.string(),
  threshold: z.object({ kind: z.enum(STRIP_THRESHOLDS), value: z.number() }).optional(),
  videoUrl: z.string().optional(),
  points: z.array(stripPointSchema),
});
export type StripLane = z.infer<typeof stripLaneSchema>;

export const stripFindingSchema = z.object({
  alertId: z.number().int(),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  mn: z.string(),
  factor: z.string(),
  facilityId: z.string().optional(),
  /** Epoch ms it opened, and cleared (or closed); null while still active. */
  from: z.number().int(),
  to: z.number().int().nullable(),
});
export type StripFinding = z.infer<typeof stripFindingSchema>;

export const workingConditionStripSchema = z.object({
  enterpriseId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  cn: z.enum(DATA_KINDS),
  lanes: z.array(stripLaneSchema),
  findings: z.array(stripFindingSchema),
});
export type WorkingConditionStrip = z.infer<typeof workingConditionStripSchema>;

/** A lane before its points are read. */
export type PlannedLane = Omit<StripLane, 'points'>;

/** The outlet's limit of a factor, from the rule book (effective limits), if any. */
export type LimitOf = (mn: string, factor: string) => number | undefined;

/** The main emission of an outlet: its kind's main factor (a flare reports its temperature, aft01). */
export const mainEmission = (s: Pick<Source, 'kind' | 'flare'>): string => (s.flare === true ? 'aft01' : MAIN_FACTOR[s.kind]);

/** The data kind a range is read in: minute data up to three days, hourly beyond. */
export function stripCn(from: number, to: number): DataKind {
  return to - from <= 3 * 24 * 3_600_000 ? '2051' : '2061';
}

function thresholdOf(f: Facility, family: SignalFamilyKey): PlannedLane['threshold'] {
  if (family === SIGNAL.power && f.runningKw !== undefined) return { kind: 'runningKw', value: f.runningKw };
  if (family === SIGNAL.current && f.runningA !== undefined) return { kind: 'runningA', value: f.runningA };
  if (family === SIGNAL.combustionTemp && f.minTempC !== undefined) return { kind: 'minTempC', value: f.minTempC };
  return undefined;
}

/** The facilities and outlets of the strip: the enterprise's, or the part of one source (`mn`). */
function scope(registry: Registry, enterpriseId: string, mn: string | undefined): { facilities: Facility[]; outlets: Source[] } {
  const all = (registry.facilities ?? []).filter((f) => f.enterpriseId === enterpriseId);
  const sources = registry.sources.filter((s) => s.enterpriseId === enterpriseId);
  const isOutlet = (s: Source): boolean => EMISSION_KINDS.includes(s.kind) && s.position !== 'inlet';
  if (mn === undefined) return { facilities: all, outlets: sources.filter(isOutlet) };
  const picked = new Map(all.filter((f) => f.mn === mn || (f.outletMns ?? []).includes(mn)).map((f) => [f.id, f]));
  for (const f of [...picked.values()]) {
    const served = f.serves !== undefined ? all.find((x) => x.id === f.serves) : undefined;
    if (served) picked.set(served.id, served);
  }
  const facilities = all.filter((f) => picked.has(f.id));
  const source = sources.find((s) => s.mn === mn);
  const outletMns = new Set(source && isOutlet(source) ? [mn] : facilities.flatMap((f) => f.outletMns ?? []));
  return { facilities, outlets: sources.filter((s) => outletMns.has(s.mn) && isOutlet(s)) };
}

/**
 * The lanes of an enterprise's strip: each production line's power, each treatment facility's
 * signals by its role (facility-roles.ts; not the running state, which its power shows), each outlet's
 * main emission with its limit. Facilities without a logger have no lanes.
 */
export function stripPlan(registry: Registry, enterpriseId: string, limitOf: LimitOf, mn?: string): PlannedLane[] {
  const { facilities, outlets } = scope(registry, enterpriseId, mn);
  const lanes: PlannedLane[] = [];
  const order = (f: Facility): number => (f.kind === 'treatment' ? 1 : 0);
  for (const f of [...facilities].sort((a, b) => order(a) - order(b))) {
    if (f.mn === undefined || f.channel === undefined) continue;
    const role = facilityRole(f);
    const group: StripGroup = f.kind === 'treatment' ? 'treatment' : 'production';
    for (const family of ROLE_SIGNALS[role]) {
      if (HIDDEN_FAMILIES.includes(family)) continue;
      const threshold = thresholdOf(f, family);
      lanes.push({
        group,
        mn: f.mn,
        code: signalCode(family, f.channel),
        facilityId: f.id,
        name: f.name,
        ...(threshold ? { threshold } : {}),
        ...(f.videoUrl ? { videoUrl: f.videoUrl } : {}),
      });
    }
  }
  for (const s of outlets) {
    const code = mainEmission(s);
    const limit = limitOf(s.mn, code);
    lanes.push({
      group: 'emission',
      mn: s.mn,
      code,
      name: s.name,
      ...(limit !== undefined ? { threshold: { kind: 'limit', value: limit } } : {}),
    });
  }
  return lanes;
}

/** An alert as the strip marks it (the fields the findings need). */
export interface StripAlert {
  id: number;
  rule: string;
  severity: StripFinding['severity'];
  mn: string;
  factor: string;
  openedAt: number;
  clearedAt: number | null;
  closedAt: number | null;
}

/**
 * The findings to mark: alerts of the facility rules on the strip's loggers and outlets that overlap
 * [from, to), each tied to the facility whose lane carries its signal.
 */
export function stripFindings(alerts: readonly StripAlert[], lanes: readonly PlannedLane[], from: number, to: number): StripFinding[] {
  const mns = new Set(lanes.map((l) => l.mn));
  const facilityOf = new Map(lanes.filter((l) => l.facilityId).map((l) => [`${l.mn}/${l.code}`, l.facilityId as string]));
  const channelOf = new Map(lanes.filter((l) => l.facilityId).map((l) => [`${l.mn}/${l.code.slice(3)}`, l.facilityId as string]));
  return alerts
    .filter((a) => FACILITY_RULES.includes(a.rule) && mns.has(a.mn))
    .filter((a) => a.openedAt < to && (a.clearedAt ?? a.closedAt ?? Infinity) >= from)
    .map((a) => {
      const facilityId = facilityOf.get(`${a.mn}/${a.factor}`) ?? channelOf.get(`${a.mn}/${a.factor.slice(3)}`);
      return {
        alertId: a.id,
        rule: a.rule,
        severity: a.severity,
        mn: a.mn,
        factor: a.factor,
        ...(facilityId ? { facilityId } : {}),
        from: a.openedAt,
        to: a.clearedAt ?? a.closedAt,
      };
    })
    .sort((a, b) => a.from - b.from);
}
