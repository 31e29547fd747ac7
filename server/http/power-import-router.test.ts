/**
 * The power-data import route on a real Express app over loopback HTTP: the registry a plain view,
 * the sink one that records what it is handed and whose durability the test controls.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../domain/principal';
import type { Reading } from '../domain/reading';
import { registrySchema } from '../domain/registry';
import { createLogger } from '../logger';
import { errorMiddleware } from './errors';
import { powerImportRouter, type PowerImportJudge } from './power-import-router';

const log = createLogger('silent');
const LOGGER = '211300GKJK00000000000001';
const registry = registrySchema.parse({
  enterprises: [{ id: 'chem', name: '示范化工', district: '朝阳县' }],
  sources: [{ mn: LOGGER, enterpriseId: 'chem', name: '工况用电监控', kind: 'condition', lat: 41.6, lon: 120.1, pw: 'x' }],
  facilities: [{ id: 'meter', enterpriseId: 'chem', kind: 'power-meter', name: 'RTO风机电表', meterNo: 'M1', mn: LOGGER, channel: '03' }],
});
const officer: Principal = { userId: 2, username: 'officer', role: 'officer', enterpriseId: null, department: null };
const NOW = Date.parse('2026-12-04T12:00:00+08:00');
const FILE = '电表编号,时间,电量(kWh)\nM1,2026-12-04 10:00,12.5\nM1,2026-12-04 10:15,13\n';

let server: Server;
let url: string;
let accepted: Reading[];
let hold: (() => void)[];
let holding: boolean;
let audited: { action: string; detail?: unknown }[];
let judged: Parameters<PowerImportJudge>[0][];
const judge: PowerImportJudge = (batch) => (judged.push(batch), { raised: 1 });
const sink = {
  ready: () => null,
  accept(r: Reading): Promise<void> {
    accepted.push(r);
    return holding ? new Promise((resolve) => hold.push(resolve)) : Promise.resolve();
  },
};

beforeAll(async () => {
  const app = express();
  app.use((_req, res, next) => ((res.locals.principal = officer), next()));
  const audit = { record: async (a: { action: string; detail?: unknown }) => (audited.push(a), {} as never) };
  const view = { current: () => registry, version: () => 1 };
  app.use(
    '/api/power-imports',
    powerImportRouter({ registry: view, sink, judge }, { maxBytes: 2000, maxRows: 100, utcOffsetMinutes: 480, audit, log, now: () => NOW }),
  );
  app.use(errorMiddleware(log));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/power-imports`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  accepted = [];
  hold = [];
  holding = false;
  audited = [];
  judged = [];
});

const post = (query: string, body: string | Buffer, type = 'text/csv') =>
  fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('POST /api/power-imports', () => {
  it('a dry run (the default) previews and hands nothing to the sink, nor audits', async () => {
    const res = await post('', FILE);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dryRun: true, applied: false, rows: 2, accepted: 2, intervals: 2, written: 0 });
    expect(accepted).toEqual([]);
    expect(audited).toEqual([]);
    expect(judged).toEqual([]);
  });

  it('applying hands the readings to the sink, answers once they are durable, and audits in local time', async () => {
    const res = await post('?dryRun=false', FILE);
    expect(await res.json()).toMatchObject({ dryRun: false, applied: true, written: 2, importId: `pi-${NOW}`, raised: 1 });
    // Then judged by the rules stage, once, as the import it is (historical 15-min intervals).
    expect(judged).toEqual([{ readings: accepted, intervalMs: 15 * 60_000, importId: `pi-${NOW}` }]);
    expect(accepted.every((r) => r.origin === 'import')).toBe(true);
    expect(accepted.map((r) => [r.cn, r.ts, r.factors])).toEqual([
      ['2051', Date.parse('2026-12-04T10:00:00+08:00'), { gkw03: { avg: 50, cou: 12.5, flag: 'N' } }],
      ['2051', Date.parse('2026-12-04T10:15:00+08:00'), { gkw03: { avg: 52, cou: 13, flag: 'N' } }],
    ]);
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'power.import_applied',
        detail: expect.objectContaining({
          importId: `pi-${NOW}`,
          raised: 1,
          rows: 2,
          accepted: 2,
          from: '2026-12-04 10:00',
          to: '2026-12-04 10:15',
        }),
      }),
    ]);
  });

  it('takes one import at a time (409 import_running)', async () => {
    holding = true;
    const first = post('?dryRun=false', FILE);
    await expect.poll(() => accepted.length).toBe(2);
    const second = await post('?dryRun=true', FILE);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: 'import_running' });
    for (const resolve of hold) resolve();
    expect((await first).status).toBe(200);
  });

  it.each([
    ['an image', '?dryRun=true', 'x', 'image/png', 415, 'unsupported_media_type'],
    ['a file past the bound', '?dryRun=true', 'x'.repeat(3000), 'text/csv', 413, 'payload_too_large'],
    ['an empty body', '?dryRun=true', '', 'text/csv', 400, 'bad_request'],
    ['a file without the header', '?dryRun=true', 'a,b\n1,2', 'text/csv', 400, 'bad_file'],
    ['an unknown query', '?dry=1', FILE, 'text/csv', 400, 'bad_request'],
  ])('refuses %s', async (_name, query, body, type, status, code) => {
    const res = await post(query, body, type);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: code });
    expect(accepted).toEqual([]);
  });
});
