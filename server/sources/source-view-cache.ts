/**
 * Every source as the dashboard lists it (registry facts, latest values, status), kept between
 * calls rather than rebuilt from every source for each request and each socket snapshot: at a
 * province's 20,000 outlets that rebuild, and its 15 MB of JSON, was what the server spent its time
 * and memory on.
 *
 * A source's view is rebuilt only when what it shows moved: the registry's version (all of them),
 * its latest values (the directory's object for it was replaced), or its status (recomputed on each
 * read from the latest timestamp, the interval and whether an active alert is open: cheap, and exact
 * as time passes). Each view keeps its JSON, so a list is the joined JSON of its views. Indexes by
 * enterprise, district and kind narrow a filtered query before the rest of its conditions are
 * checked; the order is the registry's (or, for a query by MNs, the MNs' as asked). The map's
 * compact points (`points`) keep their registry part too.
 *
 * The active alerts come through a small port: the ids and MNs open and active at start
 * (`seed`), then every alert change (`noteAlert`), so the alert service may answer asynchronously.
 */
import { sourceInScope, type Scope } from '../domain/access';
import type { Alert } from '../domain/alert';
import { SOURCE_STATUSES, type SourceStatusKind, type SourceView } from '../domain/events';
import { factsMatcher, type SourceQuery } from '../domain/source-query';
import { sourceStatus } from '../domain/source-status';
import type { SourceDirectory } from './source-directory';

interface Entry {
  view: SourceView;
  json: string | null;
  /** The source's reporting interval, s (its status depends on it). */
  intervalS: number;
  /** Its map point's JSON around the status (`["mn",lon,lat,` and `,"enterpriseId"]`): registry facts only. */
  point: readonly [string, string];
}

const pointJson = (v: Pick<SourceView, 'mn' | 'lon' | 'lat' | 'enterpriseId'>): readonly [string, string] => [
  `[${JSON.stringify(v.mn)},${v.lon},${v.lat},`,
  `,${JSON.stringify(v.enterpriseId)}]`,
];

/** What a summary counts of a source: its registry facts and its status now. */
export type StatusRow = Pick<SourceView, 'mn' | 'status' | 'kind' | 'district' | 'enterpriseId'>;

/** Of an alert, what decides whether its source is exceeding. */
export type AlertFacts = Pick<Alert, 'id' | 'mn' | 'state' | 'closedAt'>;

/** A page of the list: the views and their JSON (`{"items":[…],"total":n}` when joined). */
export interface CachedPage {
  views: SourceView[];
  total: number;
  /** The page as the REST answer's JSON, built from the views' cached JSON. */
  json(): string;
}

const push = <K>(m: Map<K, string[]>, k: K, mn: string) => {
  const list = m.get(k);
  if (list) list.push(mn);
  else m.set(k, [mn]);
};

/** Status → its code in a points memo (0: not computed yet). */
const STATUS_CODE = Object.fromEntries(SOURCE_STATUSES.map((s, i) => [s, i + 1])) as Record<SourceStatusKind, number>;
const POINTS_SCOPES_KEPT = 8;

/** One scope's points: its sources (registry order), their statuses when the JSON was built, the JSON. */
interface PointsMemo {
  version: number;
  entries: { view: Pick<SourceView, 'mn'>; intervalS: number; point: Entry['point'] }[];
  statuses: Uint8Array;
  json: string | null;
}

export class SourceViewCache {
  private entries = new Map<string, Entry>();
  private readonly pointsMemo = new Map<string, PointsMemo>();
  private order: string[] = [];
  private byEnterprise = new Map<string, string[]>();
  private byDistrict = new Map<string, string[]>();
  private byKind = new Map<string, string[]>();
  private builtVersion = -1;
  /** Open and active alerts: id → MN, and how many per MN. */
  private readonly activeAlerts = new Map<number, string>();
  private readonly activePerMn = new Map<string, number>();

