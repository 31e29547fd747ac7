/**
 * A case's evidence package (GET /api/cases/:id/evidence.zip; PLANS H3): one ZIP streamed entry by
 * entry (yazl reads one entry's stream at a time; series and frames are read a day at a time, so a
 * month of real-time data never sits in memory) with the readable summary (case.html) and the case
 * (case.json), its alerts and their history, each source's series and raw HJ 212 frames over the
 * case's period (evidence-csv.ts), the attachments as stored, the case's audit trail, and a
 * manifest of every file with its rows and whether a cap cut it (written last, once known).
 *
 * The bureau's copy has everything; the enterprise's (its own cases only: another's is 404 before a
 * byte is sent) is built from its view of the case — no internal note, no internal history — and
 * leaves out the internal alert comments, the internal audit entries (reassignments) and IP addresses.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { Alert, AlertHistoryEntry } from '../domain/alert';
import type { AuditRecord } from '../domain/audit';
import type { RectificationCase } from '../domain/case';
import {
  csvLine,
  CSV_BOM,
  EVIDENCE_LIMITS,
  evidencePeriod,
  safeEntryName,
  type EvidencePeriod,
  type ManifestEntry,
} from '../domain/evidence';
import type { RegistryView } from '../domain/registry-view';
import type { RawArchive } from '../storage/raw-archive';
import type { TelemetryRecordReader } from '../storage/telemetry-store';
import type { LedgerNames } from './case-ledger';
import {
  ALERT_HEADER,
  alertRows,
  AUDIT_HEADER,
  auditRows,
  FRAME_HEADER,
  frameLines,
  HISTORY_HEADER,
  historyRows,
  SERIES_HEADER,
  seriesLines,
} from './evidence-csv';
import { caseSummaryHtml } from './evidence-summary';

export interface EvidenceDeps {
  cases: {
    /** The case as the caller may see it (404 for another enterprise's). */
    get(id: number, tenant: string | null): Promise<RectificationCase>;
    file(id: number, attachmentId: string, tenant: string | null): Promise<{ path: string }>;
    overdue(c: RectificationCase): boolean;
    ledgerNames(): LedgerNames;
  };
  alerts: { get(id: number): Alert | undefined; history(id: number): AlertHistoryEntry[] };
  telemetry: TelemetryRecordReader;
  frames: Pick<RawArchive, 'query'>;
  audit: { query(q: { target: string; limit: number }): Promise<{ items: AuditRecord[] }> };
  registry: RegistryView;
  now: () => number;
  utcOffsetMinutes: number;
}

/** What the package held (the audit record's detail). */
export interface EvidenceSummary {
  files: number;
  seriesRows: number;
  frames: number;
  truncated: boolean;
}

export interface EvidencePackage {
  caseId: number;
  /** The ZIP's bytes, as they are made. */
  stream: NodeJS.ReadableStream;
  /** Resolves once the last entry is written. */
  done: Promise<EvidenceSummary>;
}

/** Audit actions an enterprise's copy leaves out (the bureau's internal steps). */
const INTERNAL_AUDIT: readonly string[] = ['case.reassigned'];

