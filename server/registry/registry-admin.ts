/**
 * Changes to the registry, one at a time: `apply` validates a whole new snapshot, saves only what
 * changed in one transaction (RegistryStore), writes the audit record (before → after, credentials
 * masked), then hands the snapshot to the live holder, which emits `registry:changed`. The
 * fine-grained operations the REST API offers (an enterprise, source or facility created, changed,
 * removed; credentials rotated; a grade changed with its reason) compute the next snapshot from the
 * current one and commit it the same way. Changes are serialised: each one starts from the last.
 */
import type { AuditInput } from '../auth/audit-log';
import { generateLoggerPassword } from '../domain/logger-password';
import type { Principal } from '../domain/principal';
import { enterpriseSchema, facilitySchema, sourceSchema } from '../domain/registry';
import type { Enterprise, Facility, Registry, Source } from '../domain/registry';
import type { EnterprisePatch, FacilityPatch, GradeEntry, LoggerCredentials, NewSource, SourcePatch } from '../domain/registry-api';
import { FROM_STORE, isEmptyChange, registryDiff, type RegistryChanged } from '../domain/registry-view';
import type { Logger } from '../logger';
import { RegistryVersionConflict, type RegistryStore } from '../storage/sql/registry-store';
import { changeDetail, maskCredentials, type RegistryAuditAction } from './registry-audit';
import { RegistryError } from './registry-errors';
import { patched, recordOf, validRegistry, withAdded, withRemoved, withReplaced, type RecordKind } from './registry-edits';
import type { RegistryHolder } from './registry-holder';

/** Who changes the registry: a signed-in user, or the system (seed, import by a script). */
export type RegistryActor = Principal | { username: 'system' };

/** Where audit records go (server/auth/audit-log.ts AuditLog). */
export interface AuditSink {
  /** Resolves once the record is written. */
  record(input: AuditInput): Promise<unknown>;
}

export interface ApplyOptions {
  /** The client address, for the audit record. */
  ip?: string | null;
  /** The audit target (default `registry`). */
  target?: string;
  /** Why an enterprise's grade changed, by id (default: the action). */
  gradeReasons?: Record<string, string>;
}

/** Credentials of a new logger (or rotated ones): an HJ 212 PW and an MQTT password of 24 characters each. */
export function generateCredentials(): LoggerCredentials {
  return { pw: generateLoggerPassword(), mqttPassword: generateLoggerPassword(24) };
}

const TARGET: Record<RecordKind, string> = { enterprises: 'enterprise', sources: 'source', facilities: 'facility' };

