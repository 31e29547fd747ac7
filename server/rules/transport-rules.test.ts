/**
 * Transport signatures (issue 19): for each, the true case and look-alikes that must not fire.
 * Observations built by hand, judged at a given instant: no clock, no I/O.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import { DEFAULT_RULE_PARAMS, mergeRuleParams, type RuleOverrides } from '../domain/rule-pack';
import { CEMS, DAY, HOUR, MIN, S, source, T0, VAPOUR } from './test-kit';
import { ipOf, judgeNoRawHj212, judgeRelay, judgeTransport, TransportObservations, type FrameSeen } from './transport-rules';

const OTHER = source({ mn: '370300CEMS00000000000102', kind: 'cems' });
const subject = (src = CEMS, overrides?: RuleOverrides) => ({ source: src, params: mergeRuleParams(DEFAULT_RULE_PARAMS, overrides) });
const brief = (fs: Finding[]) => fs.map((f) => `${f.mn === CEMS.mn ? 'cems' : 'other'} ${f.rule} ${f.type}`);
const tcp = (mn: string, at: number, peer: string): FrameSeen => ({ mn, at, transport: 'tcp', peer });

describe('no-raw-hj212: data arrive, raw HJ 212 never does', () => {
  const WEEK = 7 * DAY;
  /** JSON readings every 10 min from T0 to T0 + `spanMs`. */
  const jsonOnly = (spanMs: number, obs = new TransportObservations(T0)) => {
    for (let at = T0; at <= T0 + spanMs; at += 10 * MIN) obs.reading(CEMS.mn, at);
    return obs;
  };

  it('a CEMS sending JSON only for 7 days → suspected, with the evidence', () => {
    const obs = jsonOnly(WEEK);
    expect(judgeNoRawHj212(obs, T0 + WEEK, subject())).toEqual([
      {
        type: 'exceeded',
        mn: CEMS.mn,
        factor: '*',
        rule: 'no-raw-hj212',
        severity: 'warning',
        value: 7 * 86_400,
        limit: 7 * 86_400,
        unit: 's',
        ts: T0 + WEEK,
        evidence: { lastReadingAt: T0 + WEEK, lastRawFrameAt: null, countedFrom: T0, periodS: 7 * 86_400 },
      },
    ]);
  });

  it.each([
    ['JSON only, but not yet for the whole period', () => jsonOnly(WEEK - HOUR), WEEK - HOUR, subject()],
    [
      'JSON and raw HJ 212 both (a raw frame yesterday)',
      () => {
        const obs = jsonOnly(WEEK);
        obs.frame({ mn: CEMS.mn, at: T0 + WEEK - DAY, transport: 'mqtt', peer: 'sentinel/v1/x/hj212' });
        return obs;
      },
      WEEK,
      subject(),
    ],
    // Sending nothing at all is the offline rule's, not this one's.
    ['nothing sent for a week (offline, not a converter)', () => jsonOnly(0), WEEK, subject()],
    ['a vapour-recovery station (not registered for HJ 212) on JSON', () => new TransportObservations(T0), WEEK, subject(VAPOUR)],
    ['switched off in the pack', () => jsonOnly(WEEK), WEEK, subject(CEMS, { noRawHj212: { enabled: false } })],
  ])('%s: not raised', (_n, build, atMs, s) => {
    const obs = build();
    if (s.source === VAPOUR) for (let at = T0; at <= T0 + WEEK; at += HOUR) obs.reading(VAPOUR.mn, at);
    expect(judgeNoRawHj212(obs, T0 + atMs, s).filter((f) => f.type === 'exceeded')).toEqual([]);
  });

  it('periodS is configurable: a day of JSON only with periodS 86400 → suspected', () => {
    expect(brief(judgeNoRawHj212(jsonOnly(DAY), T0 + DAY, subject(CEMS, { noRawHj212: { periodS: 86_400 } })))).toEqual([
      'cems no-raw-hj212 exceeded',
    ]);
  });
});

