/**
 * One record added, changed or removed: pure functions from a registry snapshot to the next one,
 * refusing what would leave a dangling reference (409 in_use), a duplicate (409) or an unknown
 * record (404). Field-level validity is the domain schemas'; cross-record validity (unknown
 * enterprise, an inlet of another enterprise…) is checked on the whole registry when applied.
 */
import { z } from 'zod';
import { enterpriseSchema, facilitySchema, registrySchema, sourceSchema } from '../domain/registry';
import type { Enterprise, Facility, Registry, Source } from '../domain/registry';
import { RegistryError } from './registry-errors';

export type RecordKind = 'enterprises' | 'sources' | 'facilities';
type RecordOf<K extends RecordKind> = K extends 'enterprises' ? Enterprise : K extends 'sources' ? Source : Facility;

const KEY: { [K in RecordKind]: (r: RecordOf<K>) => string } = {
  enterprises: (e) => e.id,
  sources: (s) => s.mn,
  facilities: (f) => f.id,
};
const NOUN: Record<RecordKind, string> = { enterprises: 'enterprise', sources: 'source', facilities: 'facility' };
const SCHEMA = { enterprises: enterpriseSchema, sources: sourceSchema, facilities: facilitySchema } as const;

const listOf = <K extends RecordKind>(reg: Registry, kind: K): RecordOf<K>[] =>
  (kind === 'facilities' ? (reg.facilities ?? []) : reg[kind]) as RecordOf<K>[];

/** The record, or a 404. */
export function recordOf<K extends RecordKind>(reg: Registry, kind: K, key: string): RecordOf<K> {
  const found = listOf(reg, kind).find((r) => KEY[kind](r) === key);
  if (!found) throw new RegistryError('not_found', `${NOUN[kind]} "${key}" is not registered`);
  return found;
}

/** A PATCH on a record: absent fields stay, `null` clears one; the result is validated by the record's schema. */
export function patched<K extends RecordKind>(kind: K, record: RecordOf<K>, patch: Record<string, unknown>): RecordOf<K> {
  const next: Record<string, unknown> = { ...record };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return SCHEMA[kind].parse(next) as RecordOf<K>;
}

export function withAdded<K extends RecordKind>(reg: Registry, kind: K, record: RecordOf<K>): Registry {
  const key = KEY[kind](record);
  if (listOf(reg, kind).some((r) => KEY[kind](r) === key)) {
    throw new RegistryError('duplicate', `${NOUN[kind]} "${key}" is already registered`);
  }
  return { ...reg, [kind]: [...listOf(reg, kind), record] };
}

export function withReplaced<K extends RecordKind>(reg: Registry, kind: K, key: string, record: RecordOf<K>): Registry {
  recordOf(reg, kind, key);
  return { ...reg, [kind]: listOf(reg, kind).map((r) => (KEY[kind](r) === key ? record : r)) };
}

/** Without the record; 409 while anything still refers to it. */
export function withRemoved(reg: Registry, kind: RecordKind, key: string): Registry {
  recordOf(reg, kind, key);
  const users = referencesTo(reg, kind, key);
  if (users.length > 0) throw new RegistryError('in_use', `${NOUN[kind]} "${key}" is still referred to by ${users.join(', ')}`);
  return { ...reg, [kind]: listOf(reg, kind).filter((r) => KEY[kind](r as never) !== key) };
}

/** What refers to a record: an enterprise's sources and facilities, an outlet's inlet, a facility's outlets, a facility served. */
function referencesTo(reg: Registry, kind: RecordKind, key: string): string[] {
  const facilities = reg.facilities ?? [];
  if (kind === 'enterprises') {
    return [
      ...reg.sources.filter((s) => s.enterpriseId === key).map((s) => `source ${s.mn}`),
      ...facilities.filter((f) => f.enterpriseId === key).map((f) => `facility ${f.id}`),
    ];
  }
  if (kind === 'sources') {
    return [
      ...reg.sources.filter((s) => s.inletMn === key).map((s) => `source ${s.mn} (inletMn)`),
      ...facilities.filter((f) => f.outletMns?.includes(key)).map((f) => `facility ${f.id} (outletMns)`),
    ];
  }
  return facilities.filter((f) => f.serves === key).map((f) => `facility ${f.id} (serves)`);
}

/**
 * The whole registry validated; a problem of the edited record is reported on its own fields
 * (`inletMn`, not `sources.12.inletMn`), others with their full path.
 */
export function validRegistry(next: Registry, edited?: { kind: RecordKind; key: string }): Registry {
  const parsed = registrySchema.safeParse(next);
  if (parsed.success) return parsed.data;
  const keyOf = (r: unknown): string => (KEY[edited?.kind ?? 'enterprises'] as (r: unknown) => string)(r);
  const index = edited ? (listOf(next, edited.kind) as unknown[]).findIndex((r) => keyOf(r) === edited.key) : -1;
  const issues = parsed.error.issues.map((i) =>
    edited && i.path[0] === edited.kind && i.path[1] === index ? { ...i, path: i.path.slice(2) } : i,
  );
  throw new z.ZodError(issues);
}
