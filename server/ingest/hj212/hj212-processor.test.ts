import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../domain/hj212/decode';
import { wrapSegment } from '../../domain/hj212/encode';
import { FrameScanner } from '../../domain/hj212/stream-scanner';
import type { Reading } from '../../domain/reading';
import { sourceSchema, type Source } from '../../domain/registry';
import { createLogger } from '../../logger';
import { openRawArchive } from '../../storage/sql/raw-frame-archive';
import { Hj212Processor } from './hj212-processor';
import { Hj212Stats } from './hj212-stats';
import { LoggerStatusBoard } from './status-board';
import { UnknownMnList } from './unknown-mns';

const MN = '370300NH3000000000000201';
const LOCKED = '370300CEMS00000000000601';
const sources: Record<string, Source> = {
  [MN]: sourceSchema.parse({ mn: MN, enterpriseId: 'zichuan-cement', name: 'n', kind: 'ammonia', lat: 36, lon: 118, pw: '123456' }),
  [LOCKED]: sourceSchema.parse({ mn: LOCKED, enterpriseId: 'qilu-power', name: 'n', kind: 'cems', lat: 36, lon: 118, pw: 'pw1' }),
};
/** A catering logger: signals only on a channel a facility names (02 here). */
const CATERING = '211300CYYY00000000000009';
sources[CATERING] = sourceSchema.parse({ mn: CATERING, enterpriseId: 'e', name: 'n', kind: 'catering', lat: 36, lon: 118, pw: '123456' });
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const log = createLogger('silent');

/** A sink whose durability the test controls. */
class ControlledSink {
  readonly readings: Reading[] = [];
  ready = () => null;
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  accept(r: Reading): Promise<void> {
    this.readings.push(r);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  settle(ok = true): void {
    for (const w of this.waiting.splice(0)) {
      if (ok) w.resolve();
      else w.reject(new Error('disk full'));
    }
  }
}

const signals = new Map([[CATERING, new Set(['02'])]]);

async function setup() {
  const sink = new ControlledSink();
  const archive = await openRawArchive(':memory:', log, { flushIntervalMs: 1 });
  const stats = new Hj212Stats();
  const status = new LoggerStatusBoard();
  const unknown = new UnknownMnList();
  const processor = new Hj212Processor(
    { utcOffsetMinutes: 480, maxFutureSkewMs: 300_000, maxPastAgeMs: 240 * 3_600_000, splitTimeoutMs: 60_000, replyRefusals: true },
    { lookup: (mn) => sources[mn], sink, archive, stats, status, unknown, log, now: () => NOW, signals: () => signals },
  );
  const replies: string[] = [];
  let open = true;
  let cuts = 0;
  const channel = { send: (b: Uint8Array) => (open && replies.push(new TextDecoder().decode(b)), open), close: () => void cuts++ };
  const from = (address: string, port = 5000) => ({ transport: 'tcp' as const, peer: `${address}:${port}`, address });
  const send = (segment: string, origin = from('10.0.0.1')) =>
    Promise.all(new FrameScanner().push(wrapSegment(segment)).map((e) => processor.handle(e, origin, channel)));
  const sendRaw = (text: string) => {
    const s = new FrameScanner();
    const events = [...s.push(new TextEncoder().encode(text)), ...s.finish()];
    return Promise.all(events.map((e) => processor.handle(e, { transport: 'tcp', peer: '10.0.0.1:5000' }, channel)));
  };
  const replyCns = () =>
    replies.map((r) => {
      const d = decodeFrame(r);
      return d.ok ? `${d.frame.cn}${d.frame.cp.params.QnRtn ? `:${d.frame.cp.params.QnRtn}` : ''}` : 'bad';
    });
  return {
    sink,
    archive,
    stats,
    status,
    unknown,
    processor,
    replies,
    replyCns,
    send,
    sendRaw,
    from,
    cuts: () => cuts,
    close: () => (open = false),
  };
}

const upload = (qn: string, extra = '', mn = MN, cp = 'DataTime=20260701100000;a21001-Rtd=3.2,a21001-Flag=N') =>
  `QN=${qn};ST=31;CN=2011;PW=123456;MN=${mn};Flag=5${extra};CP=&&${cp}&&`;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

describe('Hj212Processor', () => {
  it('answers 9014 only once the reading is durable, echoing the QN', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const done = t.send(upload('20260701100000001'));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.sink.readings).toHaveLength(1);
    expect(t.replies).toEqual([]);
    t.sink.settle();
    await done;
    expect(t.replyCns()).toEqual(['9014']);
    expect(decodeFrame(t.replies[0]!)).toMatchObject({ ok: true, frame: { qn: '20260701100000001', mn: MN } });
    expect(t.stats.snapshot()).toMatchObject({ received: 1, accepted: 1, readings: 1, replies: { requested: 1, sent: 1 } });
  });