export class RegistryAdmin {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { store: RegistryStore; holder: RegistryHolder; audit: AuditSink; log: Logger; now: () => number }) {}

  /**
   * Persists `next` in one transaction, audits it (`detail` or the touched records before → after,
   * credentials masked), then swaps it into the live holder (emitting `registry:changed`).
   * Returns the change, or null when `next` changes nothing (nothing written, nothing audited).
   * Throws a ZodError for an invalid registry, RegistryError `version_conflict` when the store
   * moved under it (another process).
   */
  apply(
    next: Registry,
    actor: RegistryActor,
    action: RegistryAuditAction,
    detail?: Record<string, unknown>,
    opts: ApplyOptions = {},
  ): Promise<RegistryChanged | null> {
    return this.exclusive(() => this.commit(validRegistry(next), actor, action, detail, opts));
  }

  /**
   * Another process changed the stored registry (the cluster bus, issue 15): when the stored version
   * is past the one held, loads it and swaps it into the holder as `FROM_STORE` (emitting
   * `registry:changed`, so subscriptions, rule state and logger connections follow). Serialised
   * with this process's own changes; resolves the change, or null when there was none.
   */
  follow(): Promise<RegistryChanged | null> {
    return this.exclusive(async () => {
      const { store, holder, log } = this.deps;
      const version = await store.version();
      if (version === null || version <= holder.version()) return null;
      const stored = await store.load();
      if (!stored) return null;
      const change = holder.replace(stored.registry, FROM_STORE, stored.version);
      log.info({ version: stored.version, changed: change !== null }, 'registry changed by another process: read from the store');
      return change;
    });
  }

  /** An enterprise's grade changes, oldest first. */
  gradeHistory(enterpriseId: string): Promise<GradeEntry[]> {
    return this.deps.store.gradeHistory(enterpriseId);
  }

  createEnterprise(input: Enterprise, actor: RegistryActor, ip?: string | null): Promise<Enterprise> {
    const enterprise = enterpriseSchema.parse(input);
    const action = 'registry.enterprise_created';
    return this.edit('enterprises', enterprise.id, actor, ip, action, (reg) => [withAdded(reg, 'enterprises', enterprise), enterprise]);
  }

  /** `gradeReason` is required when the grade changes (400 grade_reason_required). */
  updateEnterprise(id: string, patch: EnterprisePatch, actor: RegistryActor, ip?: string | null): Promise<Enterprise> {
    const { gradeReason, ...fields } = patch;
    return this.edit('enterprises', id, actor, ip, 'registry.enterprise_updated', (reg) => {
      const before = recordOf(reg, 'enterprises', id);
      const after = patched('enterprises', before, fields);
      if ((before.grade ?? 'ungraded') !== (after.grade ?? 'ungraded') && !gradeReason) {
        throw new RegistryError('grade_reason_required', 'gradeReason: say why the grade changes (kept in the grade history)');
      }
      return [withReplaced(reg, 'enterprises', id, after), after, gradeReason];
    });
  }

  changeGrade(id: string, grade: Enterprise['grade'], reason: string, actor: RegistryActor, ip?: string | null): Promise<Enterprise> {
    return this.edit('enterprises', id, actor, ip, 'registry.grade_changed', (reg) => {
      const after = patched('enterprises', recordOf(reg, 'enterprises', id), { grade: grade ?? null });
      return [withReplaced(reg, 'enterprises', id, after), after, reason];
    });
  }

  /** 409 while it still has sources or facilities. */
  deleteEnterprise(id: string, actor: RegistryActor, ip?: string | null): Promise<void> {
    const action = 'registry.enterprise_deleted';
    return this.edit('enterprises', id, actor, ip, action, (reg) => [withRemoved(reg, 'enterprises', id), undefined]);
  }

  /** Registers a source with freshly generated logger credentials, returned once. */
  async createSource(
    input: NewSource,
    actor: RegistryActor,
    ip?: string | null,
  ): Promise<{ source: Source; credentials: LoggerCredentials }> {
    const credentials = generateCredentials();
    const source = sourceSchema.parse({ ...input, ...credentials });
    await this.edit('sources', source.mn, actor, ip, 'registry.source_created', (reg) => [withAdded(reg, 'sources', source), source]);
    return { source, credentials };
  }

  updateSource(mn: string, patch: SourcePatch, actor: RegistryActor, ip?: string | null): Promise<Source> {
    return this.edit('sources', mn, actor, ip, 'registry.source_updated', (reg) => {
      const after = patched('sources', recordOf(reg, 'sources', mn), patch as Record<string, unknown>);
      return [withReplaced(reg, 'sources', mn, after), after];
    });
  }

  /** New PW and MQTT password for the source's logger; the old ones stop working with the change. */
  async rotateCredentials(mn: string, actor: RegistryActor, ip?: string | null): Promise<LoggerCredentials> {
    const credentials = generateCredentials();
    await this.edit('sources', mn, actor, ip, 'registry.credentials_rotated', (reg) => {
      const after = { ...recordOf(reg, 'sources', mn), ...credentials };
      return [withReplaced(reg, 'sources', mn, after), after];
    });
    return credentials;
  }

  /** 409 while an outlet names it as its inlet or a facility lists it. */
  deleteSource(mn: string, actor: RegistryActor, ip?: string | null): Promise<void> {
    return this.edit('sources', mn, actor, ip, 'registry.source_deleted', (reg) => [withRemoved(reg, 'sources', mn), undefined]);
  }

  createFacility(input: Facility, actor: RegistryActor, ip?: string | null): Promise<Facility> {
    const facility = facilitySchema.parse(input);
    const action = 'registry.facility_created';
    return this.edit('facilities', facility.id, actor, ip, action, (reg) => [withAdded(reg, 'facilities', facility), facility]);
  }

  updateFacility(id: string, patch: FacilityPatch, actor: RegistryActor, ip?: string | null): Promise<Facility> {
    return this.edit('facilities', id, actor, ip, 'registry.facility_updated', (reg) => {
      const after = patched('facilities', recordOf(reg, 'facilities', id), patch as Record<string, unknown>);
      return [withReplaced(reg, 'facilities', id, after), after];
    });
  }

  /** 409 while another facility serves it. */
  deleteFacility(id: string, actor: RegistryActor, ip?: string | null): Promise<void> {
    return this.edit('facilities', id, actor, ip, 'registry.facility_deleted', (reg) => [withRemoved(reg, 'facilities', id), undefined]);
  }

  /** Runs one record's edit on the current snapshot and commits it; resolves the record as changed. */
  private edit<T>(
    kind: RecordKind,
    key: string,
    actor: RegistryActor,
    ip: string | null | undefined,
    action: RegistryAuditAction,
    change: (reg: Registry) => [Registry, T, string?],
  ): Promise<T> {
    return this.exclusive(async () => {
      const current = this.deps.holder.current();
      const [next, result, gradeReason] = change(current);
      const valid = validRegistry(next, { kind, key });
      const list = (reg: Registry): { [k: string]: unknown }[] => (kind === 'facilities' ? (reg.facilities ?? []) : reg[kind]);
      const find = (reg: Registry) => list(reg).find((r) => (kind === 'sources' ? r.mn : r.id) === key) ?? null;
      const detail = { before: maskCredentials(find(current)), after: maskCredentials(find(valid)) };
      const gradeReasons = gradeReason && kind === 'enterprises' ? { [key]: gradeReason } : undefined;
      await this.commit(valid, actor, action, detail, { ip, target: `${TARGET[kind]}:${key}`, ...(gradeReasons ? { gradeReasons } : {}) });
      return result;
    });
  }

  private async commit(
    next: Registry,
    actor: RegistryActor,
    action: RegistryAuditAction,
    detail: Record<string, unknown> | undefined,
    opts: ApplyOptions,
  ): Promise<RegistryChanged | null> {
    const { store, holder, audit, log, now } = this.deps;
    const prev = holder.current();
    const diff = registryDiff(prev, next);
    if (isEmptyChange(diff)) return null;
    try {
      const reasons = opts.gradeReasons ? { gradeReasons: opts.gradeReasons } : {};
      const expectVersion = holder.version();
      await store.save(prev, next, { expectVersion, actor: actor.username, at: now(), defaultGradeReason: action, ...reasons });
    } catch (err) {
      if (err instanceof RegistryVersionConflict) throw new RegistryError('version_conflict', err.message);
      throw err;
    }
    await audit.record({
      actor,
      action,
      target: opts.target ?? 'registry',
      ip: opts.ip ?? null,
      detail: { ...changeDetail(prev, next, diff), ...(maskCredentials(detail ?? {}) as Record<string, unknown>) },
    });
    const change = holder.replace(next, actor.username);
    log.info({ action, actor: actor.username, version: change?.version, target: opts.target }, 'registry changed');
    return change;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
