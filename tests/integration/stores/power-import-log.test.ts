/** The power-import log's contract on both engines: its own migration history, series kept per import, overlap by logger and span. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPowerImportLog, type ImportedSeries } from '../../../server/storage/sql/power-import-log';
import { openResponseStore } from '../../../server/storage/sql/response-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const GRID = '370300GKJK00000000000106';
const OTHER = '370300GKJK00000000000105';
const H = 3_600_000;
const T = 1_780_000_000_000;
const series = (importId: string, mn: string, code: string, from: number, to: number, at: number): ImportedSeries => ({
  importId,
  mn,
  code,
  from,
  to,
  at,
});

describe.each(sqlEngines())('PowerImportLog on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openPowerImportLog>>;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openPowerImportLog(fresh.location);
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates beside the other stores with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-series']);
    const responses = await openResponseStore(fresh.location);
    expect(responses.migrated.length).toBeGreaterThan(0);
    await responses.close();
    await opened.close();
    opened = await openPowerImportLog(fresh.location);
    expect(opened.migrated).toEqual([]);
  });

  it('gives back the series overlapping a span on the loggers asked for, oldest import first; recording again keeps one row', async () => {
    await opened.log.record([
      series('pi-2', GRID, 'gkw01', T, T + 2 * H, T + 5 * H),
      series('pi-2', GRID, 'gkw02', T, T + 2 * H, T + 5 * H),
    ]);
    await opened.log.record([series('pi-1', GRID, 'gkw01', T - H, T + H, T + 4 * H), series('pi-1', OTHER, 'gkw01', T, T + H, T + 4 * H)]);
    await opened.log.record([series('pi-2', GRID, 'gkw01', T, T + 3 * H, T + 5 * H)]);
    const got = await opened.log.overlapping([GRID], T + H, T + 2 * H);
    expect(got).toEqual([series('pi-2', GRID, 'gkw01', T, T + 3 * H, T + 5 * H), series('pi-2', GRID, 'gkw02', T, T + 2 * H, T + 5 * H)]);
    expect((await opened.log.overlapping([GRID, OTHER], T, T + H)).map((s) => [s.importId, s.mn, s.code])).toEqual([
      ['pi-1', OTHER, 'gkw01'],
      ['pi-1', GRID, 'gkw01'],
      ['pi-2', GRID, 'gkw01'],
      ['pi-2', GRID, 'gkw02'],
    ]);
    // [from, to): a span ending where the hour starts does not overlap it.
    expect(await opened.log.overlapping([OTHER], T + H, T + 2 * H)).toEqual([]);
    expect(await opened.log.overlapping([], T, T + H)).toEqual([]);
  });
});