describe('relay: several MNs on one connection, or a logger changing address', () => {
  it('two MNs delivered on one TCP connection → suspected relay for both, naming the other', () => {
    const obs = new TransportObservations(T0);
    obs.frame(tcp(CEMS.mn, T0, '10.1.2.3:40000'));
    obs.frame(tcp(OTHER.mn, T0 + S, '10.1.2.3:40000'));
    const findings = judgeTransport(obs, T0 + MIN, [subject(), subject(OTHER)]).filter((f) => f.rule === 'relay');
    expect(brief(findings)).toEqual(['cems relay exceeded', 'other relay exceeded']);
    expect(findings[0]).toMatchObject({
      severity: 'major',
      value: 2,
      limit: 1,
      unit: '',
      evidence: {
        pattern: 'shared-connection',
        peer: '10.1.2.3:40000',
        sourcesOnConnection: 2,
        sharedWith: OTHER.mn,
        lastSeenAt: T0,
        windowS: 86_400,
      },
    });
  });

  it('a logger heard from a new IP address → suspected relay with both addresses', () => {
    const obs = new TransportObservations(T0);
    obs.frame(tcp(CEMS.mn, T0, '10.1.2.3:40000'));
    obs.frame(tcp(CEMS.mn, T0 + HOUR, '203.0.113.9:5000'));
    expect(judgeRelay(obs, T0 + HOUR, subject())).toEqual([
      {
        type: 'exceeded',
        mn: CEMS.mn,
        factor: '*',
        rule: 'relay',
        severity: 'major',
        value: 2,
        limit: 1,
        unit: '',
        ts: T0 + HOUR,
        evidence: {
          pattern: 'address-changed',
          previousAddress: '10.1.2.3',
          currentAddress: '203.0.113.9',
          changedAt: T0 + HOUR,
          addresses: 2,
          windowS: 86_400,
        },
      },
    ]);
  });

  it.each([
    [
      'two loggers of one site behind one NAT address, each on its own connection',
      [tcp(CEMS.mn, T0, '10.1.2.3:40000'), tcp(OTHER.mn, T0, '10.1.2.3:40001')],
      {},
    ],
    [
      'a logger reconnecting from the same IP on a new port',
      [tcp(CEMS.mn, T0, '10.1.2.3:40000'), tcp(CEMS.mn, T0 + HOUR, '10.1.2.3:40007')],
      {},
    ],
    [
      'two MNs on one connection, but more than the window apart',
      [tcp(CEMS.mn, T0, '10.1.2.3:40000'), tcp(OTHER.mn, T0 + DAY + HOUR, '10.1.2.3:40000')],
      {},
    ],
    [
      'a concentrator allowed two MNs by the pack',
      [tcp(CEMS.mn, T0, '10.1.2.3:40000'), tcp(OTHER.mn, T0, '10.1.2.3:40000')],
      { relay: { maxSourcesPerConnection: 2 } },
    ],
    [
      'address watch off: a new IP is not judged',
      [tcp(CEMS.mn, T0, '10.1.2.3:40000'), tcp(CEMS.mn, T0 + HOUR, '203.0.113.9:5000')],
      { relay: { watchAddress: false } },
    ],
    [
      'raw HJ 212 over MQTT (the topic is not an address)',
      [
        { mn: CEMS.mn, at: T0, transport: 'mqtt', peer: 'sentinel/v1/a/hj212' },
        { mn: OTHER.mn, at: T0, transport: 'mqtt', peer: 'sentinel/v1/a/hj212' },
      ],
      {},
    ],
  ] as [string, FrameSeen[], RuleOverrides][])('%s: not raised', (_n, frames, overrides) => {
    const obs = new TransportObservations(T0);
    for (const f of frames) obs.frame(f);
    const at = Math.max(...frames.map((f) => f.at)) + MIN;
    const findings = judgeTransport(obs, at, [subject(CEMS, overrides), subject(OTHER, overrides)]);
    expect(findings.filter((f) => f.rule === 'relay' && f.type === 'exceeded')).toEqual([]);
  });

  it('once the window has passed, the condition clears (a normal finding)', () => {
    const obs = new TransportObservations(T0);
    obs.frame(tcp(CEMS.mn, T0, '10.1.2.3:40000'));
    obs.frame(tcp(OTHER.mn, T0, '10.1.2.3:40000'));
    obs.frame(tcp(CEMS.mn, T0 + DAY + HOUR, '10.1.2.3:40009'));
    obs.prune(T0 + DAY + HOUR - DAY);
    expect(judgeRelay(obs, T0 + DAY + HOUR, subject())).toMatchObject([{ type: 'normal', rule: 'relay' }]);
    expect(obs.connections.has('10.1.2.3:40000')).toBe(false);
    // The index by MN forgets the pruned connection with it.
    expect([...(obs.peers.get(CEMS.mn) ?? [])]).toEqual(['10.1.2.3:40009']);
    expect(obs.peers.has(OTHER.mn)).toBe(false);
  });

  it.each([
    ['10.1.2.3:40000', '10.1.2.3'],
    ['[::1]:6212', '::1'],
    ['::ffff:127.0.0.1:6212', '::ffff:127.0.0.1'],
  ])('ipOf(%s) = %s', (peer, ip) => expect(ipOf(peer)).toBe(ip));
});
