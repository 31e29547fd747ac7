import { describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { aggregateHour, type ConversionSettings } from './hour-aggregate';
import { OpenHours } from './open-hours';

const H = Date.parse('2026-07-01T10:00:00+08:00');
const HOUR = 3_600_000;
const MN = '370300CEMS00000000000101';
const reading = (ts: number, rtd = 1): Reading & { cn: '2011' } => ({
  mn: MN,
  enterpriseId: 'e',
  kind: 'cems',
  cn: '2011',
  ts,
  factors: { a21002: { rtd, flag: 'N' } },
});

describe('open hours in memory', () => {
  it.each([
    { name: 'in order: from memory', feed: [0, 30_000, 60_000], fromRaw: false, change: false, memory: true },
    { name: 'a repeat: from raw', feed: [0, 30_000, 30_000], fromRaw: false, change: false, memory: false },
    { name: 'running at start: from raw', feed: [0, 30_000], fromRaw: true, change: false, memory: false },
    { name: 'the source’s settings changed: from raw', feed: [0, 30_000], fromRaw: false, change: true, memory: false },
  ])('$name', ({ feed, fromRaw, change, memory }) => {
    let settings: ConversionSettings = { o2Ref: 6, o2Cap: 19, intervalS: 30 };
    const open = new OpenHours(() => settings);
    for (const t of feed) open.add(reading(H + t), H, fromRaw);
    if (change) settings = { ...settings, intervalS: 60 };
    const expected = aggregateHour(
      MN,
      H,
      [],
      [...new Set(feed)].map((t) => reading(H + t)),
      settings,
    );
    expect(open.current(MN, H)).toEqual(memory ? expected : undefined);
    expect(open.take(H)).toEqual(new Map([[MN, memory ? expected : undefined]]));
    expect(open.current(MN, H)).toBeNull(); // taken
    expect(open.size()).toEqual({ entries: 0, numbers: 0 });
  });

  it('holds at most three open hours per source: a fourth comes from raw', () => {
    const open = new OpenHours(() => ({ o2Ref: 6, o2Cap: 19, intervalS: 30 }));
    for (let i = 0; i < 4; i++) open.add(reading(H + i * HOUR), H + i * HOUR, false);
    expect([0, 1, 2, 3].map((i) => open.current(MN, H + i * HOUR) === undefined)).toEqual([false, false, false, true]);
    expect(open.size().entries).toBe(4);
    expect(open.current('another', H)).toBeNull();
  });
});
