/**
 * The registry import/export routes on a real Express app over loopback HTTP, backed by a
 * RegistryHolder (the port the registry store implements); the caller is set per request.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import YAML from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import type { Principal } from '../domain/principal';
import { registrySchema, type Registry } from '../domain/registry';
import type { RegistryChanged } from '../domain/registry-view';
import { createLogger } from '../logger';
import { RICH, workbookOf } from '../registry/registry-fixture';
import { RegistryHolder } from '../registry/registry-holder';
import { exportRegistryXlsx, importRegistry } from '../registry/registry-sheet';
import { errorMiddleware } from './errors';
import { IMPORT_TYPES, registryIoRouter, XLSX_TYPE } from './registry-io-router';

const log = createLogger('silent');
const who: Record<string, Principal> = {
  admin: { userId: 1, username: 'admin', role: 'admin', enterpriseId: null, department: null },
  officer: { userId: 2, username: 'officer', role: 'officer', enterpriseId: null, department: null },
  enterprise: { userId: 3, username: 'ly', role: 'enterprise', enterpriseId: 'ly-power', department: null },
};

let holder: RegistryHolder;
let applied: { action: string; actor: string; detail: unknown }[];
let audited: { action: string }[];
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use((req, res, next) => {
    res.locals.principal = who[req.get('x-test-as') ?? 'admin'];
    next();
  });
  const port = {
    get view() {
      return holder;
    },
    apply: async (next: Registry, actor: Principal, action: string, detail?: unknown): Promise<RegistryChanged | null> => {
      applied.push({ action, actor: actor.username, detail });
      return holder.replace(next, actor.username);
    },
  };
  const audit = { record: (a: { action: string }) => (audited.push(a), {} as never) };
  app.use(
    '/api/registry',
    registryIoRouter(port, { maxBytes: 200_000, log, now: () => Date.parse('2026-12-04T02:00:00Z'), utcOffsetMinutes: 480, audit }),
  );
  app.use(errorMiddleware(log));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/registry`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  holder = new RegistryHolder(RICH, new EventBus<InternalEvents>());
  applied = [];
  audited = [];
});

const post = (query: string, body: Buffer, type = XLSX_TYPE, as = 'admin') =>
  fetch(`${base}/import${query}`, { method: 'POST', body, headers: { 'content-type': type, 'x-test-as': as } });

async function badFile(): Promise<Buffer> {
  return workbookOf({
    排口: [
      ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度', '限值 氮氧化物 a21002'],
      ['211300CEMS00000000000901', 'ly-power', '新烟囱', '烟气CEMS', 119.4, 41.2, '50 折算'],
      ['211300CEMS00000000000902', 'nobody', '无主烟囱', '烟气CEMS', 119.4, 41.2, ''],
      ['211300CEMS00000000000101', 'ly-power', '1号机组烟囱（改名）', '烟气CEMS', 119.401, 41.245, '50 折算'],
    ],
  });
}

describe('POST /api/registry/import', () => {
  it('previews a dry run without changing anything, then applies the good rows once with fresh credentials', async () => {
    const file = await badFile();
    const preview = await post('?dryRun=true', file);
    expect(preview.status).toBe(200);
    const p = (await preview.json()) as Record<string, unknown>;
    expect(p).toEqual({
      dryRun: true,
      applied: false,
      refusedTotal: 1,
      summary: {
        enterprises: { added: 0, changed: 0, unchanged: 0 },
        sources: { added: 1, changed: 1, unchanged: 0 },
        facilities: { added: 0, changed: 0, unchanged: 0 },
      },
      refused: [{ sheet: '排口', row: 3, column: '所属企业编号', reason: '未知企业编号「nobody」' }],
    });
    expect(holder.version()).toBe(1);
    expect(applied).toEqual([]);

    const res = await post('?dryRun=false', file);
    const body = (await res.json()) as { applied: boolean; credentials: { mn: string; pw: string; mqttPassword: string }[] };
    expect(body.applied).toBe(true);
    expect(body.credentials).toEqual([
      {
        mn: '211300CEMS00000000000901',
        enterpriseId: 'ly-power',
        name: '新烟囱',
        pw: expect.stringMatching(/^[A-Z2-9]{24}$/),
        mqttPassword: expect.any(String),
      },
    ]);
    expect(holder.version()).toBe(2);
    const added = holder.current().sources.find((s) => s.mn === '211300CEMS00000000000901');
    expect(added?.pw).toBe(body.credentials[0]?.pw);
    expect(holder.current().sources.find((s) => s.mn === '211300CEMS00000000000101')?.pw).toBe(RICH.sources[0]?.pw);
    expect(applied).toEqual([{ action: 'registry.import_applied', actor: 'admin', detail: expect.objectContaining({ refused: 1 }) }]);
    // The same file again changes nothing: not applied, no credentials.
    const again = (await (await post('?dryRun=false', file)).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ applied: false, summary: { sources: { added: 0, changed: 0, unchanged: 2 } } });
    expect(again['credentials']).toBeUndefined();
  });

  it('defaults to a dry run and reads CSV as browsers label it', async () => {
    const csv = Buffer.from('企业编号,企业名称,区县\nnew-co,新企业,双塔区\n');
    for (const type of ['text/csv', 'application/vnd.ms-excel']) {
      const res = await post('', csv, type);
      expect(await res.json()).toMatchObject({ dryRun: true, applied: false, summary: { enterprises: { added: 1 } } });
    }
    expect(holder.version()).toBe(1);
  });

  it.each([
    ['an officer', 'officer', XLSX_TYPE, 403],
    ['an enterprise', 'enterprise', XLSX_TYPE, 403],
    ['JSON', 'admin', 'application/json', 415],
    ['a PDF', 'admin', 'application/pdf', 415],
  ])('refuses %s', async (_what, as, type, status) => {
    expect((await post('?dryRun=false', await badFile(), type, as)).status).toBe(status);
    expect(holder.version()).toBe(1);
  });

  it('refuses a body over the bound, an empty one, a broken workbook and a bad query, each with its reason', async () => {
    const big = await post('', Buffer.alloc(300_000, 0x41), 'text/csv');
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await post('', Buffer.alloc(0))).status).toBe(400);
    const broken = await post('', Buffer.from('PK\u0003\u0004broken'));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'bad_file' });
    const xls = await post('', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'application/vnd.ms-excel');
    expect(xls.status).toBe(415);
    expect((await post('?dryRun=maybe', await badFile())).status).toBe(400);
    expect(IMPORT_TYPES).toContain('text/csv');
  });
});

describe('GET /api/registry/export', () => {
  const get = (query: string, as = 'admin') => fetch(`${base}/export${query}`, { headers: { 'x-test-as': as } });

  it('exports the whole registry as XLSX without credentials, which imports into an empty registry as the same registry', async () => {
    const res = await get('?format=xlsx', 'officer');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="o3s-registry-20261204.xlsx"');
    const bytes = Buffer.from(await res.arrayBuffer());
    const back = await importRegistry(bytes, { enterprises: [], sources: [], facilities: [] }, { generateCredentials: false });
    const noCreds = (r: Registry) => r.sources.map(({ pw: _p, mqttPassword: _m, ...s }) => s);
    expect(noCreds(registrySchema.parse(back.next))).toEqual(noCreds(RICH));
    expect(bytes.includes(Buffer.from(RICH.sources[0]?.pw as string))).toBe(false);
    expect(audited).toEqual([]);
  });

  it('gives an enterprise its own file only, and credentials to administrators only, audited', async () => {
    const own = YAML.parse(await (await get('?format=yaml', 'enterprise')).text()) as Registry;
    expect(own.enterprises.map((e) => e.id)).toEqual(['ly-power']);
    expect(own.sources.every((s) => s.enterpriseId === 'ly-power' && s.pw === undefined)).toBe(true);
    expect(own.facilities?.length).toBe(3);
    expect((await get('?format=yaml&credentials=true', 'officer')).status).toBe(403);
    expect((await get('?format=yaml&credentials=true', 'enterprise')).status).toBe(403);
    const full = await get('?format=yaml&credentials=true');
    expect(full.headers.get('cache-control')).toBe('no-store');
    expect(registrySchema.parse(YAML.parse(await full.text()))).toEqual(RICH);
    expect(audited).toEqual([expect.objectContaining({ action: 'registry.credentials_exported' })]);
    expect((await get('?format=pdf')).status).toBe(400);
  });

  it('writes the same workbook the module writes', async () => {
    const res = await get('?credentials=true');
    expect(Buffer.from(await res.arrayBuffer()).equals(await exportRegistryXlsx(RICH, { credentials: true }))).toBe(true);
  });
});
