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
  type CsvCell,
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
import { sourceByMn } from '../domain/registry';

export interface EvidenceDeps {
  cases: {
    /** The case as the caller may see it (404 for another enterprise's). */
    get(id: number, tenant: string | null): Promise<RectificationCase>;
    file(id: number, attachmentId: string, tenant: string | null): Promise<{ path: string }>;
    overdue(c: RectificationCase): boolean;
    ledgerNames(): LedgerNames;
  };
  alerts: { get(id: number): Promise<Alert | undefined>; history(id: number): Promise<AlertHistoryEntry[]> };
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

/** The ZIP being written and its manifest: entries are read in the order they are added. */
class EvidenceZip {
  readonly zip = new yazl.ZipFile();
  readonly manifest: ManifestEntry[] = [];
  private readonly mtime: Date;

  constructor(at: number) {
    this.mtime = new Date(at);
  }

  text(path: string, title: string, text: string): void {
    this.zip.addBuffer(Buffer.from(text, 'utf8'), path, { mtime: this.mtime });
    this.manifest.push({ path, title, rows: null, truncated: false });
  }

  private stream(readable: Readable, path: string): void {
    readable.on('error', (err) => this.zip.outputStream.emit('error', err));
    this.zip.addReadStream(readable, path, { mtime: this.mtime });
  }

  /** A CSV whose lines come from `lines` (read when yazl reaches it), counted into the manifest. */
  csv(path: string, title: string, header: readonly string[], lines: () => AsyncIterable<string> & { truncated?: boolean }): void {
    const entry: ManifestEntry = { path, title, rows: 0, truncated: false };
    this.manifest.push(entry);
    const source = async function* () {
      yield CSV_BOM + csvLine(header);
      const it = lines();
      for await (const line of it) {
        (entry.rows as number)++;
        yield line;
      }
      entry.truncated = it.truncated === true;
    };
    this.stream(Readable.from(source()), path);
  }

  /** A CSV of rows already at hand. */
  rows(path: string, title: string, header: readonly string[], rows: readonly CsvCell[][]): void {
    this.csv(path, title, header, async function* () {
      for (const r of rows) yield csvLine(r);
    });
  }

  file(path: string, title: string, onDisk: string): void {
    this.stream(createReadStream(onDisk), path);
    this.manifest.push({ path, title, rows: null, truncated: false });
  }

  /** The manifest last (once every count is known); resolves `done` with the summary. */
  end(manifest: (files: readonly ManifestEntry[]) => unknown): Promise<EvidenceSummary> {
    const files = this.manifest;
    const done = new Promise<EvidenceSummary>((resolve) => {
      const text = async function* () {
        yield JSON.stringify(manifest(files), null, 2);
        resolve(summarize(files));
      };
      this.stream(Readable.from(text()), 'manifest.json');
    });
    this.zip.end();
    return done;
  }
}

export async function evidencePackage(deps: EvidenceDeps, id: number, tenant: string | null): Promise<EvidencePackage> {
  const c = await deps.cases.get(id, tenant);
  const bureau = tenant === null;
  const at = deps.now();
  const offset = deps.utcOffsetMinutes;
  const alerts = (await Promise.all(c.alertIds.map((a) => deps.alerts.get(a)))).filter((a): a is Alert => a !== undefined);
  const period = evidencePeriod(
    c,
    alerts.map((a) => a.openedAt),
    at,
  );
  const names = deps.cases.ledgerNames();
  const overdue = deps.cases.overdue(c);
  const out = new EvidenceZip(at);

  out.text('case.html', '案件概要（可直接打开阅读）', caseSummaryHtml(c, { names, period, overdue, bureau, at, utcOffsetMinutes: offset }));
  const view = { ...c, overdue, enterpriseName: names.enterprise(c.enterpriseId) };
  out.text('case.json', '案件完整数据（JSON）', JSON.stringify({ case: view, period }, null, 2));
  out.rows('alerts.csv', '关联报警', ALERT_HEADER, alertRows(alerts, names, offset));
  const entries = (await Promise.all(alerts.map((a) => deps.alerts.history(a.id)))).flat().filter((h) => bureau || h.internal !== true);
  out.rows('alert-history.csv', '报警处置记录', HISTORY_HEADER(bureau), historyRows(entries, names, bureau, offset));

  const reg = deps.registry.current();
  for (const mn of c.sources) {
    const kind = sourceByMn(reg.sources, mn)?.kind;
    const label = `${names.source(mn)}（${mn}）`;
    out.csv(`series/${mn}.csv`, `监测数据：${label}`, SERIES_HEADER, () => seriesLines(deps.telemetry, mn, kind, period, offset));
    out.csv(`frames/${mn}.csv`, `HJ 212 原始报文：${label}`, FRAME_HEADER, () => frameLines(deps.frames, mn, period, offset));
  }

  const taken = new Set<string>();
  for (const a of c.attachments) {
    const { path } = await deps.cases.file(c.id, a.id, tenant);
    out.file(`attachments/${safeEntryName(a.name, taken)}`, `整改材料：${a.name}（SHA-256 ${a.sha256}）`, path);
  }

  const audit = (await deps.audit.query({ target: `case:${c.id}`, limit: 1000 })).items
    .filter((r) => bureau || !INTERNAL_AUDIT.includes(r.action))
    .reverse();
  out.rows('audit.csv', '案件审计记录', AUDIT_HEADER(bureau), auditRows(audit, names, bureau, offset));

  const done = out.end((files) => manifestOf(c, period, bureau, at, files));
  return { caseId: c.id, stream: out.zip.outputStream, done };
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
