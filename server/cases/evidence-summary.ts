/**
 * The readable summary of a case in its evidence package (case.html): Chinese, China time, names
 * instead of ids — the case's facts, required actions, report, attachments, its history and what
 * the package holds. The bureau's internal note only in the bureau's copy (the enterprise's copy
 * is built from its view of the case, which has none). Pure; every text is HTML-escaped.
 */
import { dueDateOf, type RectificationCase } from '../domain/case';
import { EVIDENCE_LIMITS, type EvidencePeriod } from '../domain/evidence';
import { localDateTime } from '../domain/local-time';
import type { LedgerNames } from './case-ledger';
import { STATUS_ZH } from './case-ledger';
import { CASE_TYPE_ZH } from './case-notice';
import { CASE_EVENT_ZH } from './evidence-words';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

export interface SummaryFacts {
  names: LedgerNames;
  period: EvidencePeriod;
  overdue: boolean;
  /** The bureau's copy (with the internal note) or the enterprise's. */
  bureau: boolean;
  /** When the package was made. */
  at: number;
  utcOffsetMinutes: number;
}

const row = (label: string, value: string) => `<tr><th>${esc(label)}</th><td>${value}</td></tr>`;

function sizeText(bytes: number): string {
  return bytes < 1_048_576 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;
}

/** The case's facts as table rows. */
function factRows(c: RectificationCase, f: SummaryFacts): string[] {
  const t = (ms: number | null) => (ms === null ? '—' : esc(localDateTime(ms, f.utcOffsetMinutes)));
  const due = c.deadline.kind === 'date' ? c.deadline.date : `停产检修时（最迟 ${dueDateOf(c.deadline)}）`;
  return [
    row('案件编号', String(c.id)),
    row('企业名称', esc(f.names.enterprise(c.enterpriseId))),
    row('区县', esc(c.district)),
    row('案件类型', esc(CASE_TYPE_ZH[c.type])),
    row('状态', esc(STATUS_ZH[c.status] + (f.overdue ? '（已逾期）' : ''))),
    row('监控点', esc(c.sources.map((mn) => `${f.names.source(mn)}（${mn}）`).join('、') || '—')),
    row('关联报警', c.alertIds.length > 0 ? esc(c.alertIds.map((id) => `#${id}`).join('、')) : '—'),
    row('负责人', esc(f.names.person(c.officer))),
    row('整改期限', esc(due)),
    row('立案时间', t(c.createdAt)),
    row('销号时间', t(c.closedAt)),
    ...(c.status === 'returned' && c.returnReason ? [row('退回原因', esc(c.returnReason))] : []),
    ...(f.bureau ? [row('内部备注（仅限生态环境部门）', c.internalNote ? esc(c.internalNote) : '—')] : []),
  ];
}

export function caseSummaryHtml(c: RectificationCase, f: SummaryFacts): string {
  const t = (ms: number) => esc(localDateTime(ms, f.utcOffsetMinutes));
  const requirements = c.requirements.map((r) => `<li>${esc(r)}</li>`).join('');
  const attachments = c.attachments
    .map(
      (a) =>
        `<tr><td>${esc(a.name)}</td><td>${a.party === 'enterprise' ? '企业' : '生态环境部门'}</td><td>${esc(sizeText(a.size))}</td>` +
        `<td>${t(a.uploadedAt)}</td><td>${esc(f.names.person(a.uploadedBy))}</td><td><code>${esc(a.sha256)}</code></td></tr>`,
    )
    .join('');
  const history = c.history
    .map(
      (h) =>
        `<tr><td>${t(h.at)}</td><td>${esc(CASE_EVENT_ZH[h.event])}</td><td>${esc(h.by === 'system' ? '系统' : f.names.person(h.by))}</td>` +
        `<td>${esc(h.note ?? '')}</td></tr>`,
    )
    .join('');
  const report = c.report
    ? `<p>提交时间：${t(c.report.submittedAt)}，提交人：${esc(f.names.person(c.report.submittedBy))}</p><pre>${esc(c.report.text)}</pre>`
    : '<p>尚未提交。</p>';
  const cut = f.period.capped ? `（超过 ${EVIDENCE_LIMITS.maxSpanDays} 天，只含前 ${EVIDENCE_LIMITS.maxSpanDays} 天）` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>整改案件 ${c.id} 证据包</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}pre{white-space:pre-wrap;background:#fafafa;padding:.6em}</style>
</head><body>
<h1>整改案件证据包 · ${esc(f.names.enterprise(c.enterpriseId))}</h1>
<p>生成时间：${t(f.at)}（北京时间）。${f.bureau ? '本证据包为生态环境部门内部版本，含内部备注。' : '本证据包为企业版本，不含生态环境部门内部备注。'}</p>
<h2>案件信息</h2><table>${factRows(c, f).join('')}</table>
<h2>整改要求</h2><ol>${requirements}</ol>
<h2>整改报告</h2>${report}
<h2>整改材料</h2>${attachments ? `<table><tr><th>文件名</th><th>上传方</th><th>大小</th><th>上传时间</th><th>上传人</th><th>SHA-256</th></tr>${attachments}</table><p>文件见 attachments/ 目录。</p>` : '<p>无。</p>'}
<h2>办理记录</h2><table><tr><th>时间</th><th>事项</th><th>办理人</th><th>说明</th></tr>${history}</table>
<h2>证据范围</h2>
<p>监测数据与原始报文时段：${t(f.period.from)} 至 ${t(f.period.to)}${cut}。每个监控点最多 ${EVIDENCE_LIMITS.maxSeriesRows} 行监测数据、${EVIDENCE_LIMITS.maxFrames} 条原始报文；是否截断见 manifest.json。</p>
<ul>
<li>case.json：案件完整数据（机器可读）</li>
<li>alerts.csv、alert-history.csv：关联报警及其处置记录</li>
<li>series/监控点编号.csv：监测数据（时间为北京时间，含因子名称、单位、数据标记）</li>
<li>frames/监控点编号.csv：HJ 212 原始报文（密码已隐去）</li>
<li>attachments/：整改材料原件</li>
<li>audit.csv：案件审计记录</li>
</ul>
</body></html>
`;
}
