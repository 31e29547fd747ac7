/**
 * An alert's evidence tables in words (pure, like alert-words.ts): a hotspot's hours against the
 * city mean and the registered sources nearby; a measure non-compliance's checks (issue 18) — each
 * key indicator or emission rate with its subject (the facility's or outlet's name), observed and
 * allowed values with units, the baseline an emission rate was held to, and the verdict. A table or
 * a check kind this version does not know never shows its raw key.
 */
import type { Alert, EvidenceRows, EvidenceScalar, Evidence } from '@domain/alert';
import { catalog } from '@domain/catalog';
import { bearingText, type Words } from './alert-words';

/** The evidence tables the rules emit, shown apart from the fields by evidenceTables. */
export const EVIDENCE_TABLES = ['hours', 'nearby', 'checks'] as const;

/** One evidence table in words: its title, column headings and cells. */
export interface EvidenceTable {
  key: (typeof EVIDENCE_TABLES)[number];
  title: string;
  columns: string[];
  rows: string[][];
}

/** The kinds of check a measure's verification makes (server/domain/reduction-verify.ts). */
const CHECK_KINDS = ['line-power', 'outlet-flow', 'limit', 'flag', 'emission'] as const;

const num = (v: EvidenceScalar | undefined): number | null => (typeof v === 'number' ? v : null);
const str = (v: EvidenceScalar | undefined): string => (typeof v === 'string' ? v : '');

function upwindText(v: EvidenceScalar | undefined, w: Pick<Words, 't'>): string {
  if (v === true) return w.t('upwind.yes');
  if (v === false) return w.t('upwind.no');
  return w.t('upwind.unknown');
}

/** One check in words: what (and the factor of a limit), on what, observed, allowed, baseline, verdict. */
function checkCells(r: Record<string, EvidenceScalar>, w: Words): string[] {
  const what = str(r['what']);
  const known = (CHECK_KINDS as readonly string[]).includes(what);
  const code = str(r['code']);
  const factor = code ? (catalog.get(code)?.zh ?? w.t('evidence.other')) : '';
  const label = known ? w.t(`checkWhat.${what}`) : w.t('checkWhat.other');
  const subject = str(r['subject']);
  const on = what === 'line-power' ? str(r['name']) || w.t('common.none') : subject ? w.sourceName(subject) : w.t('common.none');
  const unit = str(r['unit']);
  const value = (v: EvidenceScalar | undefined) => {
    const n = num(v);
    return n === null ? w.t('common.none') : w.withUnit(Math.round(n * 100) / 100, unit);
  };
  const verdict = str(r['verdict']);
  return [
    factor ? `${label}（${factor}）` : label,
    on,
    what === 'flag' ? w.t('checkWhat.stoppedFlag') : value(r['observed']),
    what === 'flag' ? w.t('common.none') : value(r['allowed']),
    value(r['baseline']),
    ['pass', 'fail', 'nodata'].includes(verdict) ? w.t(`checkVerdict.${verdict}`) : w.t('common.none'),
  ];
}

function tableOf(key: EvidenceTable['key'], rows: EvidenceRows, alert: Pick<Alert, 'unit'>, w: Words): EvidenceTable {
  const col = (c: string) => w.t(`evidenceColumn.${c}`);
  const value = (v: EvidenceScalar | undefined) => {
    const n = num(v);
    return n === null ? w.t('common.none') : w.withUnit(n, alert.unit);
  };
  if (key === 'checks') {
    return {
      key,
      title: w.t('evidence.checks'),
      columns: [col('check'), col('subject'), col('observed'), col('allowed'), col('baseline'), col('verdict')],
      rows: rows.map((r) => checkCells(r, w)),
    };
  }
  if (key === 'hours') {
    return {
      key,
      title: w.t('evidence.hours'),
      columns: [col('hour'), col('value'), col('cityMean')],
      rows: rows.map((r) => {
        const hour = num(r['hour']);
        return [hour === null ? w.t('common.none') : w.dateTime(hour), value(r['value']), value(r['cityMean'])];
      }),
    };
  }
  return {
    key,
    title: w.t('evidence.nearby'),
    columns: [col('source'), col('enterprise'), col('distance'), col('bearing'), col('upwind')],
    rows: rows.map((r) => {
      const km = num(r['km']);
      const bearing = num(r['bearing']);
      return [
        str(r['name']),
        str(r['enterprise']),
        km === null ? w.t('common.none') : w.withUnit(km, 'km'),
        bearing === null ? w.t('common.none') : bearingText(bearing, w),
        upwindText(r['upwind'], w),
      ];
    }),
  };
}

/** The evidence's tables this version knows, in words; others are left out. */
export function evidenceTables(evidence: Evidence, alert: Pick<Alert, 'unit'>, w: Words): EvidenceTable[] {
  return EVIDENCE_TABLES.flatMap((key) => {
    const rows = evidence[key];
    return Array.isArray(rows) ? [tableOf(key, rows, alert, w)] : [];
  });
}