  constructor(
    private readonly directory: SourceDirectory,
    private readonly registryVersion: () => number,
    private readonly offlineAfterIntervals: number,
    private readonly now: () => number,
  ) {}

  /** The alerts open and active now (at start). */
  seed(alerts: readonly AlertFacts[]): void {
    this.activeAlerts.clear();
    this.activePerMn.clear();
    for (const a of alerts) this.noteAlert(a);
  }

  /** An alert changed: its source is exceeding while one of its alerts is open and active. */
  noteAlert(a: AlertFacts): void {
    const was = this.activeAlerts.get(a.id);
    const is = a.closedAt === null && a.state === 'active';
    if (was !== undefined && !is) {
      this.activeAlerts.delete(a.id);
      const n = (this.activePerMn.get(was) ?? 1) - 1;
      if (n > 0) this.activePerMn.set(was, n);
      else this.activePerMn.delete(was);
    } else if (was === undefined && is) {
      this.activeAlerts.set(a.id, a.mn);
      this.activePerMn.set(a.mn, (this.activePerMn.get(a.mn) ?? 0) + 1);
    }
  }

  /** Every view, in registry order, as of now. */
  all(): SourceView[] {
    const now = this.sync();
    return this.order.map((mn) => this.fresh(mn, now).view);
  }

  /**
   * The views in the scope that match the query, paged (registry order). Every candidate's status
   * is recomputed (cheap); only the page's views are rebuilt where they moved.
   */
  query(scope: Scope, query: SourceQuery): CachedPage {
    const now = this.sync();
    const matched = this.matching(scope, query, now).map((m) => m.mn);
    const end = query.limit === undefined ? undefined : query.offset + query.limit;
    const page = matched.slice(query.offset, end).map((mn) => this.fresh(mn, now));
    return {
      views: page.map((e) => e.view),
      total: matched.length,
      json: () => `{"items":[${page.map((e) => (e.json ??= JSON.stringify(e.view))).join(',')}],"total":${matched.length}}`,
    };
  }

