/**
 * The CSV files of a case's evidence package (evidence-package.ts), in Chinese with China time:
 * the alerts and their history, the audit trail (rows), and per source its series and its raw HJ
 * 212 frames (lines read a day at a time from the stores, stopped at the caps of EVIDENCE_LIMITS).
 * A frame's logger password is masked (as GET /api/sources/:mn/frames shows it).
 */
import type { Alert, AlertHistoryEntry } from '../domain/alert';
import type { AuditRecord } from '../domain/audit';
import { catalog, factorUnitOf } from '../domain/catalog';
import { csvLine, EVIDENCE_LIMITS, type CsvCell, type EvidencePeriod } from '../domain/evidence';
import { DAY_MS } from '../domain/local-time';
import { maskFramePassword, maskPasswordText } from '../domain/raw-frame';
import { DATA_KINDS, primaryValue } from '../domain/reading';
import type { SourceKind } from '../domain/source-kinds';
import { ruleZh, SEVERITY_ZH } from '../alerts/notify-format';
import type { RawArchive } from '../storage/raw-archive';
import type { TelemetryRecordReader } from '../storage/telemetry-store';
import type { LedgerNames } from './case-ledger';
import { ALERT_HISTORY_ZH, ALERT_STATE_ZH, CASE_AUDIT_ZH, DATA_KIND_ZH, FLAG_ZH } from './evidence-words';

/** Local time to the second (what a spreadsheet reads as a date). */
const stamp = (ms: number, offset: number): string => new Date(ms + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
const maybe = (ms: number | null, offset: number): string => (ms === null ? '' : stamp(ms, offset));
const factorZh = (code: string): string => (code === '*' ? '全部因子' : (catalog.get(code)?.zh ?? code));
const personOf = (names: LedgerNames, u: string | null): string => (u === null ? '' : u === 'system' ? '系统' : names.person(u));

export const ALERT_HEADER = [
  '报警编号',
  '监控点',
  '监控点编号',
  '因子',
  '规则',
  '级别',
  '状态',
  '开始时间',
  '最近一次时间',
  '恢复时间',
  '确认时间',
  '关闭时间',
  '最新值',
  '峰值',
  '限值',
  '单位',
  '次数',
];

export function alertRows(alerts: readonly Alert[], names: LedgerNames, offset: number): CsvCell[][] {
  return alerts.map((a) => [
    a.id,
    names.source(a.mn),
    a.mn,
    factorZh(a.factor),
    ruleZh(a.rule),
    SEVERITY_ZH[a.severity],
    a.closedAt !== null ? '已关闭' : ALERT_STATE_ZH[a.state],
    stamp(a.openedAt, offset),
    stamp(a.lastSeenAt, offset),
    maybe(a.clearedAt, offset),
    maybe(a.acknowledgedAt, offset),
    maybe(a.closedAt, offset),
    a.value,
    a.peak,
    a.limit === 0 ? '' : a.limit,
    a.unit,
    a.count,
  ]);
}

export const HISTORY_HEADER = (bureau: boolean): string[] => [
  '报警编号',
  '时间',
  '事项',
  '办理人',
  '说明',
  ...(bureau ? ['仅内部可见'] : []),
];

const detailText = (d: AlertHistoryEntry['detail']): string =>
  d
    ? Object.entries(d as Record<string, unknown>)
        .filter(([k, v]) => k !== 'code' && v !== null && v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number)}`)
        .join('; ')
    : '';

export function historyRows(entries: readonly AlertHistoryEntry[], names: LedgerNames, bureau: boolean, offset: number): CsvCell[][] {
  return [...entries]
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .map((h) => [
      h.alertId,
      stamp(h.at, offset),
      ALERT_HISTORY_ZH[h.kind],
      personOf(names, h.actor),
      [h.note, detailText(h.detail)].filter((s) => s).join(' | '),
      ...(bureau ? [h.internal === true ? '是' : '否'] : []),
    ]);
}

export const AUDIT_HEADER = (bureau: boolean): string[] => ['时间', '操作人', '操作', '详情', ...(bureau ? ['IP 地址'] : [])];

export function auditRows(records: readonly AuditRecord[], names: LedgerNames, bureau: boolean, offset: number): CsvCell[][] {
  return records.map((r) => [
    stamp(r.at, offset),
    personOf(names, r.username),
    (CASE_AUDIT_ZH as Record<string, string | undefined>)[r.action] ?? r.action,
    r.detail ? JSON.stringify(r.detail) : '',
    ...(bureau ? [r.ip ?? ''] : []),
  ]);
}

/** Lines read lazily; `truncated` is set once a cap stopped them. */
export interface CappedLines extends AsyncIterable<string> {
  truncated: boolean;
}

/** [from, to) in local days. */
function* days(period: EvidencePeriod): Generator<[number, number]> {
  for (let from = period.from; from < period.to; from += DAY_MS) yield [from, Math.min(period.to, from + DAY_MS)];
}

export const SERIES_HEADER = ['时间', '数据类型', '因子编码', '因子名称', '监测值', '折算值', '单位', '数据标记', '标记含义'];

export function seriesLines(
  store: Pick<TelemetryRecordReader, 'records'>,
  mn: string,
  kind: SourceKind | undefined,
  period: EvidencePeriod,
  offset: number,
  max: number = EVIDENCE_LIMITS.maxSeriesRows,
): CappedLines {
  const out: CappedLines = {
    truncated: false,
    async *[Symbol.asyncIterator]() {
      let n = 0;
      for (const cn of DATA_KINDS) {
        for (const [from, to] of days(period)) {
          for (const r of await store.records({ mn, cn, from, to })) {
            for (const [code, v] of Object.entries(r.factors)) {
              if (n >= max) {
                out.truncated = true;
                return;
              }
              n++;
              const value = primaryValue(cn, v);
              yield csvLine([
                stamp(r.ts, offset),
                DATA_KIND_ZH[cn],
                code,
                factorZh(code),
                value,
                v.zs,
                factorUnitOf(code, kind),
                v.flag,
                FLAG_ZH[v.flag],
              ]);
            }
          }
        }
      }
    },
  };
  return out;
}

export const FRAME_HEADER = ['接收时间', '传输方式', '来源', '判定', '说明', '条数', '报文', '报文（Base64，非 UTF-8 时）'];

const strict = new TextDecoder('utf-8', { fatal: true });

export function frameLines(
  archive: Pick<RawArchive, 'query'>,
  mn: string,
  period: EvidencePeriod,
  offset: number,
  max: number = EVIDENCE_LIMITS.maxFrames,
): CappedLines {
  const out: CappedLines = {
    truncated: false,
    async *[Symbol.asyncIterator]() {
      let n = 0;
      for (const [from, to] of days(period)) {
        const frames = await archive.query({ mn, from, to, limit: max - n + 1 });
        for (const f of frames) {
          if (n >= max) {
            out.truncated = true;
            return;
          }
          n++;
          const masked = maskFramePassword(f.bytes);
          let text = '';
          let base64 = '';
          try {
            text = strict.decode(masked).replace(/[\r\n]+$/, '');
          } catch (err) {
            if (!(err instanceof TypeError)) throw err;
            base64 = Buffer.from(masked).toString('base64');
          }
          const verdict = f.verdict === 'accepted' ? '接收' : `拒收：${f.verdict}`;
          yield csvLine([
            stamp(f.receivedAt, offset),
            f.transport.toUpperCase(),
            f.peer,
            verdict,
            f.detail === null ? '' : maskPasswordText(f.detail),
            f.count,
            text,
            base64,
          ]);
        }
      }
    },
  };
  return out;
}
