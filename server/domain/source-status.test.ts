import { describe, expect, it } from 'vitest';
import type { SourceStatusKind } from './events';
import { statusAfterReading, statusWithAlerts } from './source-status';

describe('the status kept honest between snapshots', () => {
  it.each<{ said: SourceStatusKind; active: boolean | null; expected: SourceStatusKind }>([
    { said: 'offline', active: true, expected: 'offline' },
    { said: 'nodata', active: false, expected: 'nodata' },
    { said: 'normal', active: null, expected: 'normal' },
    { said: 'exceeding', active: null, expected: 'exceeding' },
    { said: 'normal', active: true, expected: 'exceeding' },
    { said: 'exceeding', active: false, expected: 'normal' },
  ])('$said with active alert $active → $expected', ({ said, active, expected }) => {
    expect(statusWithAlerts(said, active)).toBe(expected);
  });

  it.each<[SourceStatusKind, SourceStatusKind]>([
    ['offline', 'normal'],
    ['nodata', 'normal'],
    ['exceeding', 'exceeding'],
    ['normal', 'normal'],
  ])('a reading turns %s into %s', (said, expected) => expect(statusAfterReading(said)).toBe(expected));
});
