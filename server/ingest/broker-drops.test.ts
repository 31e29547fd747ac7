import { describe, expect, it } from 'vitest';
import { BrokerDropWatch, MOSQUITTO_DROPPED_TOPIC } from './broker-drops';
import { createLogger } from '../logger';

/** A logger whose JSON lines the test reads. */
function captureLogger() {
  const out: Record<string, unknown>[] = [];
  const logger = createLogger('info', false, { write: (line: string) => void out.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines: () => out };
}

const feed = (w: BrokerDropWatch, v: string) => w.handle(MOSQUITTO_DROPPED_TOPIC, Buffer.from(v));

describe('BrokerDropWatch', () => {
  it('takes the first count as the baseline, warns when it is not 0, and counts every rise after it', () => {
    const { logger, lines } = captureLogger();
    let t = 0;
    const w = new BrokerDropWatch(MOSQUITTO_DROPPED_TOPIC, logger, () => t);
    expect(w.matches(MOSQUITTO_DROPPED_TOPIC)).toBe(true);
    expect(w.matches('o3s/data/x')).toBe(false);
    feed(w, '40');
    expect(w.stats).toEqual({ brokerTotal: 40, droppedSinceStart: 0 });
    expect(lines().filter((l) => l.level === 40)).toHaveLength(1);
    feed(w, '40');
    feed(w, '55');
    expect(w.stats).toEqual({ brokerTotal: 55, droppedSinceStart: 15 });
    expect(
      lines()
        .filter((l) => l.level === 50)
        .map((l) => l.dropped),
    ).toEqual([15]);
    // Within the minute: counted, logged later with what accumulated.
    t = 30_000;
    feed(w, '60');
    t = 61_000;
    feed(w, '61');
    expect(
      lines()
        .filter((l) => l.level === 50)
        .map((l) => l.dropped),
    ).toEqual([15, 6]);
    // A restarted broker counts from 0.
    feed(w, '3');
    expect(w.stats).toEqual({ brokerTotal: 3, droppedSinceStart: 24 });
  });

  it('ignores what is not a count', () => {
    const { logger } = captureLogger();
    const w = new BrokerDropWatch(MOSQUITTO_DROPPED_TOPIC, logger, () => 0);
    for (const v of ['', 'x', '-1', '1.5', '1e400']) feed(w, v);
    expect(w.stats.brokerTotal).toBeNull();
  });
});
