/**
 * The enterprise form's rules, checked as the user types, taken from the domain's zod schemas
 * (server/domain/registry.ts) so the form and the server agree; the server checks again. Errors
 * are message keys (`admin.error.<key>`), never zod's English text.
 */
import { creditCodeSchema, enterpriseSchema, type Enterprise, type Grade } from '@domain/registry';
import { patchBetween, type EnterprisePatch } from '../../api/registry';

export interface ContactDraft {
  name: string;
  role: string;
  phone: string;
}

export interface EnterpriseDraft {
  id: string;
  name: string;
  district: string;
  creditCode: string;
  industryCode: string;
  industryName: string;
  park: string;
  keyUnit: boolean;
  grade: Grade;
  /** Why the grade changed (required when it did). */
  gradeReason: string;
  omContractor: string;
  contacts: ContactDraft[];
}

/** Field → error key (`admin.error.<key>`); contact fields are `contacts.<i>.<name|phone>`. */
export type FormErrors = Record<string, string>;

export const emptyEnterpriseDraft = (): EnterpriseDraft => ({
  id: '',
  name: '',
  district: '',
  creditCode: '',
  industryCode: '',
  industryName: '',
  park: '',
  keyUnit: false,
  grade: 'ungraded',
  gradeReason: '',
  omContractor: '',
  contacts: [],
});

export function draftOf(e: Enterprise): EnterpriseDraft {
  return {
    id: e.id,
    name: e.name,
    district: e.district,
    creditCode: e.creditCode ?? '',
    industryCode: e.industry?.code ?? '',
    industryName: e.industry?.name ?? '',
    park: e.park ?? '',
    keyUnit: e.keyUnit ?? false,
    grade: e.grade ?? 'ungraded',
    gradeReason: '',
    omContractor: e.omContractor ?? '',
    contacts: (e.contacts ?? []).map((c) => ({ name: c.name, role: c.role ?? '', phone: c.phone ?? '' })),
  };
}

const opt = <K extends string>(key: K, v: string): Partial<Record<K, string>> =>
  v.trim() ? ({ [key]: v.trim() } as Record<K, string>) : {};

/** The enterprise the draft describes (empty optional fields left out). */
export function toEnterprise(d: EnterpriseDraft): Enterprise {
  const contacts = d.contacts
    .filter((c) => c.name.trim() || c.phone.trim() || c.role.trim())
    .map((c) => ({ name: c.name.trim(), ...opt('role', c.role), ...opt('phone', c.phone) }));
  const industry = { code: d.industryCode.trim().toUpperCase(), name: d.industryName.trim() };
  return {
    id: d.id.trim(),
    name: d.name.trim(),
    district: d.district.trim(),
    ...opt('creditCode', d.creditCode.toUpperCase()),
    ...(industry.code || industry.name ? { industry } : {}),
    ...opt('park', d.park),
    keyUnit: d.keyUnit,
    grade: d.grade,
    ...(contacts.length ? { contacts } : {}),
    ...opt('omContractor', d.omContractor),
  };
}

/**
 * The PATCH of an existing enterprise: only what changed (null clears a field), never its id; the
 * grade's grounds when the grade changed. No grade and "ungraded" are the same grade.
 */
export function toPatch(d: EnterpriseDraft, before: Enterprise): EnterprisePatch {
  const after = toEnterprise(d);
  const was = { ...before, grade: before.grade ?? 'ungraded', keyUnit: before.keyUnit ?? false };
  const patch = patchBetween<Enterprise>(was, after, 'id') as EnterprisePatch;
  return gradeChanged(d, before) ? { ...patch, gradeReason: d.gradeReason.trim() } : patch;
}

export const gradeChanged = (d: EnterpriseDraft, before: Enterprise | null): boolean =>
  before !== null && d.grade !== (before.grade ?? 'ungraded');

const contactSchema = enterpriseSchema.shape.contacts.unwrap().element;
const industryCodeSchema = enterpriseSchema.shape.industry.unwrap().shape.code;

/** What is wrong with the draft, per field. `before`: the enterprise being edited (null: a new one). */
export function validateEnterprise(d: EnterpriseDraft, before: Enterprise | null): FormErrors {
  const e: FormErrors = {};
  if (!d.id.trim()) e['id'] = 'required';
  else if (!enterpriseSchema.shape.id.safeParse(d.id.trim()).success) e['id'] = 'idFormat';
  if (!d.name.trim()) e['name'] = 'required';
  if (!d.district.trim()) e['district'] = 'required';
  if (d.creditCode.trim() && !creditCodeSchema.safeParse(d.creditCode.trim().toUpperCase()).success) e['creditCode'] = 'creditCode';
  if (d.industryCode.trim() || d.industryName.trim()) {
    if (!d.industryCode.trim()) e['industryCode'] = 'required';
    else if (!industryCodeSchema.safeParse(d.industryCode.trim().toUpperCase()).success) e['industryCode'] = 'industryCode';
    if (!d.industryName.trim()) e['industryName'] = 'required';
  }
  d.contacts.forEach((c, i) => {
    if (!(c.name.trim() || c.phone.trim() || c.role.trim())) return;
    if (!c.name.trim()) e[`contacts.${i}.name`] = 'required';
    if (c.phone.trim() && !contactSchema.shape.phone.safeParse(c.phone.trim()).success) e[`contacts.${i}.phone`] = 'phone';
  });
  if (gradeChanged(d, before) && !d.gradeReason.trim()) e['gradeReason'] = 'required';
  if (Object.keys(e).length === 0 && !enterpriseSchema.safeParse(toEnterprise(d)).success) e['form'] = 'invalid';
  return e;
}

/** The form field a server refusal names (`industry.code` → industryCode), or null. */
export function enterpriseFieldOf(path: readonly (string | number)[] | null): string | null {
  if (!path || path.length === 0) return null;
  const [head, next] = path;
  if (head === 'industry') return next === 'name' ? 'industryName' : 'industryCode';
  if (head === 'contacts' && typeof next === 'number') return `contacts.${next}.${String(path[2] ?? 'name')}`;
  return typeof head === 'string' ? head : null;
}
