/** An enterprise's working-condition strip (issue 16): GET /api/enterprises/:id/working-condition. */
import type { WorkingConditionStrip } from '@domain/working-condition-strip';
import { isWorkingConditionStrip } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export interface StripQuery {
  from: number;
  to: number;
  /** One source's part of the strip. */
  mn?: string;
}

export async function fetchWorkingCondition(enterpriseId: string, q: StripQuery, fetchFn: Fetch = fetch): Promise<WorkingConditionStrip> {
  const query = new URLSearchParams({ from: String(q.from), to: String(q.to), ...(q.mn ? { mn: q.mn } : {}) });
  return requestJson(
    'GET',
    `/api/enterprises/${encodeURIComponent(enterpriseId)}/working-condition?${query}`,
    isWorkingConditionStrip,
    undefined,
    fetchFn,
  );
}
