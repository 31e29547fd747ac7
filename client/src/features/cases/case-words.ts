/**
 * How a rectification case reads in the dashboard (pure, tested): its deadline, a file's size, a
 * history entry's facts, the status's tag colour, the required actions typed one per line, and the
 * China-time dates the forms start from. Never an id, a key or an epoch in the text.
 */
import { RULE_IDS } from '@domain/rule-ids';
import { dueDateOf, type CaseDeadline, type CaseHistoryEntry, type CaseStatus, type CaseType } from '@domain/case-kinds';

type T = (key: string, params?: Record<string, unknown>) => string;

export function deadlineText(d: CaseDeadline, t: T): string {
  return d.kind === 'date' ? d.date : t('cases.deadline.overhaul', { date: d.latest });
}

export function sizeText(bytes: number, t: T): string {
  if (bytes < 1_048_576) return t('cases.kb', { n: Math.max(1, Math.round(bytes / 1024)) });
  return t('cases.mb', { n: Math.round((bytes / 1_048_576) * 10) / 10 });
}

/** The facts of a history entry, worded (empty when it has none worth saying). */
export function entryDetail(e: CaseHistoryEntry, t: T, nameOf: (username: string) => string): string {
  const d = e.detail ?? {};
  const num = (k: string) => (typeof d[k] === 'number' ? d[k] : 0);
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  switch (e.event) {
    case 'created':
      return num('alerts') > 0 ? t('cases.detail.alerts', { n: num('alerts') }) : '';
    case 'submitted':
      return num('attachments') > 0 ? t('cases.detail.attachments', { n: num('attachments') }) : '';
    case 'accepted':
      return num('cleanDays') > 0 ? t('cases.detail.cleanDays', { n: num('cleanDays') }) : '';
    case 'reassigned':
      return t('cases.detail.reassigned', {
        from: nameOf(str('fromOfficer')),
        to: nameOf(str('toOfficer')),
        fromDue: str('fromDue'),
        toDue: str('toDue'),
      });
    case 'attached':
      return t('cases.detail.attached', { name: str('name'), size: sizeText(num('size'), t) });
    case 'detached':
      return t('cases.detail.detached', { name: str('name') });
    case 'overdue':
      return t('cases.detail.overdue', { due: str('due') });
    default:
      return '';
  }
}

export const STATUS_TAG: Record<CaseStatus, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  open: 'warning',
  submitted: 'primary',
  verifying: 'primary',
  closed: 'success',
  returned: 'danger',
};

/** The required actions as typed, one per line (blank lines dropped). */
export const requirementsOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM-DD` in China time, `days` after `now`. */
export const chinaDate = (now: number, days = 0): string => new Date(now + CHINA_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);

/** The deadline's due date, for sorting and display. */
export const dueOf = (d: CaseDeadline): string => dueDateOf(d);

const FALSIFICATION_RULES: readonly string[] = [
  RULE_IDS.flatLine,
  RULE_IDS.zsMismatch,
  RULE_IDS.o2Ambient,
  RULE_IDS.nearLimit,
  RULE_IDS.copiedData,
  RULE_IDS.stepDrop,
];
const FACILITY_RULES: readonly string[] = [
  RULE_IDS.bypass,
  RULE_IDS.removalEfficiency,
  RULE_IDS.instrumentFault,
  RULE_IDS.flareTemperature,
];

/** The case type an alert's rule suggests (the officer may change it). */
export function caseTypeOfRule(rule: string): CaseType {
  if (rule.startsWith('limit-')) return 'exceedance';
  if (FALSIFICATION_RULES.includes(rule)) return 'falsification';
  if (rule === RULE_IDS.offline) return 'outage';
  if (FACILITY_RULES.includes(rule)) return 'facility';
  return 'other';
}
