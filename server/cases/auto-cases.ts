/**
 * Cases the product opens itself (issue 19 item 2, "an automatic case"): a source below the
 * transmission pass mark over the last ended month, and a source offline longer than
 * offline.caseAfterS (the data-quality figures' `caseDue`, server/quality/quality-figures.ts).
 * One open case per source and type: while one is not closed, nothing new is opened for it. The
 * officer in charge is the duty room's primary officer now, else the first active officer.
 */
import type { CaseType, CreateCaseInput } from '../domain/case';
import { localDate } from '../domain/local-time';
import type { CaseDue } from '../domain/quality';

const DAY_MS = 86_400_000;

/** Days an enterprise gets to put it right, by reason (its deadline is that many days from today). */
export const AUTO_CASE_DAYS: Record<CaseDue['reason'], number> = { transmission: 30, outage: 7 };

/** The last month that has ended at `now` (local time), as a quality period text: 2026-11. */
export function lastEndedMonth(now: number, utcOffsetMinutes: number): string {
  const [y, m] = localDate(now, utcOffsetMinutes).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The case a due entry opens (pure): the required actions and the note say why, in the bureau's words. */
export function caseFromDue(d: CaseDue, officer: string, now: number, utcOffsetMinutes: number): CreateCaseInput {
  const date = localDate(now + AUTO_CASE_DAYS[d.reason] * DAY_MS, utcOffsetMinutes);
  const requirements =
    d.reason === 'transmission'
      ? [
          `${d.period} 有效传输率 ${((d.effectiveRate ?? 0) * 100).toFixed(1)}%，低于 90%：查明数据缺失或无效的原因并整改，恢复稳定有效传输`,
          '提交整改报告（原因、措施、运维记录）',
        ]
      : [`监测数据已中断 ${d.offlineHours ?? 0} 小时：立即恢复数据传输，说明中断原因`, '提交整改报告（原因、措施、恢复时间）'];
  return {
    type: d.reason as CaseType,
    enterpriseId: d.enterpriseId,
    alertIds: [],
    sources: [d.mn],
    officer,
    deadline: { kind: 'date', date },
    requirements,
    internalNote: d.reason === 'transmission' ? `系统按 ${d.period} 数据质量统计自动立案` : '系统按数据中断超过立案时限自动立案',
  };
}

export interface AutoCasesDeps {
  /** The sources due a case now (the last ended month's transmission, and the outages). */
  due(): Promise<CaseDue[]>;
  /** Sources with a case of this type that is not closed. */
  openCaseSources(type: CaseType): Promise<Set<string>>;
  /** Who is put in charge, or null when no officer can be (then nothing is opened, and it is logged). */
  officer(): Promise<string | null>;
  create(input: CreateCaseInput): Promise<unknown>;
  now: () => number;
  utcOffsetMinutes: number;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
}

/** Opens the cases due and not yet open; resolves with how many it opened. */
export async function openDueCases(deps: AutoCasesDeps): Promise<number> {
  const due = await deps.due();
  if (due.length === 0) return 0;
  const officer = await deps.officer();
  if (officer === null) {
    deps.log.warn({ due: due.length }, 'sources are due a case but no active officer can be put in charge');
    return 0;
  }
  const open = new Map<CaseType, Set<string>>();
  let opened = 0;
  for (const d of due) {
    const type = d.reason as CaseType;
    const sources = open.get(type) ?? (await deps.openCaseSources(type));
    open.set(type, sources);
    if (sources.has(d.mn)) continue;
    await deps.create(caseFromDue(d, officer, deps.now(), deps.utcOffsetMinutes));
    sources.add(d.mn);
    opened += 1;
    deps.log.info({ mn: d.mn, reason: d.reason, period: d.period }, 'case opened automatically');
  }
  return opened;
}
