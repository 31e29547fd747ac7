/**
 * The data-exchange answers (issue 21 item 5): the registry's outlets, latest values, hourly and
 * daily means (the reports' own figures over the hourly rollup, never recomputed here), alerts and
 * monthly emission loads — each a page in a stable order (server/domain/exchange.ts).
 *
 * `tenant` is the one enterprise the caller may see (an enterprise user or token), or null for all;
 * the router takes it from the caller, never from the query. Lists built per source (means) or per
 * enterprise (loads) start at the cursor's source or enterprise and stop once the page is full, so
 * a page costs its own rows, not the whole span's.
 */
import type { AlertService } from '../alerts/alert-service';
import { alertForEnterprise, type NameOf } from '../domain/enterprise-view';
import type { Alert } from '../domain/alert';
import { factorUnitOf } from '../domain/catalog';
import {
  encodeCursor,
  isoLocal,
  pageAfter,
  sortKey,
  type ExchangeAlert,
  type ExchangeAlertStatus,
  type ExchangeDailyMean,
  type ExchangeHourlyMean,
  type ExchangeLatest,
  type ExchangeLoad,
  type ExchangePage,
  type ExchangePaging,
  type ExchangeSource,
} from '../domain/exchange';
import type { LatestValues } from '../domain/events';
import { DAY_MS, localDate } from '../domain/local-time';
import type { Enterprise, Limit, Source } from '../domain/registry';
import type { Severity } from '../domain/alert';
import { primaryValue } from '../domain/reading';
import type { ReportService } from '../reports/report-service';
import { monthlyLoads, type LoadDeps, type LoadFilter } from './monthly-loads';

export interface ExchangeServiceDeps extends LoadDeps {
  /** The limits in force for a source now (the rule book's effective limits), {} for an unknown one. */
  limitsOf: (mn: string) => Record<string, Limit>;
  latestOf: (mn: string) => LatestValues | null;
  reports: Pick<ReportService, 'hourly' | 'daily' | 'rollupHours'>;
  alerts: Pick<AlertService, 'list'>;
  /** How an enterprise reads a person (display name). */
  nameOf: NameOf;
}

export type Page<T> = ExchangePage<T>;
type Paging = ExchangePaging;

export interface SourceFilter {
  mn?: string | undefined;
  enterpriseId?: string | undefined;
}

export interface AlertFilter {
  from?: number | undefined;
  to?: number | undefined;
  status?: ExchangeAlertStatus | undefined;
  severity?: readonly Severity[] | undefined;
  mn?: string | undefined;
  enterpriseId?: string | undefined;
}

/** The fields an hourly and a daily mean share, taken from the report's row as it is. */
const meanFields = <R extends Pick<ExchangeHourlyMean, MeanField>>(r: R): Pick<ExchangeHourlyMean, MeanField> => ({
  factor: r.factor,
  unit: r.unit,
  value: r.value,
  measured: r.measured,
  converted: r.converted,
  valid: r.valid,
  validInputs: r.validInputs,
  inputs: r.inputs,
  flag: r.flag,
});
type MeanField = 'factor' | 'unit' | 'value' | 'measured' | 'converted' | 'valid' | 'validInputs' | 'inputs' | 'flag';

export class ExchangeService {
  constructor(private readonly d: ExchangeServiceDeps) {}

  /** Visible sources, filtered, by MN. */
  private visibleSources(tenant: string | null, f: SourceFilter): Source[] {
    return this.d
      .sources()
      .filter((s) => (tenant === null || s.enterpriseId === tenant) && (f.mn === undefined || s.mn === f.mn))
      .filter((s) => f.enterpriseId === undefined || s.enterpriseId === f.enterpriseId)
      .toSorted((a, b) => (a.mn < b.mn ? -1 : a.mn > b.mn ? 1 : 0));
  }

  private enterpriseMap(): Map<string, Enterprise> {
    return new Map(this.d.enterprises().map((e) => [e.id, e]));
  }

