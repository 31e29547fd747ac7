/**
 * The registry over REST (issue 14): enterprises, their one-enterprise-one-file (一企一档) read,
 * sources (outlets and stations) with their generated logger credentials, and facilities. The
 * server scopes every answer to the caller (an enterprise user gets only its own file).
 */
import type { Enterprise, Facility, Source } from '@domain/registry';
import type { EnterpriseFile, EnterprisePatch, EnterpriseSummary, FacilityPatch, GradeEntry } from '@domain/registry-api';
import type { LoggerCredentials, SourceFile, SourcePatch } from '@domain/registry-api';
import type { SourceListItem, SourceListPage, SourceListParams } from '@domain/source-list';
import { isAnyObject, isItems } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;

export type { EnterpriseFile, EnterprisePatch, EnterpriseSummary, FacilityPatch, LoggerCredentials, SourceFile, SourcePatch };
export type { SourceListItem, SourceListPage, SourceListParams };
/** One change of the performance grade (the file's history). */
export type GradeChange = GradeEntry;
/** A source as it is created: the server generates the credentials. */
export type SourceInput = Omit<Source, 'pw' | 'mqttPassword'>;

/**
 * The PATCH from `before` to `after`: the fields that changed, and null for each optional field
 * the form cleared (the API clears a field given null). Equal fields are left out.
 */
export function patchBetween<T extends object>(before: T, after: T, identity: keyof T): Record<string, unknown> {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete(identity as string);
  const b = before as Obj;
  const a = after as Obj;
  const patch: Record<string, unknown> = {};
  for (const k of keys) {
    if (a[k] === undefined) {
      if (b[k] !== undefined) patch[k] = null;
    } else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) patch[k] = a[k];
  }
  return patch;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const isEnterprise = (v: unknown): v is Enterprise => isAnyObject(v) && isStr(v['id']) && isStr(v['name']) && isStr(v['district']);
export const isEnterpriseSummary = (v: unknown): v is EnterpriseSummary =>
  isEnterprise(v) && isNum((v as Obj)['sourceCount']) && isNum((v as Obj)['facilityCount']);
export const isSourceFile = (v: unknown): v is SourceFile =>
  isAnyObject(v) &&
  isStr(v['mn']) &&
  isStr(v['enterpriseId']) &&
  isStr(v['name']) &&
  isStr(v['kind']) &&
  isNum(v['lat']) &&
  isNum(v['lon']);
export const isFacility = (v: unknown): v is Facility =>
  isAnyObject(v) && isStr(v['id']) && isStr(v['enterpriseId']) && isStr(v['kind']) && isStr(v['name']);
const isGradeChange = (v: unknown): v is GradeChange => isAnyObject(v) && isStr(v['grade']) && isNum(v['from']) && isStr(v['by']);
export const isSourceListItem = (v: unknown): v is SourceListItem =>
  isSourceFile(v) &&
  isStr((v as Obj)['enterpriseName']) &&
  isStr((v as Obj)['districtName']) &&
  isNum((v as Obj)['limitsCount']) &&
  isStr((v as Obj)['onboardingState']);
export const isSourceListPage = (v: unknown): v is SourceListPage =>
  isAnyObject(v) &&
  Array.isArray(v['items']) &&
  v['items'].every(isSourceListItem) &&
  isNum(v['total']) &&
  isNum(v['page']) &&
  isNum(v['pageSize']);
const isCredentials = (v: unknown): v is LoggerCredentials => isAnyObject(v) && isStr(v['pw']) && isStr(v['mqttPassword']);

export const isEnterpriseFile = (v: unknown): v is EnterpriseFile =>
  isAnyObject(v) &&
  isEnterprise(v['enterprise']) &&
  Array.isArray(v['sources']) &&
  v['sources'].every(isSourceFile) &&
  Array.isArray(v['facilities']) &&
  v['facilities'].every(isFacility) &&
  Array.isArray(v['gradeHistory']) &&
  v['gradeHistory'].every(isGradeChange);

