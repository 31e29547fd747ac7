/**
 * The audit trail's vocabulary and shapes, shared by the server and the dashboard's audit viewer:
 * every action the product records (one tuple; server/auth/audit-log.ts accepts only these, the
 * viewer has words for each), and one record as GET /api/audit answers it.
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

/** Every registry audit action (server/registry). Targets: `enterprise:<id>`, `source:<mn>`, `facility:<id>`, `registry`. */
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

/** Sign-in and user administration (server/auth: the auth and users routers). Targets: `user:<id>`. */
export const ACCOUNT_AUDIT_ACTIONS = [
  'user_created',
  'user_updated',
  'role_changed',
  'user_disabled',
  'user_enabled',
  'password_reset',
  'password_changed',
  'password_change_required',
  'password_change_waived',
  'login',
  'login_failed',
  'login_locked',
  'logout',
] as const;

/**
 * A state-changing API request, named by its method and path (server/auth/audit-trail.ts);
 * `api_change` is one the table does not name. Target: the request's path.
 */
export const REQUEST_AUDIT_ACTIONS = [
  'alert_acknowledged',
  'alerts_acknowledged',
  'alert_assigned',
  'alert_commented',
  'alert_resolved',
  'alert_silenced',
  'silence_created',
  'silence_changed',
  'silence_ended',
  'maintenance_declared',
  'maintenance_changed',
  'maintenance_ended',
  'maintenance_approved',
  'maintenance_rejected',
  'rule_pack_changed',
  'rule_pack_reset',
  'rule_override_changed',
  'rule_override_removed',
  'campaign_created',
  'campaign_activated',
  'campaign_acknowledged',
  'campaign_ended',
  'campaign_cancelled',
  'forecast_recorded',
  'warning_issued',
  'warning_changed',
  'warning_lifted',
  'warning_cancelled',
  'warning_acknowledged',
  'prenotice_issued',
  'prenotice_acknowledged',
  'response_acknowledged',
  'comparison_recorded',
  'api_change',
] as const;
export type RequestAuditAction = (typeof REQUEST_AUDIT_ACTIONS)[number];

/** Notification target administration (server/alerts/notify-targets.ts). Target: `notify-target:<id>`. */
export const NOTIFY_AUDIT_ACTIONS = [
  'notify.targets_seeded',
  'notify.target_created',
  'notify.target_updated',
  'notify.target_deleted',
  'notify.target_tested',
] as const;
export type NotifyAuditAction = (typeof NOTIFY_AUDIT_ACTIONS)[number];

/**
 * Who gets what (issue 21; server/alerts/duty.ts): shifts of the duty roster (target `shift:<id>`),
 * the escalation chain (`escalation`), a user's contacts and subscription (`user:<username>`; by an
 * administrator or by the user).
 */
export const DUTY_AUDIT_ACTIONS = [
  'duty.shift_created',
  'duty.shift_updated',
  'duty.shift_deleted',
  'duty.escalation_changed',
  'duty.settings_changed',
] as const;
export type DutyAuditAction = (typeof DUTY_AUDIT_ACTIONS)[number];

/**
 * Rectification cases (issue 19 item 3; server/cases): created, each transition, attachments added,
 * refused (with the reason) or deleted, the overdue mark the server sets (actor `system`), and each
 * download of the case's evidence package (with the files and rows it held). Target: `case:<id>`.
 */
export const CASE_AUDIT_ACTIONS = [
  'case.created',
  'case.submitted',
  'case.accepted',
  'case.closed',
  'case.returned',
  'case.reassigned',
  'case.attachment_added',
  'case.attachment_refused',
  'case.attachment_deleted',
  'case.overdue',
  'case.evidence_exported',
] as const;
export type CaseAuditAction = (typeof CASE_AUDIT_ACTIONS)[number];

/**
 * API tokens for machines (server/auth/api-tokens.ts). Target: `api-token:<id>`. A refused use of a
 * real token (revoked, expired, its creator changed, a read token changing state, the first refusal
 * of a burst) is `api_token.refused` with the reason; an unknown token is counted, not audited.
 */
export const API_TOKEN_AUDIT_ACTIONS = ['api_token.created', 'api_token.revoked', 'api_token.refused'] as const;
export type ApiTokenAuditAction = (typeof API_TOKEN_AUDIT_ACTIONS)[number];

/**
 * Facility records (issue 16 item 2; server/records): an adsorbent replacement logged (target
 * `facility:<id>`), a year's start/stop plan filed or changed (target `enterprise:<id>`), by the
 * enterprise for itself or by an officer.
 */
export const FACILITY_RECORD_AUDIT_ACTIONS = ['records.adsorbent_logged', 'records.plan_filed', 'records.plan_changed'] as const;
export type FacilityRecordAuditAction = (typeof FACILITY_RECORD_AUDIT_ACTIONS)[number];
/** Power data imported (server/http/power-import-router.ts; issue 16). Target: `power-import`. A dry run is not audited. */
export const POWER_AUDIT_ACTIONS = ['power.import_applied'] as const;
/**
 * Emission-reduction lists (issue 18; server/reductions): a list filed (by hand or from the bureau's
 * workbook: detail `via`) and the enterprise's acknowledgement (已阅知), target `enterprise:<id>`; a
 * grade downgrade proposed after repeated failures to carry out measures (actor `system`), confirmed
 * (the grade change itself is `registry.grade_changed`) or dismissed by an officer, target
 * `grade-proposal:<id>`.
 */
export const REDUCTION_AUDIT_ACTIONS = [
  'reductions.list_filed',
  'reductions.list_acknowledged',
  'reductions.downgrade_proposed',
  'reductions.downgrade_confirmed',
  'reductions.downgrade_dismissed',
] as const;

/** Every action the audit trail records: nothing else is written. */
export const AUDIT_ACTIONS = [
  ...REGISTRY_AUDIT_ACTIONS,
  ...POWER_AUDIT_ACTIONS,
  ...REDUCTION_AUDIT_ACTIONS,
  ...NOTIFY_AUDIT_ACTIONS,
  ...DUTY_AUDIT_ACTIONS,
  ...FACILITY_RECORD_AUDIT_ACTIONS,
  ...CASE_AUDIT_ACTIONS,
  ...ACCOUNT_AUDIT_ACTIONS,
  ...API_TOKEN_AUDIT_ACTIONS,
  ...REQUEST_AUDIT_ACTIONS,
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an action looks like (`snake_case`, `.` for a module's own): the audit query accepts any such name. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z0-9_.:]{1,63}$/;

const KNOWN = new Set<string>(AUDIT_ACTIONS);
export const isAuditAction = (s: string): s is AuditAction => KNOWN.has(s);
