/**
 * Probe suite (issue 12, devices 1 and 5): the attacks on the HJ 212 listener re-run from outside,
 * over real TCP against the real app (startTestApp): frames without or with a wrong PW, a DataTime
 * in 2001, a rewrite of a stored instant from another connection, slow senders from one address
 * while a real logger still gets its 9014, and 1 MB of garbage that must stay a bounded number of
 * rows in the raw archive. Other peers are other loopback addresses (127.0.0.2…).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameDecoded } from '../../server/domain/hj212/decode';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { loadConfig } from '../../server/config';
import { rawLogger } from '../helpers/hj212-harness';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';

const NH3 = '370300NH3000000000000201';
const PER_ADDRESS = 4;
const REFUSALS_PER_MIN = 20;

const reply = (d: FrameDecoded | undefined) => {
  if (!d?.ok) return 'none';
  const rtn = d.frame.cp.params.QnRtn;
  return `${d.frame.cn}${rtn ? `:${rtn}` : ''}`;
};

describe('probe: HJ 212 over TCP from outside', () => {
  let t: TestApp;
  let officer: ApiSession;
  let pw: string;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'o3-probe-hj212-'));
  let stopped = false;
  const now = Math.floor(Date.now() / 1000) * 1000;
  const frame = (at: number, value: number, password: string | undefined, qn = formatQn(at + value)) =>
    encodeFrameText({
      qn,
      st: '31',
      cn: '2011',
      ...(password === undefined ? {} : { pw: password }),
      mn: NH3,
      flag: 5,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: String(value), Flag: 'N' } }] },
    });
  const stored = async (at: number): Promise<number[]> => {
    const res = await officer.fetch(`/api/sources/${NH3}/series?factor=a21001&cn=2011&from=${at}&to=${at + 1}`);
    return ((await res.json()) as { items: { rtd: number }[] }).items.map((i) => i.rtd);
  };
  const health = async () => ((await (await fetch(`${t.baseUrl}/healthz`)).json()) as { hj212: HealthHj212 }).hj212;

  beforeAll(async () => {
    t = await startTestApp(
      {
        HJ212_MAX_CONNECTIONS: '24',
        HJ212_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
        HJ212_FRAME_DEADLINE_S: '2',
        HJ212_ARCHIVE_REFUSALS_PER_MIN: String(REFUSALS_PER_MIN),
      },
      { dataDir },
    );
    officer = await t.signIn('officer');
    pw = t.config.registry.sources.find((s) => s.mn === NH3)?.pw ?? '';
    port = t.app.hj212Port as number;
  });
  afterAll(async () => {
    if (!stopped) await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a frame without PW and one with a wrong PW: 9011 QnRtn=3, counted, never stored', async () => {
    expect(pw).toMatch(/^[A-Z2-9]{24}$/);
    const before = (await health()).rejected.bad_password;
    const at = now - 60_000;
    const logger = await rawLogger(port);
    await logger.write(frame(at, 9.9, undefined) + frame(at, 9.8, '123456') + frame(at, 9.7, ''));
    await logger.waitReplies(3);
    await logger.write(frame(at + 1000, 2.5, pw));
    const replies = await logger.waitReplies(4);
    expect(replies.map(reply)).toEqual(['9011:3', '9011:3', '9011:3', '9014']);
    await until(async () => (await stored(at + 1000)).length === 1, 'the good reading stored');
    expect(await stored(at)).toEqual([]);
    expect(((await health()).rejected.bad_password ?? 0) - (before ?? 0)).toBe(3);
    await logger.close();
  });

  it('the raw-frame view masks PW for staff and enterprises; the archive keeps the frame as received', async () => {
    const from = now - 120_000;
    for (const user of ['officer', 'zichuan-cement']) {
      const session = user === 'officer' ? officer : await t.signIn(user);
      const res = await session.fetch(`/api/sources/${NH3}/frames?from=${from}&limit=100`);
      const { items } = (await res.json()) as { items: { frame?: string; verdict: string }[] };
      const texts = items.map((i) => i.frame ?? '');
      expect(texts.filter((f) => f.includes('PW=***'))).toHaveLength(3); // the wrong, the empty and the right one
      expect(texts.join('\n')).not.toContain(pw);
      expect(texts.join('\n')).not.toContain('PW=123456');
    }
    const db = new Database(join(dataDir, 'raw-frames.db'), { readonly: true });
    const asReceived = db.prepare('SELECT COUNT(*) AS n FROM raw_frames WHERE mn = ? AND instr(CAST(bytes AS TEXT), ?) > 0');
    const kept = asReceived.get(NH3, `PW=${pw}`) as { n: number };
    db.close();
    expect(kept.n).toBeGreaterThan(0);
  });

  it('password guessing is cut: past 10 wrong PWs a minute from one address, no more 9011 and the connection closes', async () => {
    const guesser = await rawLogger(port, '127.0.0.5');
    const at = now - 50_000;
    for (let i = 0; i < 15; i++) await guesser.write(frame(at, 1, String(100000 + i), `2026070100000${String(i).padStart(4, '0')}`));
    await until(() => guesser.closed(), 'the guessing connection cut');
    expect(guesser.replies.map(reply)).toEqual(Array.from({ length: 10 }, () => '9011:3'));
    const again = await rawLogger(port, '127.0.0.5'); // within the minute: cut at the first wrong guess
    await again.write(frame(at, 1, '999999'));
    await until(() => again.closed(), 'the next guessing connection cut');
    expect(again.replies).toEqual([]);
    expect((await health()).passwordCutoffs).toBeGreaterThanOrEqual(2);
    expect(await stored(at)).toEqual([]);
  });

  it('refuses a DataTime in 2001 (stale_timestamp) and one an hour ahead: QnRtn=2, never stored', async () => {
    const old = Date.parse('2001-07-01T10:00:00+08:00');
    const logger = await rawLogger(port);
    await logger.write(frame(old, 9.9, pw) + frame(now + 3_600_000, 9.9, pw));
    expect((await logger.waitReplies(2)).map(reply)).toEqual(['9011:2', '9011:2']);
    const h = await health();
    expect(h.rejected).toMatchObject({ stale_timestamp: 1, future_timestamp: 1 });
    expect(await stored(old)).toEqual([]);
    await logger.close();
  });

  it('refuses a rewrite of a stored instant from another connection; resends and the first address still work', async () => {
    const at = now - 30_000;
    const first = await rawLogger(port);
    await first.write(frame(at, 3, pw));
    expect((await first.waitReplies(1)).map(reply)).toEqual(['9014']);
    await until(async () => (await stored(at)).length === 1, 'the first reading stored');

    const intruder = await rawLogger(port, '127.0.0.2'); // the password leaked: still no rewrite
    await intruder.write(frame(at, 0.5, pw));
    await intruder.write(frame(at, 3, pw)); // the same values again: a harmless resend
    expect((await intruder.waitReplies(2)).map(reply)).toEqual(['9011:2', '9014']);
    await intruder.close();
    expect(await stored(at)).toEqual([3]);

    await first.write(frame(at, 3, pw)); // a resend on the same connection
    expect((await first.waitReplies(2)).map(reply)).toEqual(['9014', '9014']);
    await first.close();
    const again = await rawLogger(port); // the logger reconnects from its address and corrects itself
    await again.write(frame(at, 3.1, pw));
    expect((await again.waitReplies(1)).map(reply)).toEqual(['9014']);
    await until(async () => (await stored(at))[0] === 3.1, 'the correction stored');
    await again.close();

    expect((await health()).rejected.rewrite_refused).toBe(1);
    const res = await officer.fetch(`/api/sources/${NH3}/frames?from=${now - 120_000}&limit=100`);
    const { items } = (await res.json()) as { items: { verdict: string; peer: string; detail: string | null }[] };
    const refused = items.filter((i) => i.verdict === 'rewrite_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.peer).toMatch(/^127\.0\.0\.2:/);
    expect(refused[0]?.detail).toMatch(/first taken from tcp:127\.0\.0\.1/);
  });

  it('slow senders from one address cannot hold the slots (per-address cap, frame deadline): a logger gets its 9014', async () => {
    const before = await health();
    const slow: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < 30; i++) {
      const s = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
      s.on('error', () => undefined);
      s.on('close', () => closed++);
      slow.push(s);
    }
    const bytes = '##0101QN=2026';
    let k = 0;
    const drip = setInterval(() => {
      for (const s of slow) if (!s.destroyed) s.write(bytes[k % bytes.length] as string);
      k++;
    }, 300);
    try {
      await until(() => closed >= 30 - PER_ADDRESS, 'all but the per-address cap closed at once', 5_000);
      const logger = await rawLogger(port);
      await logger.write(frame(now - 20_000, 1.5, pw));
      expect((await logger.waitReplies(1)).map(reply)).toEqual(['9014']);
      await logger.close();
      await until(() => closed === 30, 'the slow ones cut at the frame deadline although they keep sending', 6_000);
    } finally {
      clearInterval(drip);
      for (const s of slow) s.destroy();
    }
    const after = await health();
    expect(after.connections.refusedPerAddress - before.connections.refusedPerAddress).toBe(30 - PER_ADDRESS);
    expect(after.connections.frameDeadlines - before.connections.frameDeadlines).toBe(PER_ADDRESS);
  });

  it('1 MB of garbage from one peer is a bounded number of archive rows, every refusal counted', async () => {
    const before = await health();
    const garbage = Buffer.from('##0000ZZZZ'.repeat(100_000));
    const s = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.3' });
    s.on('error', () => undefined);
    const gone = new Promise<void>((r) => s.on('close', () => r()));
    s.write(garbage);
    await gone; // cut at the frame deadline: it never sent a good frame
    let refusals = 0;
    await until(async () => {
      const h = await health();
      refusals = h.received - before.received;
      return refusals > 0 && h.received === (await health()).received;
    }, 'the flood handled');
    expect(refusals).toBeGreaterThan(50_000);
    await t.stop();
    stopped = true;
    const db = new Database(join(dataDir, 'raw-frames.db'), { readonly: true });
    const fromFlooder = db.prepare("SELECT verdict, count FROM raw_frames WHERE peer LIKE '127.0.0.3:%'");
    const rows = fromFlooder.all() as { verdict: string; count: number }[];
    db.close();
    expect(rows.filter((r) => r.count === 1).length).toBe(REFUSALS_PER_MIN);
    expect(rows.length).toBeLessThanOrEqual(REFUSALS_PER_MIN + 4); // + one aggregate row per reason
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(refusals);
  });
});

describe('probe: a registry with a password-less logger', () => {
  it('starts only with the insecure flag, warns loudly, and then takes that source’s frames from anyone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-probe-nopw-'));
    const registryFile = join(dir, 'registry.yaml');
    const logFile = join(dir, 'server.log');
    const text = readFileSync(TEST_REGISTRY_FILE, 'utf8');
    writeFileSync(registryFile, text.replace(/(mn: 370300NH3000000000000201,.*?), pw: "[^"]+"/, '$1'));
    expect(() => loadConfig({ REGISTRY_FILE: registryFile }, ROOT)).toThrow(/without a logger password \(pw\): 370300NH3000000000000201/);
    const t = await startTestApp({ REGISTRY_FILE: registryFile, HJ212_INSECURE_ALLOW_MISSING_PW: 'true', LOG_LEVEL: 'warn' }, { logFile });
    try {
      const warning = readFileSync(logFile, 'utf8')
        .split('\n')
        .find((l) => l.includes('INSECURE'));
      expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40, mns: [NH3], setting: 'hj212.allowMissingPw' });
      const at = Math.floor(Date.now() / 1000) * 1000 - 5_000;
      const logger = await rawLogger(t.app.hj212Port as number, '127.0.0.4');
      await logger.write(
        encodeFrameText({
          qn: formatQn(at),
          st: '31',
          cn: '2011',
          pw: 'anything',
          mn: NH3,
          flag: 5,
          cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: '1.0', Flag: 'N' } }] },
        }),
      );
      expect((await logger.waitReplies(1)).map(reply)).toEqual(['9014']);
      await logger.close();
    } finally {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface HealthHj212 {
  received: number;
  passwordCutoffs: number;
  rejected: Record<string, number>;
  connections: { refusedPerAddress: number; frameDeadlines: number };
}
