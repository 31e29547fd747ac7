/**
 * The rows of each sheet into records of the registry under construction (`Merge`): a row's cells on
 * top of the existing record, checked on its own (cells, required fields, enums, ranges, bounds,
 * its enterprise); the 限值计划 rows; then the checks across records (an outlet's inlet, a
 * facility's outlets and what it serves), undoing a row that fails them.
 */
import {
  enterpriseSchema,
  facilitySchema,
  sourceSchema,
  type DatedLimit,
  type Enterprise,
  type Facility,
  type Source,
} from '../domain/registry';
import type { Bounds, MergeOptions, RegistryDraft } from './merge-types';
import { checkFacility, checkInlet, translateIssue } from './registry-checks';
import { CellRefusal, codeOf, dateOf, factorOfLabel, limitOf, textOf } from './sheet-cells';
import { enterpriseGaps, facilityGaps, sourceGaps, type Draft } from './sheet-gaps';
import type { AnyLayout, Layout, Refusal } from './sheet-layout';
import type { SheetRow } from './sheet-read';

export type Kind = 'enterprises' | 'sources' | 'facilities';
/** Where a row is: sheet and row number. */
export type At = { sheet: string; row: number };
const CHUNK = 500;
const defaultPause = () => new Promise<void>((resolve) => setImmediate(resolve));

const maps = () => ({
  enterprises: new Map<string, Enterprise>(),
  sources: new Map<string, Source>(),
  facilities: new Map<string, Facility>(),
});

/** The registry under construction: per kind, the records by key, and which row set each. */
export class Merge {
  readonly maps = maps();
  readonly base = maps();
  readonly origin = { enterprises: new Map<string, At>(), sources: new Map<string, At>(), facilities: new Map<string, At>() };
  /** Where each key was first met in the file (refused or not): one record, one row. */
  readonly seen = { enterprises: new Map<string, At>(), sources: new Map<string, At>(), facilities: new Map<string, At>() };
  readonly refusedKeys = { enterprises: new Set<string>(), sources: new Set<string>(), facilities: new Set<string>() };
  readonly refused: Refusal[] = [];

  constructor(base: RegistryDraft) {
    for (const e of base.enterprises) {
      this.base.enterprises.set(e.id, e);
      this.maps.enterprises.set(e.id, e);
    }
    for (const s of base.sources) {
      this.base.sources.set(s.mn, s);
      this.maps.sources.set(s.mn, s);
    }
    for (const f of base.facilities ?? []) {
      this.base.facilities.set(f.id, f);
      this.maps.facilities.set(f.id, f);
    }
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

export const keyField: Record<Kind, 'id' | 'mn'> = { enterprises: 'id', sources: 'mn', facilities: 'id' };
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
    if (!factor)
      return (m.refuse({ sheet: layout.sheet, row: r.row }, `未知监测因子「${header.replace(/^限值[\s:：\-_]*/, '')}」`, header), false);
    try {
      limits[factor] = limitOf(cell, header);
    } catch (err) {
      if (!(err instanceof CellRefusal)) throw err;
      return (m.refuse({ sheet: layout.sheet, row: r.row }, err.message, header), false);
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

export async function mergeRecords(m: Merge, kind: Kind, layout: AnyLayout, opts: MergeOptions): Promise<void> {
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
export function mergeSchedule(m: Merge, layout: AnyLayout): void {
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
export function crossCheck(m: Merge): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const mn of [...m.origin.sources.keys()]) {
      const reason = checkInlet(m.maps.sources.get(mn) as Source, m.maps.sources);
      if (reason) {
        m.undo('sources', mn, reason, '进口MN');
        changed = true;
      }
    }
    for (const id of [...m.origin.facilities.keys()]) {
      const bad = checkFacility(m.maps.facilities.get(id) as Facility, m.maps.sources, m.maps.facilities);
      if (bad) {
        m.undo('facilities', id, bad.reason, bad.column);
        changed = true;
      }
    }
  }
}
