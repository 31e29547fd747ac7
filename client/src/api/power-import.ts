/**
 * Power-data import (server/http/power-import-router.ts; issue 16): the grid company's file goes up
 * as it is (XLSX or CSV), a dry run first; the answer names the meters matched and every refused row
 * with a code (the dialog words it) and the server's Chinese reason.
 */
import { requestWithFile } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export interface PowerMeter {
  meterNo: string;
  facilityId: string;
  facilityName: string;
  enterpriseId: string;
  mn: string;
  code: string;
  rows: number;
}
export interface PowerRowError {
  row: number;
  code: string;
  reason: string;
  meterNo?: string;
}
export interface PowerImportResult {
  dryRun: boolean;
  applied: boolean;
  rows: number;
  accepted: number;
  meters: PowerMeter[];
  unknownMeters: string[];
  intervals: number;
  /** Epoch ms of the first and last interval start (null when none). */
  from: number | null;
  to: number | null;
  duplicates: number;
  errors: PowerRowError[];
  errorsTotal: number;
  written: number;
  /** Once applied: the import's id (in the alerts' evidence and the audit) and the alerts its intervals raised. */
  importId?: string;
  raised?: number;
}

const isMeter = (v: unknown): v is PowerMeter =>
  isObj(v) && ['meterNo', 'facilityId', 'facilityName', 'enterpriseId', 'mn', 'code'].every((k) => isStr(v[k])) && isNum(v['rows']);
const isRowError = (v: unknown): v is PowerRowError =>
  isObj(v) && isNum(v['row']) && isStr(v['code']) && isStr(v['reason']) && (v['meterNo'] === undefined || isStr(v['meterNo']));
const isNumOrNull = (v: unknown) => v === null || isNum(v);

export function isPowerImportResult(v: unknown): v is PowerImportResult {
  if (!isObj(v) || typeof v['dryRun'] !== 'boolean' || typeof v['applied'] !== 'boolean') return false;
  if (!['rows', 'accepted', 'intervals', 'duplicates', 'errorsTotal', 'written'].every((k) => isNum(v[k]))) return false;
  if (!isNumOrNull(v['from']) || !isNumOrNull(v['to'])) return false;
  if ((v['raised'] !== undefined && !isNum(v['raised'])) || (v['importId'] !== undefined && !isStr(v['importId']))) return false;
  if (!Array.isArray(v['unknownMeters']) || !v['unknownMeters'].every(isStr)) return false;
  return Array.isArray(v['meters']) && v['meters'].every(isMeter) && Array.isArray(v['errors']) && v['errors'].every(isRowError);
}

export function importPowerFile(file: Blob, type: string, dryRun: boolean, fetchFn?: Fetch): Promise<PowerImportResult> {
  return requestWithFile('POST', `/api/power-imports?dryRun=${dryRun}`, isPowerImportResult, type, file, fetchFn);
}
