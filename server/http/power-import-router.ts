/**
 * Import of power data as grid companies deliver it (issue 16; server/ingest/power-import):
 *
 * POST /api/power-imports?dryRun=true|false   (power.import: administrators and duty officers)
 *   body: the file, Content-Type XLSX or CSV — one row per meter per 15-min interval: meter number
 *   (a facility's `meterNo`), interval start (China time), kWh (or kW).
 *   → { dryRun, applied, rows, accepted, meters: [{meterNo, facilityId, facilityName, enterpriseId,
 *       mn, code, rows}], unknownMeters, intervals, from, to, duplicates, errors: [{row, code,
 *       reason, meterNo?}], errorsTotal, written, importId?, raised?, rejudged? }
 *   dryRun defaults to true and writes nothing. On apply, the accepted rows go as readings (2051,
 *   `gkw<channel>` avg = kWh × 4, cou = kWh) through the reading sink live readings take (store +
 *   rules; `origin` 'import', so the live facility engine leaves them), then judged per interval for
 *   treatment-off and declared-stop-running (the rules stage's `judge`; alerts name `importId` and
 *   the meters; `raised` counts them), then handed to the responses (`landed`: the series go into the
 *   import log, hours of a response already judged on the lines they power are judged again;
 *   `rejudged` counts those hours); importing the same file again overwrites the same points. Audited as
 *   `power.import_applied` (target `/api/power-imports`). One import at a time (409
 *   `import_running`); a file that cannot be read: 400 with its reason; a content type other than
 *   XLSX/CSV: 415; a body over the bound: 413.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../auth/audit-log';
import { principalOf } from '../auth/auth-middleware';
import { clientIp } from '../auth/auth-router';
import { described } from '../domain/api-schemas';
import { localDateTime } from '../domain/local-time';
import type { RegistryView } from '../domain/registry-view';
import type { Reading } from '../domain/reading';
import { importedSeries, type ImportedSeries } from '../domain/power-import-series';
import { FileRefusal, readPowerFile } from '../ingest/power-import/power-import';
import { INTERVAL_MS } from '../ingest/power-import/power-rows';
import type { ReadingSink } from '../ingest/reading-sink';
import type { Logger } from '../logger';
import { routes } from './access';
import { HttpError } from './errors';
import { IMPORT_TYPES, XLSX_TYPE } from './registry-io-router';

export interface PowerImportOptions {
  /** Largest upload, bytes. */
  maxBytes: number;
  /** Largest number of rows in a file. */
  maxRows: number;
  /** Largest number of refused rows listed in a response (all are counted in errorsTotal). */
  maxErrorsListed?: number;
  utcOffsetMinutes: number;
  audit?: Pick<AuditLog, 'record'>;
  log: Logger;
  now: () => number;
}

/** The responses stage's use of a landed import: the series logged, the hours judged again. */
export type PowerImportLanded = (batch: {
  series: readonly ImportedSeries[];
  readings: readonly Reading[];
}) => Promise<{ rejudged: number }>;

/** The rules stage's judgement of a landed import (historical intervals): the alerts it raised. */
export type PowerImportJudge = (batch: { readings: readonly Reading[]; intervalMs: number; importId: string }) => { raised: number };

export interface PowerImportDeps {
  registry: RegistryView;
  /** Where the readings go: the pipeline, as for live readings (stored; the live rules leave them, `origin` 'import'). */
  sink: ReadingSink;
  /** Judges the landed readings per interval (treatment-off, declared-stop-running); absent: stored only. */
  judge?: PowerImportJudge | undefined;
  /** The responses' verification of the hours the import covers; absent: not verified. */
  landed?: PowerImportLanded | undefined;
}

const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') }).strict();

