/**
 * The demo's reduction lists (issue 18), filed at `npm start` when the store has none: for every
 * enterprise with air emissions, one entry per registered production line (or, without one, per
 * monitored outlet) with a graded measure per level — yellow limits to 80 %, orange to 50 %, red
 * stops — key indicators from the registry (the line's power, else the outlet's flow) and expected
 * reductions. A spread of standings: most lists are this season's, every seventh enterprise has only
 * last season's (outdated), and every seventh after it none (missing), so the coverage report shows
 * each tag. The enterprises' grades are the demo registry's.
 */
import type { KeyIndicator, LevelMeasure, ReductionEntry } from '../domain/reduction-list';
import type { Registry, Source } from '../domain/registry';
import { airEmitters, AIR_EMISSION_KINDS } from '../domain/reduction-scope';
import type { ReductionService } from './reduction-service';
import { sourcesOf } from '../domain/registry';

export interface DemoList {
  enterpriseId: string;
  year: number;
  entries: ReductionEntry[];
}

const PHONES = ['13904210001', '13904210002', '13904210003', '13904210004'];
const PEOPLE = ['王建国', '李明', '张伟', '刘洋'];

/** kg/h of a measure keeping `kept` % of an entry whose full-load emissions are `full`. */
const cut = (full: { so2: number; nox: number; pm: number; vocs: number }, kept: number) => {
  const r = (v: number) => Math.round(v * (1 - kept / 100) * 10) / 10;
  return Object.fromEntries(Object.entries(full).flatMap(([k, v]) => (v > 0 ? [[k, r(v)]] : []))) as LevelMeasure['expectedKgH'];
};

function entryOf(
  id: string,
  name: string,
  outlets: readonly Source[],
  line: { id: string; ratedKw?: number | undefined } | undefined,
  n: number,
): ReductionEntry {
  const voc = outlets.some((s) => s.kind === 'vocs' || s.kind === 'vapour');
  const full = voc ? { so2: 0, nox: 0.5, pm: 0.2, vocs: 6 + n } : { so2: 12 + 3 * n, nox: 25 + 5 * n, pm: 3 + n, vocs: 0 };
  const mn = outlets[0]?.mn;
  const indicator = (kept: number): KeyIndicator[] =>
    line
      ? [{ kind: 'line-power', facilityId: line.id, maxKw: Math.round(((line.ratedKw ?? 1000) * Math.max(kept, 5)) / 100) }]
      : mn !== undefined
        ? [{ kind: 'outlet-flow', mn, maxM3h: Math.round((150_000 * Math.max(kept, 5)) / 100) }]
        : [];
  const measure = (action: LevelMeasure['action'], kept: number, description: string): LevelMeasure => ({
    action,
    ...(action === 'limit' && { limitToPct: kept }),
    description,
    indicators: indicator(kept),
    expectedKgH: cut(full, kept),
  });
  return {
    id,
    ...(line && { facilityId: line.id }),
    name,
    ...(voc && { process: '涉 VOCs 工序' }),
    outletMns: outlets.map((s) => s.mn),
    meterIds: [],
    measures: {
      yellow: measure('limit', 80, `${name}限产至 80%`),
      orange: measure('limit', 50, `${name}限产至 50%`),
      red: measure('stop', 0, `${name}停产`),
    },
    responsible: { name: PEOPLE[n % PEOPLE.length] as string, phone: PHONES[n % PHONES.length] as string },
  };
}

/** The demo's lists for `year` (this season's) and `year - 1`. */
export function demoReductionLists(reg: Registry, year: number): DemoList[] {
  return airEmitters(reg).flatMap((e, i): DemoList[] => {
    if (i % 7 === 6) return [];
    const outlets = sourcesOf(reg.sources, e.id).filter((s) => AIR_EMISSION_KINDS.includes(s.kind) && s.kind !== 'condition');
    const lines = (reg.facilities ?? []).filter((f) => f.enterpriseId === e.id && f.kind === 'production-line');
    const entries =
      lines.length > 0
        ? lines.map((l, n) =>
            entryOf(
              `e${n + 1}`,
              l.name,
              outlets.filter((s) => l.outletMns?.includes(s.mn)),
              l,
              n,
            ),
          )
        : outlets.map((s, n) => entryOf(`e${n + 1}`, `${s.name}对应工序`, [s], undefined, n));
    if (entries.length === 0) return [];
    return i % 7 === 5 ? [{ enterpriseId: e.id, year: year - 1, entries }] : [{ enterpriseId: e.id, year, entries }];
  });
}

/** The season's year on a local date: after 31 August this year's lists serve, before it last year's. */
export const seasonYear = (today: string): number => Number(today.slice(0, 4)) - (today.slice(5) > '08-31' ? 0 : 1);

/** Files the demo's lists when the store has none; resolves with how many were filed. */
export async function seedDemoReductionLists(
  service: Pick<ReductionService, 'isEmpty' | 'file' | 'today'>,
  reg: Registry,
): Promise<number> {
  if (!(await service.isEmpty())) return 0;
  const by = { actor: { username: 'system' }, username: 'system', ip: null };
  const lists = demoReductionLists(reg, seasonYear(service.today()));
  for (const l of lists) await service.file(l.enterpriseId, l.year, l.entries, by, 'demo');
  return lists.length;
}
