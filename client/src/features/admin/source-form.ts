/**
 * The source (outlet / station) form: which fields a kind has, the draft ↔ Source mapping, and the
 * rules checked as the user types — taken from the domain's zod schemas (server/domain/registry.ts).
 * Errors are message keys (`admin.error.<key>`); the server checks again.
 */
import { SEVERITIES, type Severity } from '@domain/alert';
import { catalog } from '@domain/catalog';
import {
  datedLimitSchema,
  limitSchema,
  localDateSchema,
  mnSchema,
  ONBOARDING_STATES,
  sourceSchema,
  type Limit,
  type OnboardingState,
  type StationClass,
} from '@domain/registry';
import type { Department, EarthworkPhase, PurifierType } from '@domain/site-register';
import type { SourceKind } from '@domain/source-kinds';
import type { SourceFile, SourceInput } from '../../api/registry';
import type { FormErrors } from './enterprise-form';

/** Fields shown only for some kinds. */
export type KindField =
  | 'o2Ref'
  | 'nozzleCount'
  | 'annualFuelSalesT'
  | 'stationClass'
  | 'stack'
  | 'capacity'
  | 'fuel'
  | 'treatment'
  | 'bypass'
  | 'flare'
  | 'ownerDepartment'
  | 'siteAreaM2'
  | 'earthworkPhase'
  | 'purifierType'
  | 'cookingRanges'
  | 'floorAreaM2';

const STACK: KindField[] = ['stack', 'capacity', 'fuel', 'treatment', 'bypass', 'flare'];
export const KIND_FIELDS: Record<SourceKind, readonly KindField[]> = {
  cems: ['o2Ref', ...STACK],
  vocs: STACK,
  ammonia: ['stack', 'capacity', 'treatment'],
  vapour: ['nozzleCount', 'annualFuelSalesT'],
  ambient: ['stationClass'],
  condition: [],
  catering: ['ownerDepartment', 'treatment', 'purifierType', 'cookingRanges', 'floorAreaM2'],
  dust: ['ownerDepartment', 'siteAreaM2', 'earthworkPhase'],
};
export const hasField = (kind: SourceKind, f: KindField): boolean => KIND_FIELDS[kind].includes(f);

export type BypassChoice = 'none' | 'sealed' | 'broken' | 'unsealed';

/** One limit row: a plain limit, or (with from/until) a dated one. Numbers as typed ('' = none). */
export interface LimitDraft {
  factor: string;
  max: string;
  min: string;
  o2Converted: boolean;
  severity: Severity;
  from: string;
  until: string;
}

export interface SourceDraft {
  mn: string;
  enterpriseId: string;
  name: string;
  kind: SourceKind;
  lat: string;
  lon: string;
  district: string;
  position: 'outlet' | 'inlet';
  intervalS: string;
  o2Ref: string;
  stackHeightM: string;
  capacityValue: string;
  capacityUnit: 't/h' | 'MW';
  fuel: string;
  treatment: string;
  bypass: BypassChoice;
  flare: boolean;
  nozzleCount: string;
  annualFuelSalesT: string;
  stationClass: StationClass | '';
  ownerDepartment: Department | '';
  siteAreaM2: string;
  earthworkPhase: EarthworkPhase | '';
  purifierType: PurifierType | '';
  cookingRanges: string;
  floorAreaM2: string;
  videoUrl: string;
  onboarding: OnboardingState;
  due: Record<OnboardingState, string>;
  limits: LimitDraft[];
}

const noDue = (): Record<OnboardingState, string> => ({ obligated: '', installed: '', accepted: '', networked: '' });

export const emptySourceDraft = (enterpriseId = ''): SourceDraft => ({
  mn: '',
  enterpriseId,
  name: '',
  kind: 'cems',
  lat: '',
  lon: '',
  district: '',
  position: 'outlet',
  intervalS: '30',
  o2Ref: '',
  stackHeightM: '',
  capacityValue: '',
  capacityUnit: 't/h',
  fuel: '',
  treatment: '',
  bypass: 'none',
  flare: false,
  nozzleCount: '',
  annualFuelSalesT: '',
  stationClass: '',
  ownerDepartment: '',
  siteAreaM2: '',
  earthworkPhase: '',
  purifierType: '',
  cookingRanges: '',
  floorAreaM2: '',
  videoUrl: '',
  onboarding: 'networked',
  due: noDue(),
  limits: [],
});

export const emptyLimit = (factor = ''): LimitDraft => ({
  factor,
  max: '',
  min: '',
  o2Converted: catalog.get(factor)?.o2Converted ?? false,
  severity: 'major',
  from: '',
  until: '',
});

const str = (v: number | undefined): string => (v === undefined ? '' : String(v));
const limitDraft = (factor: string, l: Limit, from = '', until = ''): LimitDraft => ({
  factor,
  max: str(l.max),
  min: str(l.min),
  o2Converted: l.o2Converted,
  severity: l.severity,
  from,
  until,
});

