import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hj212GatewayTopic } from '../../domain/hj212/mqtt-topics';
import { createLogger } from '../../logger';
import { openRawArchive, type SqlRawArchive } from '../../storage/sql/raw-frame-archive';
import type { RawFrameRecord } from '../../storage/raw-archive';
import { parseGatewayEnvelope } from '../hj212/gateway-envelope';
import { BufferFullError, FrameForwarder } from './frame-forwarder';

const MN = '370300NH3000000000000201';
const record = (verdict = 'accepted', peer = '10.2.0.7:40112'): RawFrameRecord => ({
  receivedAt: 1_782_871_200_000,
  mn: MN,
  cn: '2011',
  transport: 'tcp',
  peer,
  verdict,
  detail: null,
  bytes: new TextEncoder().encode('##0010QN=1;CN=2011ABCD'),
});

/** A broker whose PUBACKs the test hands out one by one. */
function heldBroker() {
  const sent: { topic: string; payload: string; ack(): void; fail(err: Error): void }[] = [];
  const publish = (topic: string, payload: string) =>
    new Promise<void>((ack, fail) => sent.push({ topic, payload, ack: () => ack(), fail }));
  return { sent, publish };
}

const settled = async <T>(p: Promise<T>) => {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
};

describe('the gateway’s frame forwarder', () => {
  let dir: string;
  let local: SqlRawArchive;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-forwarder-'));
    local = await openRawArchive(join(dir, 'raw.db'), createLogger('silent'));
  });
  afterEach(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const forwarder = (broker: ReturnType<typeof heldBroker>, maxPending = 10) =>
    new FrameForwarder({ gateway: 'gw-1', maxPending }, broker.publish, local, createLogger('silent'));

  it('publishes an accepted frame on its source’s gateway topic; its archive write is durable only on the PUBACK', async () => {
    const broker = heldBroker();
    const f = forwarder(broker);
    const durable = f.archive.append(record());
    expect(broker.sent.map((s) => s.topic)).toEqual([hj212GatewayTopic(MN)]);
    expect(parseGatewayEnvelope(new TextEncoder().encode(broker.sent[0]!.payload))).toMatchObject({
      ok: true,
      envelope: { kind: 'frame', gateway: 'gw-1', peer: '10.2.0.7:40112', address: '10.2.0.7', receivedAt: 1_782_871_200_000 },
    });
    expect(await settled(durable)).toBe('pending');
    expect(f.stats).toMatchObject({ pending: 1, forwarded: 0 });
    broker.sent[0]!.ack();
    await durable;
    expect(f.stats).toMatchObject({ pending: 0, forwarded: 1 });
  });

  it('keeps a refused frame in its own archive and never publishes it', async () => {
    const broker = heldBroker();
    const f = forwarder(broker);
    await f.archive.append(record('bad_password'));
    await local.flush();
    expect(broker.sent).toEqual([]);
    expect((await local.query({ mn: MN, from: 0, to: Date.now() * 2, limit: 10 })).map((r) => r.verdict)).toEqual(['bad_password']);
  });

  it('bounds what awaits a PUBACK: back-pressure at the bound, and a frame past it is refused (no 9014)', async () => {
    const broker = heldBroker();
    const f = forwarder(broker, 2);
    expect(f.sink.ready()).toBeNull();
    const first = f.archive.append(record());
    void f.archive.append(record()).catch(() => undefined);
    const room = f.sink.ready();
    expect(room).not.toBeNull();
    await expect(f.archive.append(record())).rejects.toBeInstanceOf(BufferFullError);
    expect(f.stats).toMatchObject({ pending: 2, refusedFull: 1 });
    expect(broker.sent).toHaveLength(2);
    expect(await settled(room as Promise<void>)).toBe('pending');
    broker.sent[0]!.ack();
    await first;
    expect(await settled(room as Promise<void>)).toBe('resolved');
  });

  it('a failed publish fails the frame’s archive write (no 9014: the logger resends), counted', async () => {
    const broker = heldBroker();
    const f = forwarder(broker);
    const durable = f.archive.append(record());
    broker.sent[0]!.fail(new Error('connection closed'));
    await expect(durable).rejects.toThrow('connection closed');
    expect(f.stats).toMatchObject({ pending: 0, failed: 1, forwarded: 0 });
  });

  it('tells the ingest when a logger’s connection closed, per MN heard on it', () => {
    const broker = heldBroker();
    forwarder(broker).connectionClosed('10.2.0.7:40112', [MN]);
    expect(broker.sent.map((s) => [s.topic, JSON.parse(s.payload)])).toEqual([
      [hj212GatewayTopic(MN), { v: 1, kind: 'closed', gateway: 'gw-1', peer: '10.2.0.7:40112' }],
    ]);
  });
});
