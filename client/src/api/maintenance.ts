/** Maintenance / stop-production windows over REST. */
import type { MaintenanceWindow } from '@domain/alert';
import { isItems, isMaintenanceEvent, isMaintenanceWindow } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

/** Windows that cover now (current) or every recent one, pending first, then newest; the server scopes them to the caller. */
export async function fetchMaintenance(current: boolean, fetchFn: Fetch = fetch): Promise<MaintenanceWindow[]> {
  const q = current ? '?current=true' : '?limit=100';
  return (await requestJson('GET', `/api/maintenance${q}`, isItems(isMaintenanceWindow), undefined, fetchFn)).items;
}

export interface MaintenanceRequest {
  /** One source, or (without mn) the whole enterprise. */
  mn?: string;
  enterpriseId?: string;
  from: number;
  to: number;
  reason: string;
}

/** `{window}` as the maintenance actions answer (the same shape as the socket event). */
const isWindowAnswer = isMaintenanceEvent;

export async function declareMaintenance(req: MaintenanceRequest, fetchFn: Fetch = fetch): Promise<MaintenanceWindow> {
  return (await requestJson('POST', '/api/maintenance', isWindowAnswer, req, fetchFn)).window;
}

/** An officer approves a pending window (note: shown to the enterprise). */
export async function approveMaintenance(id: number, note: string | undefined, fetchFn: Fetch = fetch): Promise<MaintenanceWindow> {
  const body = note ? { note } : {};
  return (await requestJson('POST', `/api/maintenance/${id}/approve`, isWindowAnswer, body, fetchFn)).window;
}

/** An officer rejects a window, with the reason the enterprise sees. */
export async function rejectMaintenance(id: number, reason: string, fetchFn: Fetch = fetch): Promise<MaintenanceWindow> {
  return (await requestJson('POST', `/api/maintenance/${id}/reject`, isWindowAnswer, { reason }, fetchFn)).window;
}

export async function endMaintenance(id: number, fetchFn: Fetch = fetch): Promise<MaintenanceWindow> {
  return (await requestJson('DELETE', `/api/maintenance/${id}`, isWindowAnswer, undefined, fetchFn)).window;
}
