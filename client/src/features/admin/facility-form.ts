/** The facility form: draft ↔ Facility and its rules, from the domain schema (server/domain/registry.ts). */
import { facilitySchema, type Facility, type FacilityKind } from '@domain/registry';
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
});

export const facilityDraftOf = (f: Facility): FacilityDraft => ({
  ...emptyFacilityDraft(f.enterpriseId),
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

/** The facility the draft describes: technology only for treatment, meter fields only for a power meter. */
export function toFacility(d: FacilityDraft): Facility {
  const rated = numOf(d.ratedKw);
  const running = numOf(d.runningKw);
  return {
    id: d.id.trim(),
    enterpriseId: d.enterpriseId,
    kind: d.kind,
    name: d.name.trim(),
    ...(d.outletMns.length ? { outletMns: d.outletMns } : {}),
    ...(d.serves ? { serves: d.serves } : {}),
    ...(d.kind === 'treatment' && d.technology.trim() ? { technology: d.technology.trim() } : {}),
    ...(d.kind === 'power-meter' && d.meterNo.trim() ? { meterNo: d.meterNo.trim() } : {}),
    ...(d.kind === 'power-meter' && rated !== undefined ? { ratedKw: rated } : {}),
    ...(d.kind === 'power-meter' && running !== undefined ? { runningKw: running } : {}),
  };
}

const shape = facilitySchema.shape;

export function validateFacility(d: FacilityDraft): FormErrors {
  const e: FormErrors = {};
  if (!d.id.trim()) e['id'] = 'required';
  else if (!shape.id.safeParse(d.id.trim()).success) e['id'] = 'idFormat';
  if (!d.name.trim()) e['name'] = 'required';
  if (d.serves && d.serves === d.id.trim()) e['serves'] = 'invalid';
  if (d.kind === 'power-meter') {
    if (d.ratedKw.trim() && !shape.ratedKw.safeParse(numOf(d.ratedKw)).success) e['ratedKw'] = 'positive';
    if (d.runningKw.trim() && !shape.runningKw.safeParse(numOf(d.runningKw)).success) e['runningKw'] = 'nonNegative';
  }
  if (Object.keys(e).length === 0 && !facilitySchema.safeParse(toFacility(d)).success) e['form'] = 'invalid';
  return e;
}
