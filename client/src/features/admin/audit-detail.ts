/**
 * An audit record's detail made readable: registry changes carry `{before, after}` with the touched
 * records per kind (`{enterprises, sources, facilities}`), a role change `{from, to}`; this lists
 * the fields that differ, each value put in words by the caller's
 * `Words` (the current language), never as a raw key or JSON. Credentials are masked by the server
 * and shown here only as "changed". Every audit action (server/domain/audit.ts) has its words here.
 */
import { AUDIT_ACTIONS, type AuditAction } from '@domain/audit';
import { NOTIFY_TARGET_KINDS } from '@domain/notify-target';

export interface FieldChange {
  /** Top-level field name (a key of `admin.field`). */
  field: string;
  before: unknown;
  after: unknown;
  /** The record's name when the change touched several (a facility and its enterprise…). */
  record?: string;
}

const KINDS = [
  ['enterprises', 'id'],
  ['sources', 'mn'],
  ['facilities', 'id'],
] as const;

/** Fields whose values are never shown, only that they changed. */
export const SECRET_FIELDS = new Set(['pw', 'mqttPassword', 'password', 'credentials']);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The before and after objects of a detail, or null when it has none. */
function sides(detail: Record<string, unknown> | null): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  if (!detail) return null;
  const pick = (a: string, b: string) =>
    a in detail || b in detail ? { before: isObj(detail[a]) ? detail[a] : {}, after: isObj(detail[b]) ? detail[b] : {} } : null;
  return pick('before', 'after') ?? pick('from', 'to');
}

function diffRecord(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.filter((k) => !same(before[k], after[k])).map((field) => ({ field, before: before[field], after: after[field] }));
}

const recordsOf = (side: Record<string, unknown>, kind: string): Record<string, unknown>[] =>
  Array.isArray(side[kind]) ? (side[kind] as unknown[]).filter(isObj) : [];

/** A registry change's records paired by id (MN for sources), each with the fields that differ. */
function registryChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const pairs = KINDS.flatMap(([kind, key]) => {
    const b = recordsOf(before, kind);
    const a = recordsOf(after, kind);
    const ids = [...new Set([...a, ...b].map((r) => String(r[key])))];
    return ids.map((id) => ({ b: b.find((r) => String(r[key]) === id) ?? {}, a: a.find((r) => String(r[key]) === id) ?? {} }));
  });
  return pairs.flatMap(({ b, a }) => {
    const name = a['name'] ?? b['name'];
    return diffRecord(b, a).map((c) => (pairs.length > 1 && typeof name === 'string' ? { ...c, record: name } : c));
  });
}

/** The fields a change touched, in the order the record has them (after's first, then removed ones). */
export function changedFields(detail: Record<string, unknown> | null): FieldChange[] {
  const s = sides(detail);
  if (!s) return [];
  if (KINDS.some(([kind]) => Array.isArray(s.before[kind]) || Array.isArray(s.after[kind]))) return registryChanges(s.before, s.after);
  return diffRecord(s.before, s.after);
}

/** The words a value is put in; every one comes from the locale or the domain catalog. */
export interface Words {
  none: string;
  yes: string;
  no: string;
  hidden: string;
  /** A label for a field or enum value by its locale key, or null when the locale has none. */
  label: (key: string) => string | null;
  factor: (code: string) => string;
  unit: (code: string) => string;
  kind: (kind: string) => string;
  grade: (grade: string) => string;
  /** An enterprise's name by its id (the id itself when unknown). */
  enterprise: (id: string) => string;
  limit: (l: { max?: number; min?: number }, unit: string) => string;
}

const ENUM_FIELDS: Record<string, string> = {
  position: 'admin.position',
  stationClass: 'admin.stationClass',
  ownerDepartment: 'admin.department',
  department: 'admin.department',
  earthworkPhase: 'admin.earthworkPhase',
  purifierType: 'admin.purifierType',
  role: 'auth.role',
  severity: 'severity',
  format: 'admin.notify.format',
  minSeverity: 'severity',
  dutyPosition: 'roster.position',
  channels: 'roster.channel',
};

