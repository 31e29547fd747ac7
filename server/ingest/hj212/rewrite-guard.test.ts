import { describe, expect, it } from 'vitest';
import type { Reading } from '../../domain/reading';
import { RewriteGuard } from './rewrite-guard';

const T = Date.parse('2026-07-01T10:00:00+08:00');
const nh3 = (rtd: number, ts = T, cn: Reading['cn'] = '2011'): Reading => ({
  mn: '370300NH3000000000000201',
  enterpriseId: 'e',
  kind: 'ammonia',
  cn,
  ts,
  factors: { a21001: { rtd, flag: 'N' } },
});

describe('rewrite guard: who may change an instant already taken', () => {
  it.each([
    ['the same values from another address (a resend from a new mobile address)', 'tcp:10.0.0.2', 3.2, { ok: true, resend: true }],
    ['the same values from the first address', 'tcp:10.0.0.1', 3.2, { ok: true, resend: true }],
    ['other values from the first address (the logger correcting itself)', 'tcp:10.0.0.1', 4.5, { ok: true, resend: false }],
    ['other values from another address', 'tcp:10.0.0.2', 0.1, { ok: false, firstOwner: 'tcp:10.0.0.1', firstAt: T + 1000 }],
    ['other values over MQTT after TCP', 'mqtt:sentinel/v1/370300NH3000000000000201/hj212', 0.1, { ok: false, firstOwner: 'tcp:10.0.0.1' }],
  ])('%s', (_name, owner, rtd, want) => {
    const guard = new RewriteGuard({ windowMs: 3_600_000, maxEntries: 10 });
    expect(guard.admit(nh3(3.2), 'tcp:10.0.0.1', T + 1000)).toEqual({ ok: true, resend: false });
    expect(guard.admit(nh3(rtd), owner, T + 2000)).toMatchObject(want);
  });

  it('keys by MN, CN, DataTime and split part: another instant, kind or part is new', () => {
    const guard = new RewriteGuard({ windowMs: 3_600_000, maxEntries: 10 });
    guard.admit(nh3(3.2), 'tcp:a', T);
    expect(guard.admit(nh3(1, T + 30_000), 'tcp:b', T)).toEqual({ ok: true, resend: false });
    expect(guard.admit(nh3(1, T, '2051'), 'tcp:b', T)).toEqual({ ok: true, resend: false });
    expect(guard.admit(nh3(1), 'tcp:b', T, '2/2')).toEqual({ ok: true, resend: false });
    expect(guard.admit(nh3(1), 'tcp:b', T, '')).toMatchObject({ ok: false });
  });

  it('the owner of a later correction keeps the instant: the first values are then a rewrite too', () => {
    const guard = new RewriteGuard({ windowMs: 3_600_000, maxEntries: 10 });
    guard.admit(nh3(3.2), 'tcp:a', T);
    guard.admit(nh3(4.5), 'tcp:a', T);
    expect(guard.admit(nh3(3.2), 'tcp:b', T)).toMatchObject({ ok: false });
    expect(guard.admit(nh3(4.5), 'tcp:b', T)).toEqual({ ok: true, resend: true });
  });

  it('is bounded: forgets instants older than the window and the oldest beyond maxEntries', () => {
    const guard = new RewriteGuard({ windowMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 5; i++) guard.admit(nh3(1, T + i * 1000), 'tcp:a', T + i);
    expect(guard.size).toBe(3);
    expect(guard.admit(nh3(9, T), 'tcp:b', T + 10)).toEqual({ ok: true, resend: false }); // forgotten: new again
    expect(guard.admit(nh3(9, T + 4000), 'tcp:b', T + 10)).toMatchObject({ ok: false });
    expect(guard.admit(nh3(9, T + 4000), 'tcp:b', T + 61_000)).toEqual({ ok: true, resend: false }); // past the window
    expect(guard.size).toBe(1);
  });
});