  it('takes a CN 2021 equipment state as a real-time sample of the running states and answers 9014', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const done = t.send(`QN=20260701100000002;ST=31;CN=2021;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20260701100000;SB1-RS=1;SB2-RS=0&&`);
    await new Promise((r) => setTimeout(r, 5));
    t.sink.settle();
    await done;
    expect(t.sink.readings).toEqual([
      {
        mn: MN,
        enterpriseId: 'zichuan-cement',
        kind: 'ammonia',
        cn: '2011',
        ts: Date.parse('2026-07-01T02:00:00Z'),
        factors: { grs01: { rtd: 1, flag: 'N' }, grs02: { rtd: 0, flag: 'N' } },
      },
    ]);
    expect(t.replyCns()).toEqual(['9014']);
    expect(decodeFrame(t.replies[0]!)).toMatchObject({ ok: true, frame: { qn: '20260701100000002' } });
  });

  it('counts a refused signal like a bad value and takes the channel a facility names', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const done = t.send(upload('3', '', CATERING, 'DataTime=20260701100000;afm01-Rtd=1.2;gkw02-Rtd=3.1;gkw05-Rtd=2'));
    await new Promise((r) => setTimeout(r, 5));
    t.sink.settle();
    await done;
    expect(t.sink.readings[0]?.factors).toEqual({ afm01: { rtd: 1.2, flag: 'N' }, gkw02: { rtd: 3.1, flag: 'N' } });
    expect(t.stats.factorsRefused).toBe(1);
    expect(t.replyCns()).toEqual(['9014']);
  });

  it('sends no 9014 when the store refuses (the logger resends) and counts store_refused', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const done = t.send(upload('1'));
    await new Promise((r) => setTimeout(r, 5));
    t.sink.settle(false);
    await done;
    expect(t.replies).toEqual([]);
    expect(t.stats.rejected.store_refused).toBe(1);
  });

  it('no reply when the Flag does not ask for one; a reply owed to a closed connection is counted dropped', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const a = t.send(upload('1').replace('Flag=5', 'Flag=4'));
    const b = t.send(upload('2'));
    t.close();
    await new Promise((r) => setTimeout(r, 5));
    t.sink.settle();
    await Promise.all([a, b]);
    expect(t.stats.replies).toMatchObject({ requested: 1, sent: 0, dropped: 1 });
  });

  it.each([
    ['an unknown MN', upload('1', '', '370300NH3000000000009999'), 'unknown_mn', ['9011:4']],
    ['a wrong password', upload('1', '', LOCKED).replace('PW=123456', 'PW=nope'), 'bad_password', ['9011:3']],
    ['an unsupported CN', upload('1').replace('CN=2011', 'CN=3020'), 'unsupported_cn', ['9011:8']],
    ['a signal a catering logger may not send', upload('1', '', CATERING, 'DataTime=20260701100000;gkw05-Rtd=3'), 'bad_value', ['9011:2']],
    ['a bad value', upload('1', '', MN, 'DataTime=20260701100000;a21001-Rtd=x'), 'bad_value', ['9011:2']],
    ['a DataTime in 2001', upload('1', '', MN, 'DataTime=20010701100000;a21001-Rtd=1'), 'stale_timestamp', ['9011:2']],
    ['a refusal that did not ask for an answer', upload('1', '', '370300NH3000000000009999').replace('Flag=5', 'Flag=4'), 'unknown_mn', []],
  ])('refuses %s with its reason and QnRtn', async (_name, segment, reason, replies) => {
    const t = await setup();
    cleanup = () => t.archive.close();
    await t.send(segment);
    expect(t.stats.rejected[reason as 'unknown_mn']).toBe(1);
    expect(t.replyCns()).toEqual(replies);
    expect(t.sink.readings).toEqual([]);
  });

  it('refuses other values for an instant another address delivered first; a resend or the first address may', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const cp = (rtd: number) => `DataTime=20260701100000;a21001-Rtd=${rtd},a21001-Flag=N`;
    const sent = (qn: string, rtd: number, origin: ReturnType<typeof t.from>) => {
      const done = t.send(upload(qn, '', MN, cp(rtd)), origin);
      setTimeout(() => t.sink.settle(), 5);
      return done;
    };
    await sent('1', 3.2, t.from('10.0.0.1', 5000));
    await sent('2', 0.1, t.from('10.9.9.9', 6000)); // a leaked password elsewhere: refused
    await sent('3', 3.2, t.from('10.0.0.7', 5001)); // the same values from a new address: a resend
    await sent('4', 3.4, t.from('10.0.0.1', 5002)); // the first address after a reconnect: a correction
    expect(t.replyCns()).toEqual(['9014', '9011:2', '9014', '9014']);
    expect(t.sink.readings.map((r) => r.factors.a21001?.rtd)).toEqual([3.2, 3.2, 3.4]);
    expect(t.stats.rejected.rewrite_refused).toBe(1);
    const rows = await t.archive.query({ mn: MN, from: 0, to: NOW + 1, limit: 10 });
    expect(rows.map((r) => r.verdict)).toEqual(['accepted', 'rewrite_refused', 'accepted', 'accepted']);
    expect(rows[1]?.detail).toMatch(/first taken from tcp:10\.0\.0\.1/);
  });

  it('an unknown flag refuses only its factor: the rest is stored and answered, the refusal counted and archived', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const done = t.send(upload('1', '', MN, 'DataTime=20260701100000;a21001-Rtd=3.2,a21001-Flag=Q;a19001-Rtd=9,a19001-Flag=N'));
    setTimeout(() => t.sink.settle(), 5);
    await done;
    expect(t.replyCns()).toEqual(['9014']);
    expect(t.sink.readings.map((r) => r.factors)).toEqual([{ a19001: { rtd: 9, flag: 'N' } }]);
    expect(t.stats.factorsRefused).toBe(1);
    const [row] = await t.archive.query({ mn: MN, from: 0, to: NOW + 1, limit: 10 });
    expect(row).toMatchObject({ verdict: 'accepted' });
    expect(row?.detail).toBe('factors refused, the rest taken: a21001-Flag="Q" is not a data flag (N F M S D C T B)');
  });

  it('password guessing: past 10 wrong PWs a minute from one address, no more 9011, the connection is cut', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    for (let i = 0; i < 12; i++)
      await t.send(upload(String(i), '', LOCKED).replace('PW=123456', `PW=${100000 + i}`), t.from('10.6.6.6', 7000 + i));
    await t.send(upload('99', '', LOCKED).replace('PW=123456', 'PW=x'), t.from('10.0.0.1')); // another address: answered
    expect(t.replyCns()).toEqual([...Array.from({ length: 10 }, () => '9011:3'), '9011:3']);
    expect(t.cuts()).toBe(2);
    expect(t.stats).toMatchObject({ passwordCutoffs: 2, rejected: { bad_password: 13 } });
  });

  it('lists unknown MNs for administrators', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    await t.send(upload('1', '', '370300NH3000000000009999'));
    await t.send(upload('2', '', '370300NH3000000000009999'));
    expect(t.unknown.list()).toEqual([
      {
        mn: '370300NH3000000000009999',
        firstSeenAt: NOW,
        lastSeenAt: NOW,
        frames: 2,
        lastCn: '2011',
        transport: 'tcp',
        peer: '10.0.0.1:5000',
      },
    ]);
  });

  it('archives every frame as received, with its verdict; a refused frame under the MN it claims', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const good = new TextDecoder().decode(wrapSegment(upload('1')));
    const bad = good.replace(/[0-9A-F]{4}\r\n$/, '0000\r\n');
    const done = t.sendRaw(good + bad + 'junk');
    t.sink.settle();
    await done;
    await t.archive.flush();
    const rows = await t.archive.query({ mn: MN, from: 0, to: NOW + 1, limit: 10 });
    expect(rows.map((r) => [r.verdict, new TextDecoder().decode(r.bytes)])).toEqual([
      ['accepted', good.trimEnd()],
      ['bad_crc', bad.trimEnd()],
    ]);
    expect(rows[0]).toMatchObject({ receivedAt: NOW, cn: '2011', transport: 'tcp', peer: '10.0.0.1:5000', detail: null });
    expect(t.stats.snapshot()).toMatchObject({ received: 3, accepted: 1, rejected: { bad_crc: 1, garbage: 1 } });
  });

  it('reassembles a split upload into one reading and answers every part after it is durable', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    const part = (qn: string, pno: number, factor: string) =>
      upload(qn, `;PNUM=2;PNO=${pno}`, MN, `DataTime=20260701090000;${factor}-Avg=1`)
        .replace('Flag=5', 'Flag=7')
        .replace('CN=2011', 'CN=2061');
    await t.send(part('1', 2, 'a21001'));
    const done = t.send(part('2', 1, 'a19001'));
    await new Promise((r) => setTimeout(r, 5));
    expect(t.sink.readings.map((r) => Object.keys(r.factors))).toEqual([['a19001', 'a21001']]);
    expect(t.replies).toEqual([]);
    t.sink.settle();
    await done;
    expect(t.replies.map((r) => decodeFrame(r)).map((d) => d.ok && d.frame.qn)).toEqual(['1', '2']);
  });

  it('a restart and a heartbeat update the logger’s status; the restart is answered', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    await t.send(`QN=1;ST=31;CN=2081;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20260701100000;RestartTime=20260701095800&&`);
    await t.send(`QN=2;ST=31;CN=9015;PW=123456;MN=${MN};Flag=8;CP=&&&&`);
    expect(t.status.get(MN)).toMatchObject({
      connected: true,
      restarts: 1,
      lastRestartAt: Date.parse('2026-07-01T02:00:00Z'),
      restartTime: Date.parse('2026-07-01T01:58:00Z'),
      lastHeartbeatAt: NOW,
    });
    expect(t.replyCns()).toEqual(['9014']);
  });

  it('answers a time-calibration request with a 1012 carrying the server time', async () => {
    const t = await setup();
    cleanup = () => t.archive.close();
    await t.send(`QN=1;ST=31;CN=1013;PW=123456;MN=${MN};Flag=5;CP=&&&&`);
    expect(decodeFrame(t.replies[0]!)).toMatchObject({ ok: true, frame: { cn: '1012', cp: { params: { SystemTime: '20260701100500' } } } });
    expect(t.stats.replies.commands).toBe(1);
  });
});