const boundsOf = (l: unknown): { max?: number; min?: number } => (isObj(l) ? (l as { max?: number; min?: number }) : {});

function limitsText(v: unknown, w: Words): string {
  if (!isObj(v)) return w.none;
  const parts = Object.entries(v).map(([f, l]) => `${w.factor(f)} ${w.limit(boundsOf(l), w.unit(f))}`);
  return parts.length ? parts.join('；') : w.none;
}

function scheduleText(v: unknown, w: Words): string {
  if (!Array.isArray(v) || v.length === 0) return w.none;
  return v
    .filter(isObj)
    .map((d) => {
      const f = String(d['factor'] ?? '');
      const span = `${String(d['from'] ?? '…')} – ${String(d['until'] ?? '…')}`;
      return `${w.factor(f)} ${w.limit(boundsOf(d['limit']), w.unit(f))}（${span}）`;
    })
    .join('；');
}

/** One value of one field in words. */
export function describeValue(field: string, v: unknown, w: Words): string {
  if (v === undefined || v === null || v === '') return w.none;
  if (SECRET_FIELDS.has(field)) return w.hidden;
  if (field === 'enterpriseId' && typeof v === 'string') return w.enterprise(v);
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  if (field === 'kind' && (NOTIFY_TARGET_KINDS as readonly unknown[]).includes(v))
    return w.label(`admin.notify.kind.${String(v)}`) ?? w.none;
  if (field === 'kind' && typeof v === 'string') return w.kind(v);
  if (field === 'grade' && typeof v === 'string') return w.grade(v);
  if (field === 'limits') return limitsText(v, w);
  if (field === 'limitSchedule') return scheduleText(v, w);
  const enumKey = ENUM_FIELDS[field];
  if (enumKey && typeof v === 'string') return w.label(`${enumKey}.${v}`) ?? v;
  if (field === 'industry' && isObj(v)) return `${String(v['code'] ?? '')} ${String(v['name'] ?? '')}`.trim();
  if (field === 'capacity' && isObj(v)) return `${String(v['value'] ?? '')} ${String(v['unit'] ?? '')}`;
  if (field === 'bypass' && isObj(v)) return w.label(`admin.seal.${String(v['seal'])}`) ?? w.none;
  if (field === 'onboarding' && isObj(v)) return w.label(`admin.onboarding.${String(v['status'])}`) ?? w.none;
  if (field === 'contacts' && Array.isArray(v)) {
    const people = v.filter(isObj).map((c) => [c['name'], c['role'], c['phone']].filter((x) => typeof x === 'string').join(' '));
    return people.join('；') || w.none;
  }
  if (field === 'kinds' && Array.isArray(v)) return v.map((k) => w.kind(String(k))).join('、') || w.none;
  if (enumKey && Array.isArray(v)) return v.map((x) => w.label(`${enumKey}.${String(x)}`) ?? w.none).join('、') || w.none;
  if (Array.isArray(v)) {
    return (
      v
        .map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : ''))
        .filter(Boolean)
        .join('、') || w.none
    );
  }
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return w.label('admin.audit.complex') ?? w.none;
}

/** A field's label; a field the locale does not know reads "other field", never its key. */
export const fieldLabel = (field: string, w: Words): string => w.label(`admin.field.${field}`) ?? w.label('admin.field.other') ?? w.none;

/**
 * The kind of thing an audit target names (`enterprise:…`, `source:…`, `user:12`, `notify-target:…`,
 * `/api/alerts/3/…`); the type without hyphens.
 */
export function targetOf(target: string | null): { type: string; id: string } | null {
  if (!target) return null;
  if (target === 'notify-targets') return { type: 'notifytargets', id: '' };
  const m = /^([a-z][a-z-]*):(.+)$/.exec(target);
  if (m) return { type: (m[1] as string).replace(/-/g, ''), id: m[2] as string };
  const api = /^\/api\/([a-z-]+)(?:\/([^/]+))?/.exec(target);
  if (api) return { type: (api[1] as string).replace(/s$/, '').replace(/-/g, ''), id: api[2] ?? '' };
  return null;
}