export function sourceDraftOf(s: SourceFile): SourceDraft {
  return {
    ...emptySourceDraft(s.enterpriseId),
    mn: s.mn,
    name: s.name,
    kind: s.kind,
    lat: String(s.lat),
    lon: String(s.lon),
    district: s.district ?? '',
    position: s.position,
    intervalS: String(s.intervalS),
    o2Ref: str(s.o2Ref),
    stackHeightM: str(s.stackHeightM),
    capacityValue: str(s.capacity?.value),
    capacityUnit: s.capacity?.unit ?? 't/h',
    fuel: s.fuel ?? '',
    treatment: s.treatment ?? '',
    bypass: s.bypass?.seal ?? 'none',
    flare: s.flare ?? false,
    nozzleCount: str(s.nozzleCount),
    annualFuelSalesT: str(s.annualFuelSalesT),
    stationClass: s.stationClass ?? '',
    ownerDepartment: s.ownerDepartment ?? '',
    siteAreaM2: str(s.siteAreaM2),
    earthworkPhase: s.earthworkPhase ?? '',
    purifierType: s.purifierType ?? '',
    cookingRanges: str(s.cookingRanges),
    floorAreaM2: str(s.floorAreaM2),
    videoUrl: s.videoUrl ?? '',
    onboarding: s.onboarding?.status ?? 'networked',
    due: { ...noDue(), ...(s.onboarding?.due ?? {}) },
    limits: [
      ...Object.entries(s.limits).map(([f, l]) => limitDraft(f, l)),
      ...(s.limitSchedule ?? []).map((d) => limitDraft(d.factor, d.limit, d.from ?? '', d.until ?? '')),
    ],
  };
}

/** A number as typed, or undefined when the field is empty ('abc' → NaN, which the rules refuse). */
export const numOf = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v.trim()));
const optNum = <K extends string>(key: K, v: string): Partial<Record<K, number>> => {
  const n = numOf(v);
  return n === undefined ? {} : ({ [key]: n } as Record<K, number>);
};
const optStr = <K extends string>(key: K, v: string): Partial<Record<K, string>> =>
  v.trim() ? ({ [key]: v.trim() } as Record<K, string>) : {};

const limitOf = (l: LimitDraft): Limit => ({
  ...optNum('max', l.max),
  ...optNum('min', l.min),
  o2Converted: l.o2Converted,
  severity: l.severity,
});
const datedOf = (l: LimitDraft) => ({ factor: l.factor, ...optStr('from', l.from), ...optStr('until', l.until), limit: limitOf(l) });
const isDated = (l: LimitDraft): boolean => l.from.trim() !== '' || l.until.trim() !== '';

/** The kind-dependent part of a source: only the fields its kind has. */
function kindPart(d: SourceDraft): Partial<SourceInput> {
  const on = (f: KindField) => hasField(d.kind, f);
  const capacity = numOf(d.capacityValue);
  return {
    ...(on('o2Ref') ? optNum('o2Ref', d.o2Ref) : {}),
    ...(on('stack') ? optNum('stackHeightM', d.stackHeightM) : {}),
    ...(on('capacity') && capacity !== undefined ? { capacity: { value: capacity, unit: d.capacityUnit } } : {}),
    ...(on('fuel') ? optStr('fuel', d.fuel) : {}),
    ...(on('treatment') ? optStr('treatment', d.treatment) : {}),
    ...(on('bypass') && d.bypass !== 'none' ? { bypass: { seal: d.bypass } } : {}),
    ...(on('flare') && d.flare ? { flare: true } : {}),
    ...(on('nozzleCount') ? optNum('nozzleCount', d.nozzleCount) : {}),
    ...(on('annualFuelSalesT') ? optNum('annualFuelSalesT', d.annualFuelSalesT) : {}),
    ...(on('stationClass') && d.stationClass ? { stationClass: d.stationClass } : {}),
    ...(on('ownerDepartment') && d.ownerDepartment ? { ownerDepartment: d.ownerDepartment } : {}),
    ...(on('siteAreaM2') ? optNum('siteAreaM2', d.siteAreaM2) : {}),
    ...(on('earthworkPhase') && d.earthworkPhase ? { earthworkPhase: d.earthworkPhase } : {}),
    ...(on('purifierType') && d.purifierType ? { purifierType: d.purifierType } : {}),
    ...(on('cookingRanges') ? optNum('cookingRanges', d.cookingRanges) : {}),
    ...(on('floorAreaM2') ? optNum('floorAreaM2', d.floorAreaM2) : {}),
  };
}

