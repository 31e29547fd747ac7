/**
 * Merges the rows of a registry workbook into a registry: enterprises by 企业编号, sources by
 * 数采仪MN, facilities by 设施编号 (upsert; nothing is removed). Each row applies whole or not at all:
 * a refused row is named with its sheet, row, column and a Chinese reason, and the other rows still
 * apply. Rows are checked on their own (cells, required fields, enums, ranges, the city's bounds),
 * against the merged registry (unknown enterprise, inlet and facility links) and finally as a
 * whole registry (registrySchema); a row that would make it invalid is refused and undone.
 */
import { generateLoggerPassword } from '../domain/logger-password';
import {
  enterpriseSchema, facilitySchema, registrySchema, sourceSchema, type DatedLimit, type Enterprise, type Facility,
  type Registry, type Source,
} from '../domain/registry';
import { CellRefusal, codeOf, dateOf, factorOfLabel, limitOf, textOf } from './sheet-cells';
import { enterpriseGaps, facilityGaps, sourceGaps, type Column, type Draft } from './sheet-columns';
import { type AnyLayout, type Layout, type Refusal } from './sheet-layout';
import type { SheetRow } from './sheet-read';
import { checkFacility, checkInlet, deepEqual, translateIssue } from './registry-checks';

/** A registry that may still be empty (importing into nothing). */
export interface RegistryDraft {
  enterprises: readonly Enterprise[];
  sources: readonly Source[];
  facilities?: readonly Facility[] | undefined;
}

/** The city's bounding box, degrees (WGS-84 / GCJ-02 as the registry holds them). */
export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface MergeOptions {
  bounds?: Bounds | undefined;
  /** Generate logger credentials for new sources that bring none (apply; a dry run generates none). */
  generateCredentials: boolean;
  /** Yields to the event loop between chunks of rows (default: setImmediate every 500 rows). */
  pause?: () => Promise<void>;
}

export interface Tally {
  added: number;
  changed: number;
  unchanged: number;
}

export interface GeneratedCredentials {
  mn: string;
  enterpriseId: string;
  name: string;
  pw: string;
  mqttPassword: string;
}

export interface MergeResult {
  next: RegistryDraft;
  summary: { enterprises: Tally; sources: Tally; facilities: Tally };
  refused: Refusal[];
  /** Credentials generated for new sources: shown once. */
  credentials: GeneratedCredentials[];
  /** Set when the merged registry cannot be applied at all (e.g. it would hold no enterprise or source). */
  blocked?: string;
}

type Kind = 'enterprises' | 'sources' | 'facilities';
/** Where a row is: sheet and row number. */
type At = { sheet: string; row: number };
const CHUNK = 500;
const defaultPause = () => new Promise<void>((resolve) => setImmediate(resolve));

const maps = () => ({
  enterprises: new Map<string, Enterprise>(),
  sources: new Map<string, Source>(),
  facilities: new Map<string, Facility>(),
});

/** The registry under construction: per kind, the records by key, and which row set each. */
class Merge {
  readonly maps = maps();
  readonly base = maps();
  readonly origin = { enterprises: new Map<string, At>(), sources: new Map<string, At>(), facilities: new Map<string, At>() };
  /** Where each key was first met in the file (refused or not): one record, one row. */
  readonly seen = { enterprises: new Map<string, At>(), sources: new Map<string, At>(), facilities: new Map<string, At>() };
  readonly refusedKeys = { enterprises: new Set<string>(), sources: new Set<string>(), facilities: new Set<string>() };
  readonly refused: Refusal[] = [];

  constructor(base: RegistryDraft) {
    for (const e of base.enterprises) this.base.enterprises.set(e.id, e), this.maps.enterprises.set(e.id, e);
    for (const s of base.sources) this.base.sources.set(s.mn, s), this.maps.sources.set(s.mn, s);
    for (const f of base.facilities ?? []) this.base.facilities.set(f.id, f), this.maps.facilities.set(f.id, f);
  }

  refuse(at: { sheet: string; row: number }, reason: string, column?: string): void {
    this.refused.push({ sheet: at.sheet, row: at.row, ...(column ? { column } : {}), reason });
  }