const enterprisePath = (id: string): string => `/api/enterprises/${encodeURIComponent(id)}`;
const sourcePath = (mn: string): string => `/api/sources/${encodeURIComponent(mn)}`;
const facilityPath = (id: string): string => `/api/facilities/${encodeURIComponent(id)}`;
const isEnterpriseAnswer = (v: unknown): v is { enterprise: Enterprise } => isAnyObject(v) && isEnterprise(v['enterprise']);
const isSourceAnswer = (v: unknown): v is { source: SourceFile } => isAnyObject(v) && isSourceFile(v['source']);
const isCreatedSource = (v: unknown): v is { source: SourceFile; credentials: LoggerCredentials } =>
  isSourceAnswer(v) && isCredentials((v as Obj)['credentials']);
const isCredentialsAnswer = (v: unknown): v is { credentials: LoggerCredentials } => isAnyObject(v) && isCredentials(v['credentials']);
const isFacilityAnswer = (v: unknown): v is { facility: Facility } => isAnyObject(v) && isFacility(v['facility']);

export async function fetchEnterprises(fetchFn: Fetch = fetch): Promise<EnterpriseSummary[]> {
  return (await requestJson('GET', '/api/enterprises', isItems(isEnterpriseSummary), undefined, fetchFn)).items;
}

export function fetchEnterpriseFile(id: string, fetchFn: Fetch = fetch): Promise<EnterpriseFile> {
  return requestJson('GET', enterprisePath(id), isEnterpriseFile, undefined, fetchFn);
}

export async function createEnterprise(e: Enterprise, fetchFn: Fetch = fetch): Promise<Enterprise> {
  return (await requestJson('POST', '/api/enterprises', isEnterpriseAnswer, e, fetchFn)).enterprise;
}

export async function updateEnterprise(id: string, patch: EnterprisePatch, fetchFn: Fetch = fetch): Promise<Enterprise> {
  return (await requestJson('PATCH', enterprisePath(id), isEnterpriseAnswer, patch, fetchFn)).enterprise;
}

export async function deleteEnterprise(id: string, fetchFn: Fetch = fetch): Promise<void> {
  await requestJson('DELETE', enterprisePath(id), isAnyObject, undefined, fetchFn);
}

export function createSource(s: SourceInput, fetchFn: Fetch = fetch): Promise<{ source: SourceFile; credentials: LoggerCredentials }> {
  return requestJson('POST', '/api/sources', isCreatedSource, s, fetchFn);
}

export async function updateSource(mn: string, patch: SourcePatch, fetchFn: Fetch = fetch): Promise<SourceFile> {
  return (await requestJson('PATCH', sourcePath(mn), isSourceAnswer, patch, fetchFn)).source;
}

/** New HJ 212 PW and MQTT password for the source's logger; the old ones stop working at once. */
export async function rotateCredentials(mn: string, fetchFn: Fetch = fetch): Promise<LoggerCredentials> {
  return (await requestJson('POST', `${sourcePath(mn)}/credentials`, isCredentialsAnswer, {}, fetchFn)).credentials;
}

export async function deleteSource(mn: string, fetchFn: Fetch = fetch): Promise<void> {
  await requestJson('DELETE', sourcePath(mn), isAnyObject, undefined, fetchFn);
}

/** One page of the registry's sources, filtered, sorted and paged by the server (blank parameters left out). */
export function fetchSourcePage(params: SourceListParams, fetchFn: Fetch = fetch): Promise<SourceListPage> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return requestJson('GET', `/api/registry/sources?${q}`, isSourceListPage, undefined, fetchFn);
}

export async function fetchFacilities(enterpriseId: string, fetchFn: Fetch = fetch): Promise<Facility[]> {
  const q = new URLSearchParams({ enterpriseId });
  return (await requestJson('GET', `/api/facilities?${q}`, isItems(isFacility), undefined, fetchFn)).items;
}

export async function createFacility(f: Facility, fetchFn: Fetch = fetch): Promise<Facility> {
  return (await requestJson('POST', '/api/facilities', isFacilityAnswer, f, fetchFn)).facility;
}

export async function updateFacility(id: string, patch: FacilityPatch, fetchFn: Fetch = fetch): Promise<Facility> {
  return (await requestJson('PATCH', facilityPath(id), isFacilityAnswer, patch, fetchFn)).facility;
}

export async function deleteFacility(id: string, fetchFn: Fetch = fetch): Promise<void> {
  await requestJson('DELETE', facilityPath(id), isAnyObject, undefined, fetchFn);
}
