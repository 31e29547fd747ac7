/**
 * HJ 212 over real TCP sockets into the real ingest, pipeline, SQLite stores and raw archive:
 * the DOMAIN vectors, chunking and gluing, refusals and their replies, split uploads, an alert,
 * idle timeout, and the audit API over real HTTP.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { RequestHandler } from 'express';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { FrameDecoded } from '../../server/domain/hj212/decode';
import { wrapSegment } from '../../server/domain/hj212/encode';
import { VECTORS } from '../../server/domain/hj212/vectors';
import { registrySchema, type Registry } from '../../server/domain/registry';
import { createHttpApp } from '../../server/http/http-app';
import { hj212LoggersRouter, rawFramesRouter } from '../../server/http/raw-frames-router';
import { createLogger } from '../../server/logger';
import { rawLogger, startHj212Server, type Hj212TestServer } from '../helpers/hj212-harness';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';

const ROOT = resolve(import.meta.dirname, '../..');
const NH3 = '370300NH3000000000000201'; // ammonia slip, limit 8 mg/m³
const CEMS = '370300CEMS00000000000101';
const PW = '123456'; // this suite's password for every demo source
const VECTOR_LOGGER = '010000A8900016F000169DC0';
const VECTOR_STATION = 'Z13401000010301';

function registry(): Registry {
  const demo = parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')) as Registry;
  const at = { enterpriseId: 'city-monitoring', kind: 'ambient', lat: 36.8, lon: 118 };
  return registrySchema.parse({
    ...demo,
    sources: [
      ...demo.sources.map((s) => ({ ...s, pw: PW })),
      { ...at, mn: VECTOR_LOGGER, name: '附录示例数采仪', pw: '123456' },
      { ...at, mn: VECTOR_STATION, name: '公开解析器示例站', pw: 'BF470F88957588DE902D1A52' },
    ],
  });
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const chinaTime = (at: number) => new Date(at + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
const BASE = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const upload = (qn: string, mn: string, cp: string, header = 'ST=31;CN=2011;PW=123456;Flag=5') =>
  text(wrapSegment(`QN=${qn};${header};MN=${mn};CP=&&${cp}&&`));
const nh3 = (qn: string, at: number, value: number) => upload(qn, NH3, `DataTime=${chinaTime(at)};a21001-Rtd=${value},a21001-Flag=N`);
const summary = (d: FrameDecoded) => {
  const f = d.ok ? d.frame : undefined;
  return f ? `${f.cn} ${f.qn ?? ''}${f.cp.params.QnRtn ? ` QnRtn=${f.cp.params.QnRtn}` : ''}` : 'bad';
};

describe('HJ 212 TCP listener', () => {
  let s: Hj212TestServer;
  beforeAll(async () => {
    s = await startHj212Server({ registry: registry(), pipeline: true });
  });
  afterAll(async () => s?.stop());

  it('takes the DOMAIN vectors glued in one write: 9011 to the first, none to the logger’s 9011, 9014 to the restart and the hour data', async () => {
    const logger = await rawLogger(s.port);
    await logger.write(VECTORS.join(''));
    const replies = await logger.waitReplies(3);
    // The appendix's 1062 carries PW=100000, not the logger's 123456: refused with QnRtn=3 (PW error).
    expect(replies.map(summary)).toEqual(['9011 20160801085857223 QnRtn=3', '9014 20231008130452757', '9014 20190925181031464']);
    expect(s.readings.find((r) => r.mn === VECTOR_STATION)).toMatchObject({
      cn: '2061',
      ts: Date.parse('2019-09-24T14:00:00Z'),
      factors: { a34006: { avg: 2.697, flag: 'N' }, a34049: { avg: 10.663, flag: 'N' } },
    });
    const stored = await s.telemetry.series({ mn: VECTOR_STATION, cn: '2061', factor: 'a34006', from: 0, to: Date.now() });
    expect(stored).toEqual([{ ts: Date.parse('2019-09-24T14:00:00Z'), avg: 2.697, flag: 'N' }]);
    expect(s.ingest.status.get(VECTOR_LOGGER)).toMatchObject({
      restarts: 1,
      lastRestartAt: Date.parse('2023-10-08T05:04:52Z'),
      restartTime: Date.parse('2023-10-07T05:04:52Z'),
      connected: true,
    });
    await logger.close();
    await until(() => s.ingest.status.get(VECTOR_LOGGER)?.connected === false, 'the logger shown disconnected');
  });

  it('reassembles frames written one byte at a time, and frames glued without \\r\\n', async () => {
    const logger = await rawLogger(s.port);
    const one = nh3('20260701100000101', BASE, 3.1);
    for (const byte of Buffer.from(one)) {
      await logger.write(Uint8Array.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    await logger.write(nh3('20260701100000102', BASE + 30_000, 3.2).trimEnd() + nh3('20260701100000103', BASE + 60_000, 3.3).trimEnd());
    expect((await logger.waitReplies(3)).map(summary)).toEqual([
      '9014 20260701100000101',
      '9014 20260701100000102',
      '9014 20260701100000103',
    ]);
    const stored = await s.telemetry.series({ mn: NH3, cn: '2011', factor: 'a21001', from: BASE, to: BASE + 90_000 });
    expect(stored.map((p) => p.rtd)).toEqual([3.1, 3.2, 3.3]);
    await logger.close();
  });

  it('a bad frame never drops the connection or its good frames', async () => {
    const logger = await rawLogger(s.port);
    const before = s.ingest.stats.snapshot();
    const good = (i: number) => nh3(`2026070110000020${i}`, BASE + 120_000 + i * 1000, 4 + i / 10);
    await logger.write(
      good(1) + good(2).replace(/[0-9A-F]{4}\r\n$/, '0000\r\n') + 'noise!' + good(3).slice(0, 40) + good(4) + '##9999' + good(5),
    );
    expect((await logger.waitReplies(3)).map(summary)).toEqual([
      '9014 20260701100000201',
      '9014 20260701100000204',
      '9014 20260701100000205',
    ]);
    const after = s.ingest.stats.snapshot();
    expect(after.rejected.bad_crc - before.rejected.bad_crc).toBe(1);
    expect(after.rejected.garbage - before.rejected.garbage).toBe(1);
    expect(after.rejected.bad_length - before.rejected.bad_length).toBe(2);
    expect(logger.closed()).toBe(false);
    await logger.close();
  });

  it('an exceedance sent as HJ 212 opens an alert through the real pipeline', async () => {
    const logger = await rawLogger(s.port);
    await logger.write(nh3('20260701100000301', BASE + 300_000, 9.5));
    await logger.waitReplies(1);
    expect(s.alerts?.active().find((a) => a.mn === NH3)).toMatchObject({
      factor: 'a21001',
      value: 9.5,
      limit: 8,
      enterpriseId: 'zichuan-cement',
    });
    await logger.close();
  });

  it('refuses a wrong password (QnRtn=3) and an unknown MN (QnRtn=4), and lists the unknown MN', async () => {
    const logger = await rawLogger(s.port);
    const cp = `DataTime=${chinaTime(BASE)};a21002-Rtd=20`;
    await logger.write(
      upload('1', CEMS, cp, 'ST=31;CN=2011;PW=000000;Flag=5') + upload('2', '370300CEMS00000000009999', cp) + upload('3', CEMS, cp),
    );
    expect((await logger.waitReplies(3)).map(summary)).toEqual(['9011 1 QnRtn=3', '9011 2 QnRtn=4', '9014 3']);
    expect(s.ingest.unknown.list()).toMatchObject([{ mn: '370300CEMS00000000009999', frames: 1, lastCn: '2011', transport: 'tcp' }]);
    await logger.close();
  });

  it('reassembles a split upload (PNUM/PNO) into one reading and answers each part', async () => {
    const logger = await rawLogger(s.port);
    const dt = `DataTime=${chinaTime(BASE - (BASE % 3_600_000))}`;
    const part = (qn: string, pno: number, cp: string) =>
      upload(qn, CEMS, `${dt};${cp}`, `ST=31;CN=2061;PW=123456;Flag=7;PNUM=2;PNO=${pno}`);
    await logger.write(part('11', 1, 'a21026-Avg=12,a21026-Flag=N;a21002-Avg=30,a21002-Flag=N'));
    await logger.write(part('12', 2, 'a19001-Avg=9.1,a19001-Flag=N'));
    expect((await logger.waitReplies(2)).map(summary)).toEqual(['9014 11', '9014 12']);
    const merged = s.readings.filter((r) => r.mn === CEMS && r.cn === '2061');
    expect(merged).toHaveLength(1);
    expect(Object.keys(merged[0]!.factors).sort()).toEqual(['a19001', 'a21002', 'a21026']);
    await logger.close();
  });

  it('the audit API returns a source’s frames exactly as received, refused ones too', async () => {
    const asOfficer: RequestHandler = (_req, res, next) => {
      res.locals.principal = { userId: 1, username: 'officer', role: 'officer', enterpriseId: null, department: null };
      next();
    };
    const log = createLogger('silent');
    const app = createHttpApp(
      {
        health: (_req, res) => void res.json({}),
        ready: (_req, res) => void res.json({}),
        metrics: (_req, res) => void res.send(''),
        // Signed in as a duty officer (sign-in itself is the auth tests' business).
        gate: asOfficer,
        routers: {
          '/api/sources': rawFramesRouter(s.archive, () => undefined, Date.now),
          '/api/hj212': hj212LoggersRouter(
            () => s.ingest.unknown.list(),
            () => s.ingest.status.all(),
          ),
        },
        clientDir: join(ROOT, 'no-client'),
      },
      log,
    );
    const server: Server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const { items } = (await (await fetch(`${base}/api/sources/${NH3}/frames?limit=1000`)).json()) as {
        items: { verdict: string; frame: string; peer: string; transport: string }[];
      };
      const bad = items.find((i) => i.verdict === 'bad_crc');
      // As received, but the logger's password masked in the view.
      expect(bad?.frame).toBe(
        nh3('20260701100000202', BASE + 122_000, 4.2)
          .replace(/[0-9A-F]{4}\r\n$/, '0000')
          .replace(`PW=${PW}`, 'PW=***'),
      );
      expect(items.filter((i) => i.verdict === 'accepted')).toHaveLength(7);
      expect(items[0]).toMatchObject({ transport: 'tcp', peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
      const unknown = (await (await fetch(`${base}/api/hj212/unknown-mns`)).json()) as { items: { mn: string }[] };
      expect(unknown.items.map((u) => u.mn)).toEqual(['370300CEMS00000000009999']);
      const loggers = (await (await fetch(`${base}/api/hj212/loggers`)).json()) as { items: { mn: string }[] };
      expect(loggers.items.map((l) => l.mn)).toContain(NH3);
      const badQuery = await fetch(`${base}/api/sources/${NH3}/frames?from=10&to=5`);
      expect(badQuery.status).toBe(400);
      expect(((await badQuery.json()) as { message: string }).message).toMatch(/from must be before to/);
      expect((await fetch(`${base}/api/sources/${NH3}/frames?limit=0`)).status).toBe(400);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('HJ 212 TCP idle timeout', () => {
  it('closes a connection that stays silent', async () => {
    const s = await startHj212Server({ registry: registry(), idleTimeoutMs: 300 });
    try {
      const logger = await rawLogger(s.port);
      await until(() => logger.closed(), 'the idle connection closed', 5_000);
      // The server's own 'close' event can come a moment after the logger saw the socket end.
      await until(() => s.ingest.stats.connections.open === 0, 'the server to count the close', 5_000);
      expect(s.ingest.stats.connections).toMatchObject({ idleTimeouts: 1, open: 0, total: 1 });
    } finally {
      await s.stop();
    }
  });
});
