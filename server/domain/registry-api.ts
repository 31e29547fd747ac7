/**
 * The registry's REST contract (issue 14), shared by the server and the dashboard: request bodies
 * (the domain schemas, made partial for a PATCH) and answer shapes. A PATCH names only what
 * changes; `null` clears an optional field. Logger credentials are never read back: a source's
 * file has neither `pw` nor `mqttPassword`, and they are shown once when generated.
 */
import { z } from 'zod';
import { enterpriseSchema, facilitySchema, GRADES, sourceSchema } from './registry';
import type { Enterprise, Facility, Grade, Source } from './registry';

/** One change of an enterprise's performance grade. */
export interface GradeEntry {
  grade: Grade;
  /** In force from, epoch ms. */
  from: number;
  reason: string;
  /** Who changed it: a username, or `system`. */
  by: string;
}

/** A source as the API shows it: without its logger credentials. */
export type SourceFile = Omit<Source, 'pw' | 'mqttPassword'>;

/** A logger's credentials: its HJ 212 PW and its MQTT password (username: its MN). Shown once. */
export interface LoggerCredentials {
  pw: string;
  mqttPassword: string;
}

export type EnterpriseSummary = Enterprise & { sourceCount: number; facilityCount: number };

/** One enterprise, one file (一企一档). */
export interface EnterpriseFile {
  enterprise: Enterprise;
  sources: SourceFile[];
  facilities: Facility[];
  gradeHistory: GradeEntry[];
}

export const sourceFileOf = (s: Source): SourceFile => {
  const { pw: _pw, mqttPassword: _mqtt, ...file } = s;
  return file;
};

/** The PATCH form of an object schema: every field but `omit` optional, defaults dropped, optional ones clearable with null. */
function patchOf<S extends z.ZodRawShape>(shape: S, required: readonly string[]) {
  const fields = Object.entries(shape).map(([key, field]) => {
    const t = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType;
    return [key, required.includes(key) ? t.optional() : t.nullable().optional()] as const;
  });
  return z.object(Object.fromEntries(fields)).strict();
}

type Patch<T> = { [K in keyof T]?: T[K] | null };

export const newEnterpriseSchema = enterpriseSchema.strict();

const { id: _eid, ...enterpriseFields } = enterpriseSchema.shape;
export const enterprisePatchSchema = patchOf(enterpriseFields, ['name', 'district']).extend({
  /** Required when `grade` changes: why (kept in the grade history). */
  gradeReason: z.string().trim().min(1).max(500).optional(),
});
export type EnterprisePatch = Patch<Omit<Enterprise, 'id'>> & { gradeReason?: string };

export const gradeChangeSchema = z.object({ grade: z.enum(GRADES), reason: z.string().trim().min(1).max(500) }).strict();

export const newSourceSchema = sourceSchema.omit({ pw: true, mqttPassword: true }).strict();
export type NewSource = z.input<typeof newSourceSchema>;

const { mn: _mn, pw: _pw, mqttPassword: _mqtt, ...sourceFields } = sourceSchema.shape;
export const sourcePatchSchema = patchOf(sourceFields, ['enterpriseId', 'name', 'kind', 'lat', 'lon', 'position', 'intervalS', 'limits']);
export type SourcePatch = Patch<Omit<Source, 'mn' | 'pw' | 'mqttPassword'>>;

export const newFacilitySchema = facilitySchema;
const { id: _fid, ...facilityFields } = facilitySchema.shape;
export const facilityPatchSchema = patchOf(facilityFields, ['enterpriseId', 'kind', 'name']);
export type FacilityPatch = Patch<Omit<Facility, 'id'>>;
