import { describe, expect, it } from 'vitest';
import { offlineOnReading, offlineTick, outageCaseDue, type OfflineState } from './offline-rule';
import { AMMONIA, ctx, S, T0 } from './test-kit';

// intervalS 30, 5 missed intervals → offline after 150 s of silence.
const c = ctx(AMMONIA);
const STARTED = T0;

describe('offline', () => {
  it.each([
    ['seen 149 s ago: online', { lastSeenAt: T0, offline: false }, 149, null],
    ['seen 150 s ago: offline', { lastSeenAt: T0, offline: false }, 150, 150],
    ['never seen, engine started 150 s ago: offline', { lastSeenAt: null, offline: false }, 150, 150],
    ['never seen, engine started 100 s ago: not yet', { lastSeenAt: null, offline: false }, 100, null],
    ['already offline: said once, not again', { lastSeenAt: T0, offline: true }, 900, null],
  ] as const)('%s', (_n, state: OfflineState, afterS, silentS) => {
    const { findings } = offlineTick(state, T0 + afterS * S, STARTED, c);
    if (silentS === null) return expect(findings).toEqual([]);
    expect(findings).toEqual([
      {
        type: 'exceeded',
        mn: AMMONIA.mn,
        factor: '*',
        rule: 'offline',
        severity: 'major',
        value: silentS,
        limit: 150,
        unit: 's',
        ts: T0 + afterS * S,
        evidence: { lastSeenAt: state.lastSeenAt, countedFrom: T0 },
      },
    ]);
  });

  it.each([
    ['obligated', 0],
    ['installed', 0],
    ['accepted', 1],
    ['networked', 1],
  ] as const)('a source never seen whose monitoring is %s: %i offline finding', (status, n) => {
    const notYet = ctx({ ...AMMONIA, onboarding: { status } });
    expect(offlineTick({ lastSeenAt: null, offline: false }, T0 + 900 * S, STARTED, notYet).findings).toHaveLength(n);
    // Once it has reported, it is watched like any other.
    expect(offlineTick({ lastSeenAt: T0, offline: false }, T0 + 900 * S, STARTED, notYet).findings).toHaveLength(1);
  });

  // Outage tiers (issue 19, PLANS A7): offline > criticalAfterS (24 h) → the open alert turns critical
  // (and escalates like every critical alert), once.
  it.each([
    ['offline 23 h 59 min: stays major', { lastSeenAt: T0, offline: true, offlineCritical: false }, 86_399, null],
    ['offline 24 h: critical', { lastSeenAt: T0, offline: true, offlineCritical: false }, 86_400, 'critical'],
    ['already critical: said once, not again', { lastSeenAt: T0, offline: true, offlineCritical: true }, 200_000, null],
    ['silent 25 h before it was first judged: critical at once', { lastSeenAt: T0, offline: false }, 90_000, 'critical'],
  ] as const)('%s', (_n, state: OfflineState, afterS, severity) => {
    const { findings, state: next } = offlineTick(state, T0 + afterS * S, STARTED, c);
    if (severity === null) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ type: 'exceeded', rule: 'offline', factor: '*', severity, value: afterS });
    if (severity === 'critical') {
      expect(findings[0]).toMatchObject({ evidence: { lastSeenAt: T0, countedFrom: T0, criticalAfterS: 86_400 } });
      expect(next).toMatchObject({ offline: true, offlineCritical: true });
    }
  });

  it('criticalAfterS is configurable; a reading clears the tier with the condition', () => {
    const quick = ctx(AMMONIA, { offline: { criticalAfterS: 600 } });
    const r = offlineTick({ lastSeenAt: T0, offline: true, offlineCritical: false }, T0 + 600 * S, STARTED, quick);
    expect(r.findings[0]).toMatchObject({ severity: 'critical' });
    expect(offlineOnReading(r.state, T0 + 700 * S, AMMONIA.mn).state).toEqual({
      lastSeenAt: T0 + 700 * S,
      offline: false,
      offlineCritical: false,
    });
  });

  it.each([
    [71, false],
    [72, true],
  ])('an outage of %i h is due a case: %s', (hours, due) => {
    expect(outageCaseDue(T0, T0 + hours * 3_600_000, c.params.offline)).toBe(due);
  });

  it('missedIntervals is configurable', () => {
    expect(
      offlineTick({ lastSeenAt: T0, offline: false }, T0 + 60 * S, STARTED, ctx(AMMONIA, { offline: { missedIntervals: 2 } })).findings,
    ).toHaveLength(1);
  });

  it('silence before an engine restart does not count: measured from the start at the earliest', () => {
    expect(offlineTick({ lastSeenAt: T0, offline: false }, T0 + 200 * S, T0 + 100 * S, c).findings).toEqual([]);
  });

  it.each([
    ['data returning clears the offline condition', { lastSeenAt: T0, offline: true }, 1],
    ['data from an online source says nothing', { lastSeenAt: T0, offline: false }, 0],
  ] as const)('%s', (_n, state, count) => {
    const r = offlineOnReading(state, T0 + 500 * S, AMMONIA.mn);
    expect(r.findings).toHaveLength(count);
    expect(r.state).toEqual({ lastSeenAt: T0 + 500 * S, offline: false, offlineCritical: false });
    if (count) expect(r.findings[0]).toMatchObject({ type: 'normal', factor: '*', rule: 'offline' });
  });
});