export async function evidencePackage(deps: EvidenceDeps, id: number, tenant: string | null): Promise<EvidencePackage> {
  const c = await deps.cases.get(id, tenant);
  const bureau = tenant === null;
  const at = deps.now();
  const alerts = c.alertIds.map((a) => deps.alerts.get(a)).filter((a): a is Alert => a !== undefined);
  const period = evidencePeriod(
    c,
    alerts.map((a) => a.openedAt),
    at,
  );
  const names = deps.cases.ledgerNames();
  const reg = deps.registry.current();
  const zip = new yazl.ZipFile();
  const manifest: ManifestEntry[] = [];
  const mtime = new Date(at);
  const addText = (path: string, title: string, text: string, rows: number | null = null) => {
    zip.addBuffer(Buffer.from(text, 'utf8'), path, { mtime });
    manifest.push({ path, title, rows, truncated: false });
  };
  /** A CSV whose lines come from `lines` (read when yazl reaches it), counted into the manifest. */
  const addLines = (
    path: string,
    title: string,
    header: readonly string[],
    lines: () => AsyncIterable<string> & { truncated?: boolean },
  ) => {
    const entry: ManifestEntry = { path, title, rows: 0, truncated: false };
    manifest.push(entry);
    const source = async function* () {
      yield CSV_BOM + csvLine(header);
      const it = lines();
      for await (const line of it) {
        (entry.rows as number)++;
        yield line;
      }
      entry.truncated = it.truncated === true;
    };
    const stream = Readable.from(source());
    stream.on('error', (err) => zip.outputStream.emit('error', err));
    zip.addReadStream(stream, path, { mtime });
  };
  const listed = async function* <T>(rows: readonly T[]) {
    for (const r of rows) yield csvLine(r as never);
  };

  addText(
    'case.html',
    '案件概要（可直接打开阅读）',
    caseSummaryHtml(c, { names, period, overdue: deps.cases.overdue(c), bureau, at, utcOffsetMinutes: deps.utcOffsetMinutes }),
  );
  const view = { ...c, overdue: deps.cases.overdue(c), enterpriseName: names.enterprise(c.enterpriseId) };
  addText('case.json', '案件完整数据（JSON）', JSON.stringify({ case: view, period }, null, 2));
  const aRows = alertRows(alerts, names, deps.utcOffsetMinutes);
  addLines('alerts.csv', '关联报警', ALERT_HEADER, () => listed(aRows));
  const entries = alerts.flatMap((a) => deps.alerts.history(a.id)).filter((h) => bureau || h.internal !== true);
  const hRows = historyRows(entries, names, bureau, deps.utcOffsetMinutes);
  addLines('alert-history.csv', '报警处置记录', HISTORY_HEADER(bureau), () => listed(hRows));

  for (const mn of c.sources) {
    const source = reg.sources.find((s) => s.mn === mn);
    const label = `${names.source(mn)}（${mn}）`;
    addLines(`series/${mn}.csv`, `监测数据：${label}`, SERIES_HEADER, () =>
      seriesLines(deps.telemetry, mn, source?.kind, period, deps.utcOffsetMinutes),
    );
    addLines(`frames/${mn}.csv`, `HJ 212 原始报文：${label}`, FRAME_HEADER, () =>
      frameLines(deps.frames, mn, period, deps.utcOffsetMinutes),
    );
  }

  const taken = new Set<string>();
  for (const a of c.attachments) {
    const { path } = await deps.cases.file(c.id, a.id, tenant);
    const name = `attachments/${safeEntryName(a.name, taken)}`;
    zip.addReadStream(createReadStream(path), name, { mtime });
    manifest.push({ path: name, title: `整改材料：${a.name}（SHA-256 ${a.sha256}）`, rows: null, truncated: false });
  }

  const audit = (await deps.audit.query({ target: `case:${c.id}`, limit: 1000 })).items
    .filter((r) => bureau || !INTERNAL_AUDIT.includes(r.action))
    .reverse();
  const auRows = auditRows(audit, names, bureau, deps.utcOffsetMinutes);
  addLines('audit.csv', '案件审计记录', AUDIT_HEADER(bureau), () => listed(auRows));

  let finish: (s: EvidenceSummary) => void = () => undefined;
  const done = new Promise<EvidenceSummary>((res) => (finish = res));
  const manifestText = async function* () {
    const summary = summarize(manifest);
    yield JSON.stringify(manifestOf(c, period, bureau, at, manifest), null, 2);
    finish(summary);
  };
  zip.addReadStream(Readable.from(manifestText()), 'manifest.json', { mtime });
  zip.end();
  return { caseId: c.id, stream: zip.outputStream, done };
}

function summarize(manifest: readonly ManifestEntry[]): EvidenceSummary {
  const sum = (prefix: string) => manifest.filter((m) => m.path.startsWith(prefix)).reduce((n, m) => n + (m.rows ?? 0), 0);
  return { files: manifest.length + 1, seriesRows: sum('series/'), frames: sum('frames/'), truncated: manifest.some((m) => m.truncated) };
}

function manifestOf(c: RectificationCase, period: EvidencePeriod, bureau: boolean, at: number, files: readonly ManifestEntry[]) {
  return {
    caseId: c.id,
    enterpriseId: c.enterpriseId,
    generatedAt: new Date(at).toISOString(),
    copy: bureau ? 'bureau' : 'enterprise',
    period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), capped: period.capped },
    limits: {
      maxSpanDays: EVIDENCE_LIMITS.maxSpanDays,
      maxSeriesRowsPerSource: EVIDENCE_LIMITS.maxSeriesRows,
      maxFramesPerSource: EVIDENCE_LIMITS.maxFrames,
    },
    files,
  };
}
