import { describe, expect, it } from 'vitest';
import type { LoggerStatusEvent } from '../domain/events';
import { LoggerLinks } from './logger-links';

const MN = '370300NH3000000000000201';

describe('logger links', () => {
  const setup = () => {
    const seen: LoggerStatusEvent[] = [];
    let t = 0;
    return {
      seen,
      links: new LoggerLinks(
        (e) => seen.push(e),
        () => ++t,
      ),
    };
  };

  it('MQTT: online with the first client, offline when the last one closes', () => {
    const { seen, links } = setup();
    links.mqttOpened(MN);
    links.mqttOpened(MN); // a second client id of the same logger
    links.mqttClosed(MN);
    expect(seen).toEqual([{ mn: MN, status: 'online', since: 1, via: 'mqtt' }]);
    links.mqttClosed(MN);
    links.mqttClosed(MN); // a close never seen opening is ignored
    expect(seen.map((e) => e.status)).toEqual(['online', 'offline']);
    expect(seen[1]).toEqual({ mn: MN, status: 'offline', since: 2, via: 'mqtt' });
  });

  it('HJ 212 TCP: each bind and close as the status board reports it', () => {
    const { seen, links } = setup();
    links.hj212(MN, true);
    links.hj212(MN, false);
    expect(seen).toEqual([
      { mn: MN, status: 'online', since: 1, via: 'hj212' },
      { mn: MN, status: 'offline', since: 2, via: 'hj212' },
    ]);
  });
});
