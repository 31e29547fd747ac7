/** The facility form: draft ↔ Facility and its rules, from the domain schema (server/domain/registry.ts). */
import { facilitySchema, type Facility, type FacilityKind } from '@domain/registry';
import { CHANNEL_PATTERN } from '@domain/working-condition';
import type { FormErrors } from './enterprise-form';
import { numOf } from './source-form';

export interface FacilityDraft {
  id: string;
  enterpriseId: string;
  kind: FacilityKind;
  name: string;
  outletMns: string[];
  serves: string;
  technology: string;
  meterNo: string;
  ratedKw: string;
  runningKw: string;
  /** The logger its working-condition signals come on ('' = none) and the channel there (docs/working-condition.md). */
  mn: string;
  channel: string;
  /** Fields this form does not edit (runningA, minTempC, adsorbentDays, videoUrl): kept as they were. */
  kept: Partial<Facility>;
}

export const emptyFacilityDraft = (enterpriseId: string): FacilityDraft => ({
  id: '',
  enterpriseId,
  kind: 'production-line',
  name: '',
  outletMns: [],
  serves: '',
  technology: '',
  meterNo: '',
  ratedKw: '',
  runningKw: '',
  mn: '',
  channel: '',
  kept: {},
});

const KEPT = ['runningA', 'minTempC', 'adsorbentDays', 'videoUrl'] as const;

export const facilityDraftOf = (f: Facility): FacilityDraft => ({
  ...emptyFacilityDraft(f.enterpriseId),
  mn: f.mn ?? '',
  channel: f.channel ?? '',
  kept: Object.fromEntries(KEPT.filter((k) => f[k] !== undefined).map((k) => [k, f[k]])),
  id: f.id,
  kind: f.kind,
  name: f.name,
  outletMns: [...(f.outletMns ?? [])],
  serves: f.serves ?? '',
  technology: f.technology ?? '',
  meterNo: f.meterNo ?? '',
  ratedKw: f.ratedKw === undefined ? '' : String(f.ratedKw),
  runningKw: f.runningKw === undefined ? '' : String(f.runningKw),
});

/**
 * The facility the draft describes: technology only for treatment, meter number and rated power only
 * for a power meter; any kind may name the logger and channel of its signals and its running power
 * (a kitchen's fan and purifier on the kitchen's own logger).
 */
export function toFacility(d: FacilityDraft): Facility {
  const rated = numOf(d.ratedKw);
  const running = numOf(d.runningKw);
  const signals = d.mn !== '' || d.channel.trim() !== '';
  return {
    ...d.kept,
    id: d.id.trim(),
    enterpriseId: d.enterpriseId,
    kind: d.kind,
    name: d.name.trim(),
    ...(d.outletMns.length ? { outletMns: d.outletMns } : {}),
    ...(d.serves ? { serves: d.serves } : {}),
    ...(d.kind === 'treatment' && d.technology.trim() ? { technology: d.technology.trim() } : {}),
    ...(d.kind === 'power-meter' && d.meterNo.trim() ? { meterNo: d.meterNo.trim() } : {}),
    ...(d.kind === 'power-meter' && rated !== undefined ? { ratedKw: rated } : {}),
    ...(running !== undefined ? { runningKw: running } : {}),
    ...(signals ? { mn: d.mn, channel: d.channel.trim() } : {}),
  };
}

const shape = facilitySchema.shape;

export function validateFacility(d: FacilityDraft): FormErrors {
  const e: FormErrors = {};
  if (!d.id.trim()) e['id'] = 'required';
  else if (!shape.id.safeParse(d.id.trim()).success) e['id'] = 'idFormat';
  if (!d.name.trim()) e['name'] = 'required';
  if (d.serves && d.serves === d.id.trim()) e['serves'] = 'invalid';
  if (d.kind === 'power-meter' && d.ratedKw.trim() && !shape.ratedKw.safeParse(numOf(d.ratedKw)).success) e['ratedKw'] = 'positive';
  if (d.runningKw.trim() && !shape.runningKw.safeParse(numOf(d.runningKw)).success) e['runningKw'] = 'nonNegative';
  if (d.mn !== '' && !CHANNEL_PATTERN.test(d.channel.trim())) e['channel'] = 'channel';
  if (d.mn === '' && d.channel.trim() !== '') e['mn'] = 'required';
  if (Object.keys(e).length === 0 && !facilitySchema.safeParse(toFacility(d)).success) e['form'] = 'invalid';
  return e;
}
