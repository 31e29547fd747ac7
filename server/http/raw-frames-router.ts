/**
 * HJ 212 audit routes:
 *   GET /api/sources/:mn/frames?from=…&to=…&limit=… → {items: RawFrameView[]}, oldest first:
 *       every frame received from (or claiming) that MN, exactly as received, with its verdict.
 *   GET /api/hj212/unknown-mns → {items: UnknownMn[]}: MNs refused because they are not registered.
 *   GET /api/hj212/loggers → {items: LoggerStatus[]}: connection, restarts, heartbeats per logger.
 * `frame` is the bytes as text when they are valid UTF-8, else `frameBase64`; the logger's password
 * is masked in both (`PW=***`) and in `detail` — the archive itself keeps the bytes as received.
 */
import type { Router } from 'express';
import { maskFramePassword, maskPasswordText, type RawFrameView } from '../domain/raw-frame';
import { z } from 'zod';
import { described, itemsOf, rawFrameSchema } from '../domain/api-schemas';
import type { LoggerStatus } from '../ingest/hj212/status-board';
import type { UnknownMn } from '../ingest/hj212/unknown-mns';
import type { RawArchive, StoredRawFrame } from '../storage/raw-archive';
import { routes, scopeOfCaller } from './access';
import type { Source } from '../domain/registry';
import { visibleSource } from './tenant';
import { resolveRange, timeRangeFields } from './time-range';

const framesQuery = z
  .object({
    ...timeRangeFields,
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();
/** Unregistered MNs are listed too (their frames are what an audit of a rogue logger needs). */
const mnParam = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'MN must be 1–32 letters, digits, - or _');

export type { RawFrameView } from '../domain/raw-frame';

const strict = new TextDecoder('utf-8', { fatal: true });

export function toView(r: StoredRawFrame): RawFrameView {
  const { bytes, ...rest } = r;
  const view: RawFrameView = { ...rest, detail: rest.detail === null ? null : maskPasswordText(rest.detail), size: bytes.length };
  const masked = maskFramePassword(bytes);
  try {
    view.frame = strict.decode(masked);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    view.frameBase64 = Buffer.from(masked).toString('base64');
  }
  return view;
}

/** Mounted at /api/sources (beside the sources router). Enterprise users: their own sources' frames
 * only; frames of unregistered MNs are for staff. */
export function rawFramesRouter(archive: RawArchive, lookup: (mn: string) => Source | undefined, now: () => number): Router {
  const r = routes();
  r.get(
    '/:mn/frames',
    'frames.read',
    {
      summary: { en: 'A source’s raw HJ 212 frames, as received (password masked)', zh: '原始报文' },
      params: { mn: mnParam },
      query: framesQuery,
      response: itemsOf(rawFrameSchema),
    },
    async (req, res) => {
      const mn = mnParam.parse(req.params.mn);
      if (!scopeOfCaller(res).all) visibleSource(res, mn, lookup);
      const q = framesQuery.parse(req.query);
      const { from, to } = resolveRange(q, now() + 1);
      const items = await archive.query({ mn, from, to, limit: q.limit });
      res.json({ items: items.map(toView) });
    },
  );
  return r.router;
}

/** Mounted at /api/hj212: staff only (the whole network's loggers). */
export function hj212LoggersRouter(unknown: () => UnknownMn[], statuses: () => LoggerStatus[]): Router {
  const r = routes();
  r.get(
    '/unknown-mns',
    'loggers.read',
    {
      summary: { en: 'Unregistered MNs that sent frames', zh: '未登记的数采仪编号' },
      response: itemsOf(described('UnknownMn', 'UnknownMn (server/ingest/hj212/unknown-mns.ts)')),
    },
    (_req, res) => {
      res.json({ items: unknown() });
    },
  );
  r.get(
    '/loggers',
    'loggers.read',
    {
      summary: { en: 'Data loggers’ connection state', zh: '数采仪连接状态' },
      response: itemsOf(described('LoggerStatus', 'LoggerStatus (server/ingest/hj212/status-board.ts)')),
    },
    (_req, res) => {
      res.json({ items: statuses() });
    },
  );
  return r.router;
}
