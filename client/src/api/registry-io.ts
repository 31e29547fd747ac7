/**
 * Bulk registry import and export (server/http/registry-io-router.ts): the file goes up as it is
 * (XLSX or CSV), a dry run first; the answer names every refused row. Export is a download link.
 */
import { requestWithFile } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export interface Tally {
  added: number;
  changed: number;
  unchanged: number;
}
export interface RefusedRow {
  sheet: string;
  row: number;
  column?: string;
  reason: string;
}
export interface IssuedCredentials {
  mn: string;
  enterpriseId: string;
  name: string;
  pw: string;
  mqttPassword: string;
}
export interface ImportResult {
  dryRun: boolean;
  applied: boolean;
  summary: { enterprises: Tally; sources: Tally; facilities: Tally };
  refused: RefusedRow[];
  refusedTotal: number;
  blocked?: string;
  credentials?: IssuedCredentials[];
}

const isTally = (v: unknown): v is Tally => isObj(v) && isNum(v['added']) && isNum(v['changed']) && isNum(v['unchanged']);
const isRefused = (v: unknown): v is RefusedRow =>
  isObj(v) && isStr(v['sheet']) && isNum(v['row']) && isStr(v['reason']) && (v['column'] === undefined || isStr(v['column']));
const isCredentials = (v: unknown): v is IssuedCredentials =>
  isObj(v) && ['mn', 'enterpriseId', 'name', 'pw', 'mqttPassword'].every((k) => isStr(v[k]));

export function isImportResult(v: unknown): v is ImportResult {
  if (!isObj(v) || typeof v['dryRun'] !== 'boolean' || typeof v['applied'] !== 'boolean' || !isNum(v['refusedTotal'])) return false;
  const s = v['summary'];
  if (!isObj(s) || !isTally(s['enterprises']) || !isTally(s['sources']) || !isTally(s['facilities'])) return false;
  if (!Array.isArray(v['refused']) || !v['refused'].every(isRefused)) return false;
  if (v['blocked'] !== undefined && !isStr(v['blocked'])) return false;
  return v['credentials'] === undefined || (Array.isArray(v['credentials']) && v['credentials'].every(isCredentials));
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content type to send a chosen file as (by its name; browsers label CSV inconsistently). */
export function importTypeOf(fileName: string): string | null {
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === 'xlsx' ? XLSX_TYPE : ext === 'csv' || ext === 'txt' ? 'text/csv' : null;
}

export function importRegistryFile(file: Blob, type: string, dryRun: boolean, fetchFn?: Fetch): Promise<ImportResult> {
  return requestWithFile('POST', `/api/registry/import?dryRun=${dryRun}`, isImportResult, type, file, fetchFn);
}

export const registryExportUrl = (format: 'xlsx' | 'yaml'): string => `/api/registry/export?format=${format}`;
