/**
 * Merges the rows of a registry workbook into a registry: enterprises by 企业编号, sources by
 * 数采仪MN, facilities by 设施编号 (upsert; nothing is removed). Each row applies whole or not at all:
 * a refused row is named with its sheet, row, column and a Chinese reason, and the other rows still
 * apply. Rows are checked on their own (cells, required fields, enums, ranges, the city's bounds),
 * against the merged registry (unknown enterprise, inlet and facility links) and finally as a
 * whole registry (registrySchema); a row that would make it invalid is refused and undone.
 */
import { generateLoggerPassword } from '../domain/logger-password';
import { registrySchema, type Registry, type Source } from '../domain/registry';
import { crossCheck, keyField, Merge, mergeRecords, mergeSchedule, type Kind } from './merge-rows';
import type { GeneratedCredentials, MergeOptions, MergeResult, RegistryDraft, Tally } from './merge-types';
import { deepEqual, translateIssue } from './registry-checks';
import type { AnyLayout } from './sheet-layout';

export type { Bounds, GeneratedCredentials, MergeOptions, MergeResult, RegistryDraft, Tally } from './merge-types';

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
      if (m.origin[kind].has(key)) {
        m.undo(kind, key, reason);
        undone++;
      } else {
        // A record the file did not touch, faulted by one it changed: undo those it refers to.
        for (const mn of [record['inletMn'], ...((record['outletMns'] as string[] | undefined) ?? [])]) {
          if (typeof mn === 'string' && m.origin.sources.has(mn)) {
            m.undo('sources', mn, reason);
            undone++;
          }
        }
      }
    }
    if (undone === 0) {
      const empty = next.enterprises.length === 0 || next.sources.length === 0;
      return empty
        ? '导入后登记数据中至少需要一个企业和一个排口/站点'
        : `导入后登记数据不合法：${translateIssue(parsed.error.issues[0]?.message ?? '')}`;
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