export function powerImportRouter(deps: PowerImportDeps, opts: PowerImportOptions): express.Router {
  const r = routes();
  const maxListed = opts.maxErrorsListed ?? 1000;
  let running = false;
  const raw = express.raw({ type: () => true, limit: opts.maxBytes });
  const body: express.RequestHandler = (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      next(new HttpError(413, 'payload_too_large', `the file is larger than ${Math.floor(opts.maxBytes / 1_048_576)} MB`));
    });
  const checkType = (req: Request, _res: Response, next: express.NextFunction) => {
    if (!req.is(IMPORT_TYPES)) return next(new HttpError(415, 'unsupported_media_type', `send the file as ${XLSX_TYPE} or text/csv`));
    next();
  };

  r.post(
    '/',
    'power.import',
    {
      summary: { en: 'Import power data: 15-min kWh per meter (dry run by default)', zh: '导入电力数据（15分钟电量）' },
      query: importQuery,
      upload: { types: IMPORT_TYPES, description: 'the grid company’s file: XLSX or CSV, one row per meter per 15-min interval' },
      response: described(
        'PowerImportResult',
        '{dryRun, applied, rows, accepted, meters, unknownMeters, intervals, from, to, duplicates, errors, errorsTotal, written, importId?, raised?, rejudged?}',
      ),
      refusals: [409, 413, 415],
    },
    checkType,
    body,
    async (req, res) => {
      const dryRun = importQuery.parse(req.query).dryRun === 'true';
      const bytes = req.body as unknown;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpError(400, 'bad_request', 'the request body is the file to import');
      if (running) throw new HttpError(409, 'import_running', 'another power-data import is running; try again when it has finished');
      running = true;
      const actor = principalOf(res);
      try {
        const started = opts.now();
        const plan = await readPowerFile(bytes, deps.registry.current(), {
          utcOffsetMinutes: opts.utcOffsetMinutes,
          now: opts.now(),
          maxRows: opts.maxRows,
        }).catch((err: unknown) => {
          if (!(err instanceof FileRefusal)) throw err;
          opts.log.warn({ actor: actor.username, code: err.code, reason: err.message, bytes: bytes.length }, 'power import refused');
          throw new HttpError(err.code === 'legacy_xls' ? 415 : 400, err.code, err.message);
        });
        let written = 0;
        let raised = 0;
        let rejudged = 0;
        const importId = `pi-${started}`;
        if (!dryRun && plan.readings.length > 0) {
          const durable: Promise<void>[] = [];
          for (const reading of plan.readings) {
            await deps.sink.ready(); // back-pressure: the writer's spool takes more
            durable.push(deps.sink.accept(reading));
          }
          await Promise.all(durable);
          written = plan.readings.length;
          raised = deps.judge?.({ readings: plan.readings, intervalMs: INTERVAL_MS, importId }).raised ?? 0;
          const series = importedSeries(plan.readings, INTERVAL_MS, importId, opts.now());
          rejudged = (await deps.landed?.({ series, readings: plan.readings }))?.rejudged ?? 0;
          const { rows, accepted, intervals, from, to, duplicates } = plan;
          const local = (ts: number | null) => (ts === null ? null : localDateTime(ts, opts.utcOffsetMinutes));
          const detail = {
            importId,
            raised,
            rejudged,
            rows,
            accepted,
            meters: plan.meters.length,
            intervals,
            from: local(from),
            to: local(to),
            duplicates,
            errors: plan.errors.length,
            bytes: bytes.length,
          };
          await opts.audit?.record({ actor, action: 'power.import_applied', target: '/api/power-imports', ip: clientIp(req), detail });
        }
        opts.log.info(
          {
            actor: actor.username,
            dryRun,
            rows: plan.rows,
            accepted: plan.accepted,
            errors: plan.errors.length,
            written,
            raised,
            ms: opts.now() - started,
          },
          'power import',
        );
        const { readings: _readings, errors, ...summary } = plan;
        res.set('Cache-Control', 'no-store');
        res.json({
          dryRun,
          applied: written > 0,
          ...summary,
          errors: errors.slice(0, maxListed),
          errorsTotal: errors.length,
          written,
          ...(written > 0 ? { importId, raised, rejudged } : {}),
        });
      } finally {
        running = false;
      }
    },
  );
  return r.router;
}