  /**
   * Every source in the scope as a point (registry order), as the JSON `{"items":[[mn,lon,lat,status,enterpriseId],…],"total":n}`:
   * a province's 20,000 outlets in about a megabyte. Each call computes every point's status as of
   * now; the JSON is kept per scope and built again only when the registry or a status moved (a
   * source's status changes far less often than its values), so the usual answer is a string kept.
   */
  points(scope: Scope): { total: number; json(): string } {
    const now = this.sync();
    const key = JSON.stringify(scope);
    let memo = this.pointsMemo.get(key);
    if (memo?.version !== this.builtVersion) {
      const entries = this.candidates(scope, { offset: 0 })
        .filter((c) => sourceInScope(scope, c.entry.view))
        .map(({ mn, entry }) => ({ view: { mn }, intervalS: entry.intervalS, point: entry.point }));
      memo = { version: this.builtVersion, entries, statuses: new Uint8Array(entries.length), json: null };
      // Few scopes ask (the bureau's, a department's, an enterprise's): the oldest goes past a handful.
      if (this.pointsMemo.size >= POINTS_SCOPES_KEPT) this.pointsMemo.delete(this.pointsMemo.keys().next().value!);
      this.pointsMemo.set(key, memo);
    }
    const latest = this.directory.latestByMn();
    const { entries, statuses } = memo;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const status = STATUS_CODE[this.statusOf(e, latest.get(e.view.mn)?.ts ?? null, now)];
      if (status !== statuses[i]) {
        statuses[i] = status;
        memo.json = null;
      }
    }
    const m = memo;
    return {
      total: entries.length,
      json: () =>
        (m.json ??= `{"items":[${entries.map((e, i) => `${e.point[0]}"${SOURCE_STATUSES[statuses[i]! - 1]}"${e.point[1]}`).join(',')}],"total":${entries.length}}`),
    };
  }

  /**
   * Builds the views now if the registry moved since they were built (20,000 in ~0.3 s), so that
   * the first request after a start or a registry change does not wait for them.
   */
  warm(): void {
    this.sync();
  }

  /** The registry facts and the status now of every source in the scope (what a summary counts), without building views. */
  statuses(scope: Scope): StatusRow[] {
    return this.matching(scope, { offset: 0 }, this.sync());
  }

  private matching(scope: Scope, query: SourceQuery, now: number): StatusRow[] {
    const facts = factsMatcher(query);
    const latest = this.directory.latestByMn();
    const out: StatusRow[] = [];
    for (const c of this.candidates(scope, query)) {
      const v = c.entry.view;
      if (!facts(v) || !sourceInScope(scope, v)) continue;
      const status = this.statusOf(c.entry, latest.get(c.mn)?.ts ?? null, now);
      if (query.status === undefined || query.status.includes(status))
        out.push({ mn: c.mn, status, kind: v.kind, district: v.district, enterpriseId: v.enterpriseId });
    }
    return out;
  }

  /**
   * The MNs that may match (registry order): the shortest index list the query or the scope
   * names, else all. Status is checked on the fresh view; the rest by the query's matcher on
   * the registry facts, which only a registry change moves.
   */
  private candidates(scope: Scope, query: SourceQuery): { mn: string; entry: Entry }[] {
    const lists: (readonly string[])[] = [];
    if (query.mn !== undefined) lists.push([...new Set(query.mn)].filter((mn) => this.entries.has(mn)));
    const ent = query.enterpriseId ?? ('enterpriseId' in scope ? scope.enterpriseId : undefined);
    if (ent !== undefined) lists.push(this.byEnterprise.get(ent) ?? []);
    if (query.district !== undefined) lists.push(this.byDistrict.get(query.district) ?? []);
    if (query.kind?.length === 1) lists.push(this.byKind.get(query.kind[0]!) ?? []);
    const shortest = lists.reduce<readonly string[]>((a, b) => (b.length < a.length ? b : a), this.order);
    return shortest.map((mn) => ({ mn, entry: this.entries.get(mn)! }));
  }

  /** The entry with its status as of `now`, rebuilt if its latest values or status moved. */
  private fresh(mn: string, now: number): Entry {
    const e = this.entries.get(mn)!;
    const latest = this.directory.latestOf(mn);
    const status = this.statusOf(e, latest?.ts ?? null, now);
    if (latest === e.view.latest && status === e.view.status) return e;
    const view = this.directory.view(mn, status);
    if (!view) return e;
    const next = { view, json: null, intervalS: e.intervalS, point: e.point };
    this.entries.set(mn, next);
    return next;
  }

  private statusOf(e: { view: Pick<SourceView, 'mn'>; intervalS: number }, latestTs: number | null, now: number): SourceStatusKind {
    const exceeding = this.activePerMn.has(e.view.mn);
    return sourceStatus({ intervalS: e.intervalS, latestTs, exceeding }, now, this.offlineAfterIntervals);
  }

  /** After a registry change, every view and index afresh. Returns now. */
  private sync(): number {
    const now = this.now();
    const version = this.registryVersion();
    if (version === this.builtVersion) return now;
    this.builtVersion = version;
    this.entries = new Map();
    this.byEnterprise = new Map();
    this.byDistrict = new Map();
    this.byKind = new Map();
    this.order = [];
    for (const s of this.directory.all()) {
      const latest = this.directory.latestOf(s.mn);
      const placeholder = { view: { mn: s.mn } as SourceView, intervalS: s.intervalS };
      const view = this.directory.view(s.mn, this.statusOf(placeholder, latest?.ts ?? null, now));
      if (!view) continue;
      this.entries.set(s.mn, { view, json: null, intervalS: s.intervalS, point: pointJson(view) });
      this.order.push(s.mn);
      push(this.byEnterprise, view.enterpriseId, s.mn);
      push(this.byDistrict, view.district, s.mn);
      push(this.byKind, view.kind, s.mn);
    }
    return now;
  }
}