  /** Order: MN. */
  sources(tenant: string | null, f: SourceFilter, p: Paging): Page<ExchangeSource> {
    const enterprises = this.enterpriseMap();
    const rows = this.visibleSources(tenant, f).map((s): ExchangeSource => {
      const e = enterprises.get(s.enterpriseId);
      const limits = Object.entries(this.d.limitsOf(s.mn))
        .toSorted(([a], [b]) => (a < b ? -1 : 1))
        .map(([factor, l]) => ({
          factor,
          unit: factorUnitOf(factor, s.kind),
          max: l.max ?? null,
          min: l.min ?? null,
          o2Converted: l.o2Converted,
        }));
      return {
        mn: s.mn,
        name: s.name,
        kind: s.kind,
        position: s.position,
        enterpriseId: s.enterpriseId,
        enterpriseName: e?.name ?? s.enterpriseId,
        district: s.district ?? e?.district ?? '',
        lat: s.lat,
        lon: s.lon,
        o2Ref: s.o2Ref ?? null,
        intervalS: s.intervalS,
        limits,
      };
    });
    return pageAfter(rows, (r) => r.mn, p.after === undefined ? undefined : { after: p.after }, p.limit);
  }

  /** One row per source and factor of its newest real-time record. Order: MN, factor. */
  latest(tenant: string | null, f: SourceFilter & { factor?: string | undefined }, p: Paging): Page<ExchangeLatest> {
    const rows: ExchangeLatest[] = [];
    for (const s of this.visibleSources(tenant, f)) {
      const lv = this.d.latestOf(s.mn);
      if (!lv) continue;
      for (const [factor, v] of Object.entries(lv.factors).toSorted(([a], [b]) => (a < b ? -1 : 1))) {
        if (f.factor !== undefined && factor !== f.factor) continue;
        rows.push({
          mn: s.mn,
          enterpriseId: s.enterpriseId,
          factor,
          unit: factorUnitOf(factor, s.kind),
          cn: lv.cn,
          ts: lv.ts,
          time: isoLocal(lv.ts, this.d.utcOffsetMinutes),
          value: primaryValue(lv.cn, v) ?? null,
          rtd: v.rtd ?? null,
          avg: v.avg ?? null,
          zs: v.zs ?? null,
          cou: v.cou ?? null,
          flag: v.flag,
        });
      }
    }
    return pageAfter(rows, (r) => sortKey(r.mn, r.factor), p.after === undefined ? undefined : { after: p.after }, p.limit);
  }

  /**
   * Rows per visible source (in MN order) until the page is full: sources before the cursor's are
   * not computed, and none after the page's last.
   */
  private async bySource<T>(
    sources: readonly Source[],
    rowsOf: (s: Source) => Promise<T[]>,
    keyOf: (row: T) => string,
    p: Paging,
  ): Promise<Page<T>> {
    const after = p.after;
    const firstMn = after === undefined ? '' : (after.split('\u0001')[0] ?? '');
    const kept: T[] = [];
    for (const s of sources) {
      if (s.mn < firstMn) continue;
      const rows = (await rowsOf(s)).filter((r) => after === undefined || keyOf(r) > after);
      kept.push(...rows.toSorted((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)));
      if (kept.length > p.limit) break;
    }
    const items = kept.slice(0, p.limit);
    const last = items.at(-1);
    return { items, next: kept.length > p.limit && last !== undefined ? encodeCursor({ after: keyOf(last) }) : null };
  }

  /** Emission loads per enterprise, local month and pollutant (monthly-loads.ts). Order: enterprise, month, pollutant. */
  loads(tenant: string | null, f: LoadFilter, p: Paging): Promise<Page<ExchangeLoad>> {
    return monthlyLoads(this.d, tenant, f, p);
  }

  /** Hourly means from the reports (hourly report per source and local day). Order: MN, hour, factor. */
  async hourly(
    tenant: string | null,
    f: SourceFilter & { factor?: string | undefined; fromDay: number; toDay: number },
    p: Paging,
  ): Promise<Page<ExchangeHourlyMean>> {
    const rowsOf = async (s: Source): Promise<ExchangeHourlyMean[]> => {
      const out: ExchangeHourlyMean[] = [];
      for (let day = f.fromDay; day <= f.toDay; day += DAY_MS) {
        const report = await this.d.reports.hourly(s, day);
        for (const r of report.items) {
          if (f.factor !== undefined && r.factor !== f.factor) continue;
          out.push({
            mn: s.mn,
            enterpriseId: s.enterpriseId,
            hour: r.hour,
            time: isoLocal(r.hour, this.d.utcOffsetMinutes),
            ...meanFields(r),
            exceeds: r.exceeds,
          });
        }
      }
      return out;
    };
    return this.bySource(this.visibleSources(tenant, f), rowsOf, (r) => sortKey(r.mn, r.hour, r.factor), p);
  }

