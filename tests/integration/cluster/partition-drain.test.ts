/**
 * A partition given up by a live worker is drained (issue 15), on a real Mosquitto: its session
 * takes no more messages, those it took are acknowledged once durable and only then does it
 * disconnect, so the next owner gets exactly what the first did not take, each once. Past its bound
 * the drain falls back to closing at once: what was taken and not acknowledged is redelivered.
 */
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { SoleOwner } from '../../../server/cluster/ownership';
import { PartitionSessions } from '../../../server/cluster/partition-sessions';
import { dataTopic } from '../../../server/domain/mqtt-contract';
import { createLogger } from '../../../server/logger';
import { ownMosquitto } from '../../helpers/own-broker';
import { until } from '../../helpers/wait';

const broker = ownMosquitto();
const log = createLogger('silent');
const MN = 'MNDRAIN';

/** A partition's owner whose handler records each message and makes it durable when the test says. */
function worker(prefix: string, drainMs: number, holdDurability: boolean) {
  const received: string[] = [];
  const durable: (() => void)[] = [];
  const owner = new SoleOwner(1, log);
  const handler = {
    filter: '#',
    matches: () => true,
    handle: (_t: string, payload: Buffer) => {
      received.push(payload.toString());
      return holdDurability ? new Promise<void>((resolve) => durable.push(resolve)) : null;
    },
  };
  const sessions = new PartitionSessions(
    { url: broker.url(), clientIdPrefix: prefix, drainMs },
    { ownership: owner, sources: () => [MN], routes: { ready: () => null, handlers: [handler] }, log },
  );
  return { owner, sessions, received, writeAll: () => durable.splice(0).forEach((resolve) => resolve()) };
}

describe('a partition given up alive', () => {
  const clients: mqtt.MqttClient[] = [];
  const publisher = async () => {
    const c = await mqtt.connectAsync(broker.url(), { clientId: `drain-publisher-${clients.length}` });
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of clients) await c.endAsync();
  });

  it('is drained: what it took is acknowledged before it disconnects, the rest goes to the next owner, each once', async () => {
    const first = worker('drained', 10_000, true);
    await first.owner.start();
    const pub = await publisher();
    for (const n of [1, 2, 3]) await pub.publishAsync(dataTopic(MN), `r${n}`, { qos: 1 });
    await until(() => first.received.length === 3, 'three readings taken');

    const stopping = first.owner.stop();
    // Published while it drains: not taken by the first owner, though the broker may send them to it.
    for (const n of [4, 5]) await pub.publishAsync(dataTopic(MN), `r${n}`, { qos: 1 });
    first.writeAll();
    await stopping;
    expect(first.received).toEqual(['r1', 'r2', 'r3']);
    expect(first.sessions.drainStats()).toEqual({ drained: 1, fallback: 0 });

    const next = worker('drained', 10_000, false);
    await next.owner.start();
    await until(() => next.received.length >= 2, 'what the first owner did not take');
    // Once r6 is in, any redelivery of r1–r3 (sent first at a session's resumption) would be too.
    await pub.publishAsync(dataTopic(MN), 'r6', { qos: 1 });
    await until(() => next.received.includes('r6'), 'a reading published after the hand-over');
    expect(next.received).toEqual(['r4', 'r5', 'r6']);
    await next.owner.stop();
  });

  it('past its bound falls back to closing at once: what was taken and not acknowledged is redelivered', async () => {
    const first = worker('overdue', 200, true);
    await first.owner.start();
    const pub = await publisher();
    for (const n of [1, 2]) await pub.publishAsync(dataTopic(MN), `o${n}`, { qos: 1 });
    await until(() => first.received.length === 2, 'two readings taken');
    // Their writes never end: the drain passes its bound.
    await first.owner.stop();
    expect(first.sessions.drainStats()).toEqual({ drained: 0, fallback: 1 });

    const next = worker('overdue', 200, false);
    await next.owner.start();
    await until(() => next.received.length >= 2, 'the readings redelivered');
    expect(next.received).toEqual(['o1', 'o2']);
    await next.owner.stop();
  });
});
