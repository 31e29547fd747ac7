/**
 * What a REST route says about itself for the OpenAPI document (GET /api/openapi.json): given where
 * the route is registered, beside its permission (server/auth/route-access.ts `routes`):
 *
 *   r.get('/:id', 'alerts.read', { summary: { en: 'One alert', zh: '告警详情' }, response: alertDetailSchema }, handler);
 *
 * Method, path and permission come from the registration itself; the schemas are the zod schemas
 * the handler parses with (requests) and the answer shapes of server/domain/api-schemas.ts.
 */
import type { z } from 'zod';

export interface RouteDoc {
  readonly summary: { readonly en: string; readonly zh: string };
  /** More than the summary says: defaults, refusals, tenancy. */
  readonly description?: string;
  /** Path parameters by name (`:mn` → mnSchema); any not named here is a string. */
  readonly params?: Readonly<Record<string, z.ZodType>>;
  /** The query's zod object (possibly refined). */
  readonly query?: z.ZodType;
  /** A JSON body. */
  readonly body?: z.ZodType;
  /** A body other than JSON (an uploaded file, CSV): its content types and what it is. */
  readonly upload?: { readonly types: readonly string[]; readonly description: string };
  /** The success status: 200 unless given (201 created, 204 no content). */
  readonly status?: 200 | 201 | 204;
  /** The JSON answer (none with 204). */
  readonly response?: z.ZodType;
  /** Answers that are files rather than JSON (CSV, XLSX, YAML), by content type. */
  readonly files?: readonly string[];
  /** Refusals this route gives besides 400 (a bad request), 401 and 403 (access) and 404 (a path parameter names nothing). */
  readonly refusals?: readonly number[];
}
