/**
 * Facility records as the REST routes use them (issue 16 item 2): an adsorbent replacement logged
 * for a treatment facility (or any facility with an adsorbent interval), a year's start/stop plan
 * filed or changed (its entries name the enterprise's production lines), the bureau's list of who
 * has and has not filed, and the start/stop events counted per enterprise. Every change is audited.
 * Tenancy (who may touch which enterprise) is the router's; this checks the registry.
 */
import type { AuditInput } from '../auth/audit-log';
import { HttpError } from '../domain/errors';
import {
  countEvents,
  filedLate,
  planDueDate,
  type AdsorbentReplacement,
  type NewReplacement,
  type PlanEntry,
  type PlanStatus,
  type StartStopCount,
  type StartStopEvent,
  type StartStopPlan,
} from '../domain/facility-records';
import type { Facility } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { FacilityRecordStore } from '../storage/sql/facility-record-store';

export interface RecordsServiceDeps {
  store: FacilityRecordStore;
  registry: RegistryView;
  audit: { record(input: AuditInput): Promise<unknown> };
  utcOffsetMinutes: number;
  now: () => number;
}

/** Who acts: the audit's actor, and the request's address. */
export interface Acting {
  actor: AuditInput['actor'];
  username: string;
  ip: string | null;
}

/** Most events one answer lists (the counts cover them all). */
export const MAX_EVENTS = 5000;

export class RecordsService {
  constructor(private readonly deps: RecordsServiceDeps) {}

  facility(id: string): Facility | undefined {
    return this.deps.registry.current().facilities?.find((f) => f.id === id);
  }

  /** Is the enterprise registered? */
  planEnterprise(id: string): boolean {
    return this.deps.registry.current().enterprises.some((e) => e.id === id);
  }

  replacements(facilityId: string): Promise<AdsorbentReplacement[]> {
    return this.deps.store.replacements(facilityId);
  }

  async logReplacement(facility: Facility, r: NewReplacement, by: Acting): Promise<AdsorbentReplacement> {
    if (facility.kind !== 'treatment' && facility.adsorbentDays === undefined) {
      throw new HttpError(400, 'bad_request', `facility: "${facility.id}" is not a treatment facility with an adsorbent`);
    }
    const saved = await this.deps.store.addReplacement({
      facilityId: facility.id,
      enterpriseId: facility.enterpriseId,
      date: r.date,
      amountKg: r.amountKg,
      note: r.note ?? null,
      loggedBy: by.username,
      loggedAt: this.deps.now(),
    });
    await this.deps.audit.record({
      actor: by.actor,
      action: 'records.adsorbent_logged',
      target: `facility:${facility.id}`,
      detail: { date: saved.date, amountKg: saved.amountKg, replacementId: saved.id },
      ip: by.ip,
    });
    return saved;
  }

  plan(enterpriseId: string, year: number): Promise<StartStopPlan | null> {
    return this.deps.store.plan(enterpriseId, year);
  }

  /** Files or changes an enterprise's plan; its entries must name the enterprise's production lines. */
  async putPlan(enterpriseId: string, year: number, entries: PlanEntry[], by: Acting, expectedVersion?: number): Promise<StartStopPlan> {
    const lines = new Set(
      (this.deps.registry.current().facilities ?? [])
        .filter((f) => f.enterpriseId === enterpriseId && f.kind === 'production-line')
        .map((f) => f.id),
    );
    entries.forEach((e, i) => {
      if (!lines.has(e.facilityId)) {
        throw new HttpError(400, 'bad_request', `entries.${i}.facilityId: "${e.facilityId}" is not a production line of this enterprise`);
      }
    });
    const sorted = [...entries].sort((a, b) => a.date.localeCompare(b.date) || a.facilityId.localeCompare(b.facilityId));
    const { before, after } = await this.deps.store.putPlan({
      enterpriseId,
      year,
      entries: sorted,
      by: by.username,
      at: this.deps.now(),
      expectedVersion,
    });
    await this.deps.audit.record({
      actor: by.actor,
      action: before ? 'records.plan_changed' : 'records.plan_filed',
      target: `enterprise:${enterpriseId}`,
      detail: { year, entries: after.entries.length, version: after.version, ...(before ? { entriesBefore: before.entries.length } : {}) },
      ip: by.ip,
    });
    return after;
  }

  /**
   * Where each enterprise stands with a year's plan: those with a production line in the registry,
   * and any other that filed; not filed first, then by name. `enterpriseId`: that one only.
   */
  async planStatuses(year: number, enterpriseId?: string): Promise<PlanStatus[]> {
    const reg = this.deps.registry.current();
    const filed = new Map((await this.deps.store.plans(year)).map((p) => [p.enterpriseId, p]));
    const withLines = new Set((reg.facilities ?? []).filter((f) => f.kind === 'production-line').map((f) => f.enterpriseId));
    return reg.enterprises
      .filter((e) => (withLines.has(e.id) || filed.has(e.id)) && (enterpriseId === undefined || e.id === enterpriseId))
      .map((e): PlanStatus => {
        const p = filed.get(e.id);
        return {
          enterpriseId: e.id,
          name: e.name,
          year,
          filed: p !== undefined,
          filedAt: p?.filedAt ?? null,
          late: p !== undefined && filedLate(year, p.filedAt, this.deps.utcOffsetMinutes),
          entries: p?.entries.length ?? 0,
          due: planDueDate(year),
        };
      })
      .sort((a, b) => Number(a.filed) - Number(b.filed) || a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** The events of a period (at most MAX_EVENTS listed) and their counts per enterprise. */
  async events(q: { enterpriseId?: string; from: number; to: number }): Promise<{ counts: StartStopCount[]; events: StartStopEvent[] }> {
    const events = await this.deps.store.events({ ...q, limit: 100_000 });
    return { counts: countEvents(events), events: events.slice(-MAX_EVENTS) };
  }
}