  /** Undoes a row's record (back to the registry's, or gone if new) and names the row. */
  undo(kind: Kind, key: string, reason: string, column?: string): void {
    const at = this.origin[kind].get(key);
    if (!at) return;
    const before = this.base[kind].get(key);
    if (before) (this.maps[kind] as Map<string, unknown>).set(key, before);
    else this.maps[kind].delete(key);
    this.origin[kind].delete(key);
    this.refusedKeys[kind].add(key);
    this.refuse(at, reason, column);
  }
}

const keyField: Record<Kind, 'id' | 'mn'> = { enterprises: 'id', sources: 'mn', facilities: 'id' };
const gapsOf: Record<Kind, (d: Draft) => string | undefined> = {
  enterprises: enterpriseGaps,
  sources: sourceGaps,
  facilities: facilityGaps,
};
const schemaOf = { enterprises: enterpriseSchema, sources: sourceSchema, facilities: facilitySchema };

/** Row number lists of keys that occur more than once in a sheet. */
function duplicates(layout: AnyLayout, keyIndex: number): Map<string, number[]> {
  const rowsByKey = new Map<string, number[]>();
  for (const r of layout.rows) {
    const k = textOf(r.cells[keyIndex]);
    if (k !== '') rowsByKey.set(k, [...(rowsByKey.get(k) ?? []), r.row]);
  }
  return new Map([...rowsByKey].filter(([, rows]) => rows.length > 1));
}

/** One row into a record: the existing one with the row's cells on top, checked on its own. */
function readRow<T>(m: Merge, kind: Kind, layout: Layout<T>, r: SheetRow, key: string, bounds: Bounds | undefined): T | undefined {
  const at = { sheet: layout.sheet, row: r.row };
  const existing = m.maps[kind].get(key);
  const draft: Draft = existing ? structuredClone(existing as unknown as Draft) : {};
  for (const [i, col] of layout.columns.entries()) {
    if (!col) continue;
    const cell = r.cells[i];
    try {
      if (textOf(cell) === '') col.clear(draft);
      else col.read(cell, draft);
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      return void m.refuse(at, err.message, layout.columns[i]?.header);
    }
  }
  if (kind === 'sources' && !readLimits(m, layout as Layout<unknown>, r, draft)) return undefined;
  const gap = gapsOf[kind](draft);
  if (gap) return void m.refuse(at, gap);
  if (kind !== 'enterprises' && !m.maps.enterprises.has(draft['enterpriseId'] as string)) {
    const why = m.refusedKeys.enterprises.has(draft['enterpriseId'] as string) ? '（企业表中该企业的行被拒绝）' : '';
    return void m.refuse(at, `未知企业编号「${String(draft['enterpriseId'])}」${why}`, '所属企业编号');
  }
  if (kind === 'sources' && bounds) {
    const reason = outside(draft['lon'] as number, draft['lat'] as number, bounds);
    if (reason) return void m.refuse(at, reason, '经度');
  }
  const parsed = schemaOf[kind].safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const column = layout.columns.find((c) => c?.key === field)?.header;
    return void m.refuse(at, translateIssue(issue?.message ?? ''), column);
  }
  return parsed.data as T;
}

function readLimits(m: Merge, layout: Layout<unknown>, r: SheetRow, draft: Draft): boolean {
  const limits = { ...((draft['limits'] as Record<string, unknown> | undefined) ?? {}) };
  for (const [i, { factor, header }] of layout.limits) {
    const cell = r.cells[i];
    if (textOf(cell) === '') {
      if (factor) delete limits[factor];
      continue;
    }
    if (!factor) return m.refuse({ sheet: layout.sheet, row: r.row }, `未知监测因子「${header.replace(/^限值[\s:：\-_]*/, '')}」`, header), false;
    try {
      limits[factor] = limitOf(cell, header);
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      return m.refuse({ sheet: layout.sheet, row: r.row }, err.message, header), false;
    }
  }
  draft['limits'] = limits;
  return true;
}

function outside(lon: number, lat: number, b: Bounds): string | undefined {
  if (lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north) return undefined;
  const swapped = lat >= b.west && lat <= b.east && lon >= b.south && lon <= b.north ? '，经纬度可能填反了' : '';
  return `坐标（经度 ${lon}，纬度 ${lat}）不在本市范围内（经度 ${b.west}–${b.east}，纬度 ${b.south}–${b.north}）${swapped}`;
}

