import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite-open';

describe('openSqlite', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'o3-sqlite-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // synchronous: 1 = NORMAL, 2 = FULL (SQLite's default)
  it.each([
    [{}, 2],
    [{ synchronous: 'NORMAL' as const }, 1],
  ])('with %j: WAL, a 5 s busy timeout and synchronous %i', (options, synchronous) => {
    const db = openSqlite(join(dir, 'a.db'), options);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(synchronous);
    } finally {
      db.close();
    }
  });
});