/** Target kinds the viewer filters by (`<type>:<id>`). */
export const AUDIT_TARGET_TYPES = ['enterprise', 'source', 'facility', 'user'] as const;

/** An action's words: its key under `admin.audit.actions` (`registry.grade_changed` nests under `registry`). */
export const actionKey = (action: AuditAction): string => `admin.audit.actions.${action}`;

/**
 * Whether the viewer offers an action as a filter. Every action of the vocabulary is decided here:
 * one added to server/domain/audit.ts does not compile until it is (and needs words in both locales).
 */
const OFFERED_AS_FILTER: Record<AuditAction, boolean> = {
  'registry.seeded': false,
  'registry.reseeded': false,
  'registry.enterprise_created': true,
  'registry.enterprise_updated': true,
  'registry.enterprise_deleted': true,
  'registry.grade_changed': true,
  'registry.source_created': true,
  'registry.source_updated': true,
  'registry.source_deleted': true,
  'registry.credentials_rotated': true,
  'registry.facility_created': true,
  'registry.facility_updated': true,
  'registry.facility_deleted': true,
  'registry.import_applied': true,
  'registry.credentials_exported': true,
  'power.import_applied': true,
  'notify.targets_seeded': false,
  'notify.target_created': true,
  'notify.target_updated': true,
  'notify.target_deleted': true,
  'notify.target_tested': true,
  'duty.shift_created': true,
  'duty.shift_updated': true,
  'duty.shift_deleted': true,
  'duty.escalation_changed': true,
  'duty.settings_changed': true,
  'records.adsorbent_logged': true,
  'records.plan_filed': true,
  'records.plan_changed': true,
  'reductions.list_filed': true,
  'reductions.list_acknowledged': true,
  'reductions.downgrade_proposed': true,
  'reductions.downgrade_confirmed': true,
  'reductions.downgrade_dismissed': true,
  'case.created': true,
  'case.submitted': true,
  'case.accepted': true,
  'case.closed': true,
  'case.returned': true,
  'case.reassigned': false,
  'case.attachment_added': false,
  'case.attachment_refused': true,
  'case.attachment_deleted': true,
  'case.overdue': true,
  'case.evidence_exported': true,
  user_created: true,
  user_updated: true,
  role_changed: true,
  user_disabled: true,
  user_enabled: true,
  password_reset: true,
  password_changed: true,
  password_change_required: true,
  password_change_waived: true,
  login: true,
  login_failed: true,
  login_locked: false,
  logout: true,
  'api_token.created': true,
  'api_token.revoked': true,
  'api_token.refused': true,
  alert_acknowledged: true,
  alerts_acknowledged: false,
  alert_assigned: false,
  alert_commented: false,
  alert_resolved: true,
  alert_silenced: false,
  silence_created: true,
  silence_changed: false,
  silence_ended: false,
  maintenance_declared: true,
  maintenance_changed: false,
  maintenance_ended: false,
  maintenance_approved: true,
  maintenance_rejected: true,
  rule_pack_changed: true,
  rule_pack_reset: false,
  rule_override_changed: true,
  rule_override_removed: false,
  campaign_created: true,
  campaign_activated: true,
  campaign_acknowledged: false,
  campaign_ended: true,
  campaign_cancelled: false,
  forecast_recorded: false,
  warning_issued: true,
  warning_changed: true,
  warning_lifted: true,
  warning_cancelled: true,
  warning_acknowledged: false,
  prenotice_issued: true,
  prenotice_acknowledged: false,
  response_acknowledged: false,
  comparison_recorded: true,
  api_change: false,
};

/** Actions the viewer offers as a filter, in the vocabulary's order. */
export const AUDIT_ACTION_CODES: readonly AuditAction[] = AUDIT_ACTIONS.filter((a) => OFFERED_AS_FILTER[a]);