  /** Daily means from the daily report. Order: MN, date, factor. */
  async daily(
    tenant: string | null,
    f: SourceFilter & { factor?: string | undefined; fromDay: number; toDay: number },
    p: Paging,
  ): Promise<Page<ExchangeDailyMean>> {
    const rowsOf = async (s: Source): Promise<ExchangeDailyMean[]> => {
      const out: ExchangeDailyMean[] = [];
      for (let day = f.fromDay; day <= f.toDay; day += DAY_MS) {
        const [d] = await this.d.reports.daily([s], day, false);
        for (const r of d?.factors ?? []) {
          if (f.factor !== undefined && r.factor !== f.factor) continue;
          out.push({
            mn: s.mn,
            enterpriseId: s.enterpriseId,
            date: d?.date ?? localDate(day, this.d.utcOffsetMinutes),
            ...meanFields(r),
            exceedingHours: r.exceedingHours,
            exceeds: r.exceeds,
          });
        }
      }
      return out;
    };
    return this.bySource(this.visibleSources(tenant, f), rowsOf, (r) => sortKey(r.mn, r.date, r.factor), p);
  }

  /**
   * Alerts, newest first (by id, descending). The cursor holds the last id answered: a page is the
   * next `limit` alerts with a smaller id, so alerts opened meanwhile never shift it. The bureau's
   * internal handling (assignee, silences, notes, history) is never part of an exchange alert.
   */
  async alerts(
    tenant: string | null,
    f: AlertFilter,
    p: { limit: number; beforeId?: number; offset?: number },
  ): Promise<Page<ExchangeAlert>> {
    if (tenant !== null && f.enterpriseId !== undefined && f.enterpriseId !== tenant) return { items: [], next: null };
    const enterpriseId = tenant ?? f.enterpriseId;
    const status =
      f.status === 'open' ? { open: true } : f.status === 'closed' ? { open: false } : f.status === 'attention' ? { attention: true } : {};
    const query = {
      ...status,
      ...(f.severity ? { severity: f.severity } : {}),
      ...(f.mn ? { mn: f.mn } : {}),
      ...(f.from !== undefined ? { from: f.from } : {}),
      ...(f.to !== undefined ? { to: f.to } : {}),
      ...(enterpriseId !== undefined ? { enterpriseId } : {}),
      sort: 'newest' as const,
    };
    const want = p.limit + 1;
    const kept: Alert[] = [];
    let offset = p.offset ?? 0;
    /** Rows scanned up to and including each kept alert (the next page's offset). */
    const scannedAt: number[] = [];
    for (;;) {
      const batch = (await this.d.alerts.list({ ...query, limit: want, offset })).items;
      for (const [i, a] of batch.entries()) {
        if (p.beforeId !== undefined && a.id >= p.beforeId) continue; // opened since: before this page
        kept.push(a);
        scannedAt.push(offset + i + 1);
        if (kept.length === want) break;
      }
      offset += batch.length;
      if (kept.length === want || batch.length < want) break;
    }
    const items = kept.slice(0, p.limit);
    const last = items.at(-1);
    const next =
      kept.length > p.limit && last !== undefined ? encodeCursor({ beforeId: last.id, offset: scannedAt[p.limit - 1] ?? 0 }) : null;
    return { items: items.map((a) => this.exchangeAlert(tenant === null ? a : alertForEnterprise(a, this.d.nameOf))), next };
  }

  private exchangeAlert(a: Alert): ExchangeAlert {
    return {
      id: a.id,
      mn: a.mn,
      enterpriseId: a.enterpriseId,
      factor: a.factor,
      rule: a.rule,
      severity: a.severity,
      state: a.state,
      status: a.closedAt !== null ? 'closed' : a.acknowledgedAt === null ? 'attention' : 'open',
      value: a.value,
      peak: a.peak,
      limit: a.limit,
      unit: a.unit,
      openedAt: a.openedAt,
      openedTime: isoLocal(a.openedAt, this.d.utcOffsetMinutes),
      lastSeenAt: a.lastSeenAt,
      clearedAt: a.clearedAt,
      acknowledgedAt: a.acknowledgedAt,
      closedAt: a.closedAt,
    };
  }
}