async function mergeRecords(m: Merge, kind: Kind, layout: AnyLayout, opts: MergeOptions): Promise<void> {
  const keyIndex = layout.columns.findIndex((c) => c?.key === keyField[kind]);
  const dups = duplicates(layout, keyIndex);
  const pause = opts.pause ?? defaultPause;
  for (const [n, r] of layout.rows.entries()) {
    if (n > 0 && n % CHUNK === 0) await pause();
    const at = { sheet: layout.sheet, row: r.row };
    const header = layout.columns[keyIndex]?.header;
    let key: string;
    try {
      key = kind === 'sources' ? codeOf(r.cells[keyIndex], '数采仪MN') : textOf(r.cells[keyIndex]);
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      m.refuse(at, err.message, header);
      continue;
    }
    if (key === '') {
      m.refuse(at, `缺少${header}`, header);
      continue;
    }
    const dup = dups.get(key);
    if (dup) {
      m.refusedKeys[kind].add(key);
      m.refuse(at, `${header}「${key}」在文件中重复（第 ${dup.join('、')} 行）`, header);
      continue;
    }
    const earlier = m.origin[kind].get(key) ?? m.seen[kind].get(key);
    if (earlier && earlier.sheet !== layout.sheet) {
      m.refuse(at, `${header}「${key}」已在工作表「${earlier.sheet}」第 ${earlier.row} 行出现，同一记录只能填写一次`, header);
      continue;
    }
    m.seen[kind].set(key, at);
    const record = readRow(m, kind, layout as Layout<unknown>, r, key, opts.bounds);
    if (record === undefined) {
      m.refusedKeys[kind].add(key);
      continue;
    }
    (m.maps[kind] as Map<string, unknown>).set(key, record);
    m.origin[kind].set(key, at);
  }
}

type Quintuple = [number, number, number, number, number];

/** 限值计划 rows: each MN named gets its dated limits replaced by its good rows. */
function mergeSchedule(m: Merge, layout: AnyLayout): void {
  const col = (key: string) => layout.columns.findIndex((c) => c?.key === key);
  const [mnI, factorI, limitI, fromI, untilI] = (['mn', 'factor', 'limit', 'from', 'until'] as const).map(col) as Quintuple;
  const byMn = new Map<string, { at: { sheet: string; row: number }; limit: DatedLimit }[]>();
  for (const r of layout.rows) {
    const at = { sheet: layout.sheet, row: r.row };
    try {
      const mn = codeOf(r.cells[mnI], '数采仪MN');
      if (!m.maps.sources.has(mn)) {
        m.refuse(at, m.refusedKeys.sources.has(mn) ? `排口「${mn}」在排口表中的行被拒绝` : `未登记的数采仪MN「${mn}」`, '数采仪MN');
        continue;
      }
      const label = textOf(r.cells[factorI]);
      const factor = factorOfLabel(label);
      if (!factor) throw new CellRefusal(`未知监测因子「${label}」`);
      const from = textOf(r.cells[fromI]) === '' ? undefined : dateOf(r.cells[fromI], '起始日期');
      const until = textOf(r.cells[untilI]) === '' ? undefined : dateOf(r.cells[untilI], '截止日期');
      if (from && until && from >= until) throw new CellRefusal('起始日期须早于截止日期');
      const limit: DatedLimit = { factor, ...(from ? { from } : {}), ...(until ? { until } : {}), limit: limitOf(r.cells[limitI], '限值') };
      byMn.set(mn, [...(byMn.get(mn) ?? []), { at, limit }]);
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      m.refuse(at, err.message);
    }
  }
  for (const [mn, rows] of byMn) {
    const source = m.maps.sources.get(mn) as Source;
    m.maps.sources.set(mn, { ...source, limitSchedule: rows.map((x) => x.limit) });
    if (!m.origin.sources.has(mn)) m.origin.sources.set(mn, rows[0]?.at as At);
  }
}

/** Cross-record checks: an outlet's inlet; a facility's outlets and what it serves (until nothing changes). */
function crossCheck(m: Merge): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const mn of [...m.origin.sources.keys()]) {
      const reason = checkInlet(m.maps.sources.get(mn) as Source, m.maps.sources);
      if (reason) m.undo('sources', mn, reason, '进口MN'), (changed = true);
    }
    for (const id of [...m.origin.facilities.keys()]) {
      const bad = checkFacility(m.maps.facilities.get(id) as Facility, m.maps.sources, m.maps.facilities);
      if (bad) m.undo('facilities', id, bad.reason, bad.column), (changed = true);
    }
  }
}