/** The source the draft describes (no credentials: the server generates them). */
export function toSource(d: SourceDraft): SourceInput {
  const due = Object.fromEntries(Object.entries(d.due).filter(([, v]) => v.trim() !== '')) as Partial<Record<OnboardingState, string>>;
  const schedule = d.limits.filter(isDated).map(datedOf);
  const onboarding = { status: d.onboarding, ...(Object.keys(due).length ? { due } : {}) };
  return {
    mn: d.mn.trim(),
    enterpriseId: d.enterpriseId,
    name: d.name.trim(),
    kind: d.kind,
    lat: numOf(d.lat) ?? Number.NaN,
    lon: numOf(d.lon) ?? Number.NaN,
    ...optStr('district', d.district),
    position: d.position,
    intervalS: numOf(d.intervalS) ?? 30,
    limits: Object.fromEntries(d.limits.filter((l) => !isDated(l)).map((l) => [l.factor, limitOf(l)])),
    ...(schedule.length ? { limitSchedule: schedule } : {}),
    ...kindPart(d),
    ...optStr('videoUrl', d.videoUrl),
    ...(d.onboarding === 'networked' && Object.keys(due).length === 0 ? {} : { onboarding }),
  };
}

const shape = sourceSchema.shape;
/** Checks one optional number field against its schema: '' passes, anything else must parse. */
const badNumber = (schema: { safeParse: (v: unknown) => { success: boolean } }, v: string): boolean => {
  const n = numOf(v);
  return n !== undefined && !schema.safeParse(n).success;
};

function checkLimits(d: SourceDraft, e: FormErrors): void {
  const plain = new Set<string>();
  d.limits.forEach((l, i) => {
    const at = (f: string) => `limits.${i}.${f}`;
    if (!catalog.has(l.factor)) return void (e[at('factor')] = 'required');
    if (!isDated(l)) {
      if (plain.has(l.factor)) e[at('factor')] = 'duplicateFactor';
      plain.add(l.factor);
    }
    for (const f of ['max', 'min'] as const) if (Number.isNaN(numOf(l[f]))) e[at(f)] = 'number';
    if (numOf(l.max) === undefined && numOf(l.min) === undefined) e[at('max')] = 'limitNeedsBound';
    else if (!e[at('max')] && !e[at('min')] && !limitSchema.safeParse(limitOf(l)).success) e[at('min')] = 'minBelowMax';
    for (const f of ['from', 'until'] as const) if (l[f].trim() && !localDateSchema.safeParse(l[f].trim()).success) e[at(f)] = 'date';
    const datesOk = !e[at('from')] && !e[at('until')];
    if (isDated(l) && datesOk && !datedLimitSchema.safeParse(datedOf(l)).success && limitSchema.safeParse(limitOf(l)).success) {
      e[at('until')] = 'untilAfterFrom';
    }
  });
}

/** What is wrong with the draft, per field (`limits.<i>.<field>` for limit rows). */
export function validateSource(d: SourceDraft): FormErrors {
  const e: FormErrors = {};
  if (!d.mn.trim()) e['mn'] = 'required';
  else if (!mnSchema.safeParse(d.mn.trim()).success) e['mn'] = 'mn';
  if (!d.enterpriseId) e['enterpriseId'] = 'required';
  if (!d.name.trim()) e['name'] = 'required';
  for (const f of ['lat', 'lon'] as const) {
    if (numOf(d[f]) === undefined) e[f] = 'required';
    else if (!shape[f].safeParse(numOf(d[f])).success) e[f] = f;
  }
  if (!shape.intervalS.safeParse(numOf(d.intervalS) ?? 30).success) e['intervalS'] = 'positiveInt';
  const on = (f: KindField) => hasField(d.kind, f);
  if (on('o2Ref') && badNumber(shape.o2Ref, d.o2Ref)) e['o2Ref'] = 'o2Ref';
  if (on('stack') && badNumber(shape.stackHeightM, d.stackHeightM)) e['stackHeightM'] = 'stackHeight';
  if (on('capacity') && (Number.isNaN(numOf(d.capacityValue)) || (numOf(d.capacityValue) ?? 1) <= 0)) e['capacityValue'] = 'positive';
  if (on('nozzleCount') && badNumber(shape.nozzleCount, d.nozzleCount)) e['nozzleCount'] = 'nozzleCount';
  if (on('annualFuelSalesT') && badNumber(shape.annualFuelSalesT, d.annualFuelSalesT)) e['annualFuelSalesT'] = 'nonNegative';
  if (on('siteAreaM2') && badNumber(shape.siteAreaM2, d.siteAreaM2)) e['siteAreaM2'] = 'positive';
  if (on('cookingRanges') && badNumber(shape.cookingRanges, d.cookingRanges)) e['cookingRanges'] = 'cookingRanges';
  if (on('floorAreaM2') && badNumber(shape.floorAreaM2, d.floorAreaM2)) e['floorAreaM2'] = 'positive';
  if (d.videoUrl.trim() && !shape.videoUrl.safeParse(d.videoUrl.trim()).success) e['videoUrl'] = 'videoUrl';
  for (const s of ONBOARDING_STATES) if (d.due[s].trim() && !localDateSchema.safeParse(d.due[s].trim()).success) e[`due.${s}`] = 'date';
  checkLimits(d, e);
  if (Object.keys(e).length === 0 && !sourceSchema.safeParse(toSource(d)).success) e['form'] = 'invalid';
  return e;
}

export { SEVERITIES };
