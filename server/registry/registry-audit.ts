/**
 * What a registry change writes to the audit log: `detail: { before, after }` of the records it
 * touched, with logger credentials masked (HJ 212 PW, MQTT password: never in the audit log), and
 * bounded — a bulk change (an import of thousands of sources) keeps counts and the first ids only.
 */
import type { Registry } from '../domain/registry';
import type { RegistryChanged } from '../domain/registry-view';

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

const SECRET_KEYS = new Set(['pw', 'mqttPassword']);
export const MASK = '***';
/** Past this many touched records, the detail keeps counts and ids only. */
const MAX_DETAILED = 50;

/** A deep copy with every credential value (`pw`, `mqttPassword`, anything under `credentials`) replaced by `***`. */
export function maskCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskCredentials);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const secret = SECRET_KEYS.has(k) || k === 'credentials';
      return [k, secret ? (v === undefined ? v : MASK) : maskCredentials(v)];
    }),
  );
}

type Diff = Pick<RegistryChanged, 'enterprises' | 'sources' | 'facilities'>;

/** `{ before, after }` of the touched records per kind (masked), or counts and the first ids for a bulk change. */
export function changeDetail(prev: Registry, next: Registry, diff: Diff): Record<string, unknown> {
  const touched = [diff.enterprises, diff.sources, diff.facilities].reduce((n, d) => n + d.upserted.length + d.removed.length, 0);
  if (touched > MAX_DETAILED) {
    const sum = (d: Diff['sources']) => ({
      upserted: d.upserted.length,
      removed: d.removed.length,
      ids: [...d.upserted, ...d.removed].slice(0, 20),
    });
    return { bulk: true, enterprises: sum(diff.enterprises), sources: sum(diff.sources), facilities: sum(diff.facilities) };
  }
  const side = (reg: Registry) => {
    const ids = (d: Diff['sources']) => new Set([...d.upserted, ...d.removed]);
    const [e, s, f] = [ids(diff.enterprises), ids(diff.sources), ids(diff.facilities)];
    return maskCredentials({
      enterprises: reg.enterprises.filter((x) => e.has(x.id)),
      sources: reg.sources.filter((x) => s.has(x.mn)),
      facilities: (reg.facilities ?? []).filter((x) => f.has(x.id)),
    });
  };
  return { before: side(prev), after: side(next) };
}
