/**
 * The audit trail's shapes shared by the server and the dashboard's audit viewer: one record as
 * GET /api/audit answers it, and the registry's audit actions (server/registry writes them).
 */
import type { Role } from './principal';

/** One record of the audit trail (server/auth/audit-log.ts). */
export interface AuditRecord {
  id: number;
  at: number;
  userId: number | null;
  username: string | null;
  role: Role | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

/** Every registry audit action. Targets: `enterprise:<id>`, `source:<mn>`, `facility:<id>`, `registry`. */
export const REGISTRY_AUDIT_ACTIONS = [
  'registry.seeded',
  'registry.reseeded',
  'registry.enterprise_created',
  'registry.enterprise_updated',
  'registry.enterprise_deleted',
  'registry.grade_changed',
  'registry.source_created',
  'registry.source_updated',
  'registry.source_deleted',
  'registry.credentials_rotated',
  'registry.facility_created',
  'registry.facility_updated',
  'registry.facility_deleted',
  'registry.import_applied',
  'registry.credentials_exported',
] as const;
export type RegistryAuditAction = (typeof REGISTRY_AUDIT_ACTIONS)[number];