function tally<T>(m: Merge, kind: Kind): Tally {
  const t: Tally = { added: 0, changed: 0, unchanged: 0 };
  for (const key of m.origin[kind].keys()) {
    const before = m.base[kind].get(key);
    if (!before) t.added++;
    else if (deepEqual(before, m.maps[kind].get(key))) {
      (m.maps[kind] as Map<string, T>).set(key, before as T); // the same object: no spurious change
      t.unchanged++;
    } else t.changed++;
  }
  return t;
}

const draftOf = (m: Merge): RegistryDraft => ({
  enterprises: [...m.maps.enterprises.values()],
  sources: [...m.maps.sources.values()],
  facilities: [...m.maps.facilities.values()],
});

/** The whole registry once more (registrySchema): a row whose record it faults is undone. */
function finalCheck(m: Merge): string | undefined {
  for (let round = 0; round < 5; round++) {
    const next = draftOf(m);
    const parsed = registrySchema.safeParse(next);
    if (parsed.success) return undefined;
    let undone = 0;
    for (const issue of parsed.error.issues) {
      const [kind, index] = issue.path as [Kind, number];
      const record = (next[kind] as readonly Record<string, unknown>[] | undefined)?.[index];
      if (!record) continue;
      const key = record[keyField[kind]] as string;
      const reason = `该行会使登记数据不一致：${translateIssue(issue.message)}`;
      if (m.origin[kind].has(key)) (m.undo(kind, key, reason), undone++);
      else {
        // A record the file did not touch, faulted by one it changed: undo those it refers to.
        for (const mn of [record['inletMn'], ...((record['outletMns'] as string[] | undefined) ?? [])]) {
          if (typeof mn === 'string' && m.origin.sources.has(mn)) (m.undo('sources', mn, reason), undone++);
        }
      }
    }
    if (undone === 0) {
      const empty = next.enterprises.length === 0 || next.sources.length === 0;
      return empty ? '导入后登记数据中至少需要一个企业和一个排口/站点' : `导入后登记数据不合法：${translateIssue(parsed.error.issues[0]?.message ?? '')}`;
    }
  }
  return '导入后登记数据仍不合法，请检查引用关系';
}

function issueCredentials(m: Merge): GeneratedCredentials[] {
  const out: GeneratedCredentials[] = [];
  for (const mn of m.origin.sources.keys()) {
    const s = m.maps.sources.get(mn) as Source;
    if (m.base.sources.has(mn) || (s.pw && s.mqttPassword)) continue;
    const next = { ...s, pw: s.pw || generateLoggerPassword(), mqttPassword: s.mqttPassword ?? generateLoggerPassword() };
    m.maps.sources.set(mn, next);
    out.push({ mn, enterpriseId: s.enterpriseId, name: s.name, pw: next.pw, mqttPassword: next.mqttPassword });
  }
  return out;
}

const ORDER: Record<AnyLayout['kind'], number> = { enterprises: 0, sources: 1, schedule: 2, facilities: 3 };

/** Merges recognised sheets (see sheet-layout) into `base`. */
export async function mergeRegistry(
  base: RegistryDraft | Registry,
  layouts: readonly AnyLayout[],
  opts: MergeOptions,
): Promise<MergeResult> {
  const m = new Merge(base);
  for (const layout of [...layouts].sort((a, b) => ORDER[a.kind] - ORDER[b.kind])) {
    if (layout.kind === 'schedule') mergeSchedule(m, layout);
    else await mergeRecords(m, layout.kind, layout, opts);
  }
  crossCheck(m);
  const credentials = opts.generateCredentials ? issueCredentials(m) : [];
  const blocked = finalCheck(m);
  const kept = new Set(m.origin.sources.keys());
  const summary = { enterprises: tally(m, 'enterprises'), sources: tally(m, 'sources'), facilities: tally(m, 'facilities') };
  return {
    next: draftOf(m),
    summary,
    refused: m.refused,
    credentials: credentials.filter((c) => kept.has(c.mn)),
    ...(blocked ? { blocked } : {}),
  };
}
