/**
 * Emission-reduction lists as the REST routes use them (issue 18): the coverage report (every
 * enterprise with air emissions and where its list stands today), a list with what applies to the
 * enterprise at each level for its current grade, filing a new version (its references checked
 * against the registry) and the enterprise's acknowledgement. Filing and acknowledging are audited.
 * Tenancy (who may see which enterprise) is the router's; this checks the registry.
 */
import type { AuditInput } from '../auth/audit-log';
import { HttpError } from '../domain/errors';
import { localDate } from '../domain/local-time';
import { listStanding, type ListStanding, type ReductionEntry } from '../domain/reduction-list';
import type {
  FiledReductionList,
  ReductionAck,
  ReductionCoverageRow,
  ReductionListAnswer,
  ReductionListSummary,
} from '../domain/reduction-list-api';
import type { Enterprise } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { ReductionListStore } from '../storage/sql/reduction-list-store';
import { airEmitters } from '../domain/reduction-scope';
import { appliesByLevel, problemText, registryProblems } from './reduction-checks';
import { enterpriseById } from '../domain/registry';

export interface ReductionServiceDeps {
  store: ReductionListStore;
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

export interface CoverageQuery {
  /** Report this year's list (latest version) instead of the one the standing is judged on. */
  year?: number | undefined;
  standing?: ListStanding | undefined;
  district?: string | undefined;
  /** One enterprise only (an enterprise user's scope). */
  enterpriseId?: string | undefined;
}

export class ReductionService {
  constructor(private readonly deps: ReductionServiceDeps) {}

  /** The bureau's local date. */
  today(): string {
    return localDate(this.deps.now(), this.deps.utcOffsetMinutes);
  }

  enterprise(id: string): Enterprise | undefined {
    return enterpriseById(this.deps.registry.current().enterprises, id);
  }

  /** Every enterprise with air emissions and its standing; missing and outdated first, then by district and name. */
  async coverage(q: CoverageQuery): Promise<ReductionCoverageRow[]> {
    const byEnterprise = new Map<string, ReductionListSummary[]>();
    for (const s of await this.deps.store.summaries()) byEnterprise.set(s.enterpriseId, [...(byEnterprise.get(s.enterpriseId) ?? []), s]);
    const today = this.today();
    const order: Record<ListStanding, number> = { missing: 0, outdated: 1, due: 2, current: 3 };
    return airEmitters(this.deps.registry.current())
      .filter((e) => (q.district === undefined || e.district === q.district) && (q.enterpriseId === undefined || e.id === q.enterpriseId))
      .map((e): ReductionCoverageRow => {
        const lists = byEnterprise.get(e.id) ?? [];
        const { standing, year } = listStanding(
          lists.map((l) => l.year),
          today,
        );
        const shown = lists.find((l) => l.year === (q.year ?? year));
        return {
          enterpriseId: e.id,
          name: e.name,
          district: e.district,
          grade: e.grade ?? null,
          standing,
          year: shown?.year ?? (q.year === undefined ? year : null),
          version: shown?.version ?? null,
          filedAt: shown?.filedAt ?? null,
          entries: shown?.entries ?? 0,
          acknowledged: shown?.acknowledged ?? null,
        };
      })
      .filter((r) => q.standing === undefined || r.standing === q.standing)
      .sort((a, b) => order[a.standing] - order[b.standing] || a.district.localeCompare(b.district) || a.name.localeCompare(b.name));
  }

  /** A list (the latest version, or `version`) with its versions, what applies now and its acknowledgements. */
  async get(enterpriseId: string, year: number, version?: number): Promise<ReductionListAnswer> {
    const e = this.enterprise(enterpriseId);
    const list = e ? await this.deps.store.get(enterpriseId, year, version) : null;
    if (!e || !list) {
      const which = version === undefined ? '' : ` version ${version}`;
      throw new HttpError(404, 'not_found', `no ${year} reduction list${which} of enterprise "${enterpriseId}"`);
    }
    const acknowledgements = (await this.deps.store.acknowledgements(enterpriseId, year)).filter((a) => a.version === list.version);
    return {
      list,
      versions: await this.deps.store.versions(enterpriseId, year),
      grade: e.grade ?? null,
      applies: appliesByLevel(list.entries, e.grade, this.deps.registry.current()),
      acknowledgements,
    };
  }

  /** 400 naming the entry when an entry names a facility, meter or outlet that is not the enterprise's. */
  checkAgainstRegistry(enterpriseId: string, entries: readonly ReductionEntry[]): void {
    if (!this.enterprise(enterpriseId)) throw new HttpError(404, 'not_found', `enterprise "${enterpriseId}" not found`);
    const problems = registryProblems(entries, enterpriseId, this.deps.registry.current());
    if (problems.length > 0) throw new HttpError(400, 'bad_request', problems.map((p) => problemText(p, entries)).join('; '));
  }

  /** Files a list as the next version of the enterprise's year. */
  async file(
    enterpriseId: string,
    year: number,
    entries: ReductionEntry[],
    by: Acting,
    via: 'api' | 'import' | 'demo' = 'api',
  ): Promise<FiledReductionList> {
    this.checkAgainstRegistry(enterpriseId, entries);
    const list = await this.deps.store.save({ enterpriseId, year, entries, filedBy: by.username, filedAt: this.deps.now() });
    await this.deps.audit.record({
      actor: by.actor,
      action: 'reductions.list_filed',
      target: `enterprise:${enterpriseId}`,
      detail: { year, version: list.version, entries: entries.length, via },
      ip: by.ip,
    });
    return list;
  }

  /** No list filed yet (the demo seeds then). */
  async isEmpty(): Promise<boolean> {
    return (await this.deps.store.summaries()).length === 0;
  }

  /** The next version a filing of this enterprise's year would make. */
  async nextVersion(enterpriseId: string, year: number): Promise<number> {
    return (await this.deps.store.versions(enterpriseId, year)).length + 1;
  }

  async versions(enterpriseId: string, year: number) {
    if (!this.enterprise(enterpriseId)) throw new HttpError(404, 'not_found', `enterprise "${enterpriseId}" not found`);
    return this.deps.store.versions(enterpriseId, year);
  }

  /** The latest version of every enterprise's list for a year (the export). */
  async listsOf(year: number, enterpriseId?: string): Promise<FiledReductionList[]> {
    const summaries = (await this.deps.store.summaries()).filter(
      (s) => s.year === year && (enterpriseId === undefined || s.enterpriseId === enterpriseId),
    );
    const lists = await Promise.all(summaries.map((s) => this.deps.store.get(s.enterpriseId, year, s.version)));
    return lists.filter((l): l is FiledReductionList => l !== null);
  }

  /** The enterprise user read the latest version of its year's list (again: the first acknowledgement stands). */
  async acknowledge(enterpriseId: string, year: number, by: Acting): Promise<ReductionAck> {
    const list = this.enterprise(enterpriseId) ? await this.deps.store.get(enterpriseId, year) : null;
    if (!list) throw new HttpError(404, 'not_found', `no ${year} reduction list of enterprise "${enterpriseId}"`);
    const { ack, created } = await this.deps.store.acknowledge({
      enterpriseId,
      year,
      version: list.version,
      username: by.username,
      at: this.deps.now(),
    });
    if (created)
      await this.deps.audit.record({
        actor: by.actor,
        action: 'reductions.list_acknowledged',
        target: `enterprise:${enterpriseId}`,
        detail: { year, version: list.version },
        ip: by.ip,
      });
    return ack;
  }
}
