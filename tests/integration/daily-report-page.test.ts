/**
 * The daily report's page (issue 20) over a real rollup store and alert store on both engines: the
 * report's order (over the limit first), the scope's totals whatever the filter, the filters, the
 * day's alerts counted by a count query and seen as soon as one opens, the figures kept in the
 * store for a fresh service and dropped when late data rewrites a source-day, and the export's
 * chunks holding every match.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { Limit, Source } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { ContinuousRollup } from '../../server/reports/continuous-rollup';
import { ReportService } from '../../server/reports/report-service';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { openAlertState, type AlertState } from '../../server/storage/sql/alert-store';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
import { sqlEngines, type FreshDatabase } from '../helpers/sql-engines';

const H = 3_600_000;
const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const source = (n: number, enterpriseId: string, district: string): Source =>
  ({ mn: `370300CEMS0000000000${n}01`, name: `排放口${n}`, enterpriseId, kind: 'cems', intervalS: 30, district }) as Source;
const A = source(1001, 'e1', '张店区'); // NOx 60 for 3 hours: over the limit those hours
const B = source(2001, 'e1', '淄川区'); // NOx 30 all day
const C = source(3001, 'e2', '张店区'); // nothing received
const SOURCES = [B, C, A];
const LIMITS: Record<string, Limit> = { a21002: { max: 50, o2Converted: false, severity: 'major' } };

function hour(mn: string, at: number, nox: number | null): SourceHour {
  const received = nox === null ? 0 : 120;
  return {
    mn,
    hour: at,
    basis: nox === null ? null : '2011',
    records: received,
    validRecords: received,
    intervalS: 30,
    intervals: received,
    validIntervals: received,
    factors: nox === null ? {} : { a21002: { n: 60, nValid: 60, sum: 60 * nox, nZs: 0, sumZs: 0, flag: 'N' } },
  };
}
const day = (mn: string, nox: (h: number) => number | null) => Array.from({ length: 24 }, (_, h) => hour(mn, DAY + h * H, nox(h)));

const alert = (mn: string, openedAt: number): Omit<Alert, 'id'> => ({
  mn,
  enterpriseId: 'e1',
  factor: 'a21002',
  rule: 'limit',
  severity: 'major',
  state: 'active',
  value: 60,
  peak: 60,
  limit: 50,
  unit: 'mg/m³',
  count: 1,
  openedAt,
  lastSeenAt: openedAt,
  clearedAt: null,
  raisedAt: openedAt,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
});

describe.each(sqlEngines())('the daily report’s page on $name', (engine) => {
  let rollupDb: FreshDatabase;
  let alertDb: FreshDatabase;
  let alerts: AlertState;
  const open: { stop(): Promise<void> }[] = [];

  /** A rollup and report service freshly started on the store. */
  async function service(): Promise<{ reports: ReportService; store: SqlHourlyRollup }> {
    const store = new SqlHourlyRollup(rollupDb.location);
    await store.init();
    const rollup = new ContinuousRollup({
      records: {
        records: async () => {
          throw new Error('the daily report read the raw store');
        },
        sourcesWithRecords: async () => {
          throw new Error('the daily report read the raw store');
        },
        recordsOfSources: async () => {
          throw new Error('the daily report read the raw store');
        },
      },
      store,
      conversion: () => ({ o2Ref: 6, o2Cap: 19, intervalS: 30 }),
      sources: () => SOURCES.map((s) => s.mn),
      utcOffsetMinutes: 480,
      graceMs: () => 300_000,
      settleMs: 10_000,
      maxLateWaitMs: 60_000,
      catchUpMs: 0,
      concurrency: 1,
      now: () => DAY + 26 * H,
      log: createLogger('silent'),
    });
    await rollup.start(3_600_000);
    open.push({
      async stop() {
        await rollup.stop();
        await store.close();
      },
    });
    const reports = new ReportService({
      rollup,
      figures: store,
      subject: (mn) => {
        const s = SOURCES.find((x) => x.mn === mn);
        return (
          s && {
            source: s,
            enterpriseName: s.enterpriseId === 'e1' ? '甲企业' : '乙企业',
            limits: LIMITS,
            minValidMinutes: 45,
            minValidHours: 20,
          }
        );
      },
      alertCounts: (from, to, mns) => alerts.alerts.countByRule({ from, to, ...(mns ? { mns } : {}) }),
      placeOf: (s) => ({ district: s.district ?? '', industry: { code: 'D4411', name: '火力发电' } }),
      utcOffsetMinutes: 480,
      now: () => DAY + 26 * H,
    });
    return { reports, store };
  }

  beforeEach(async () => {
    rollupDb = await engine.create();
    alertDb = await engine.create();
    alerts = await openAlertState(alertDb.location);
    const store = new SqlHourlyRollup(rollupDb.location);
    await store.init();
    await store.put([...day(A.mn, (h) => (h >= 8 && h < 11 ? 60 : 30)), ...day(B.mn, () => 30), ...day(C.mn, () => null)]);
    await store.compact(DAY);
    await store.close();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.stop();
    await alerts.close();
    await alertDb.remove();
    await rollupDb.remove();
  });

  it('pages the sources worst first with the totals of all of them, and filters', async () => {
    const { reports } = await service();
    const first = await reports.dailyPage(SOURCES, DAY, true, { offset: 0, limit: 2 });
    expect(first).toMatchObject({ date: '2026-07-01', total: 3, offset: 0, districts: ['张店区', '淄川区'] });
    expect(first.industries).toEqual([{ code: 'D4411', name: '火力发电' }]);
    // A has hours over the limit, C sent nothing (failing transmission), B is fine.
    expect(first.items.map((i) => i.mn)).toEqual([A.mn, C.mn]);
    expect(first.items[0]?.factors[0]).toMatchObject({ factor: 'a21002', exceedingHours: 3, valid: true });
    expect(first.totals).toMatchObject({ sources: 3, withExceedingHours: 1, exceedingHours: 3, exceeding: 0, failing: 1, noData: 1 });
    expect(first.totals.alerts).toBe(0);
    expect(first.totals.transmission).toMatchObject({ expected: 3 * 2880, received: 2 * 2880, valid: 2 * 2880 });
    const second = await reports.dailyPage(SOURCES, DAY, true, { offset: 2, limit: 2 });
    expect(second.items.map((i) => i.mn)).toEqual([B.mn]);
    // Filters narrow the list, never the totals.
    const pick = async (f: Parameters<ReportService['dailyPage']>[3]) => {
      const r = await reports.dailyPage(SOURCES, DAY, true, f);
      expect(r.totals.sources).toBe(3);
      return r.items.map((i) => i.mn);
    };
    expect(await pick({ offset: 0, status: 'exceeding' })).toEqual([A.mn]);
    expect(await pick({ offset: 0, status: 'noData' })).toEqual([C.mn]);
    expect(await pick({ offset: 0, district: '张店区' })).toEqual([A.mn, C.mn]);
    expect(await pick({ offset: 0, enterpriseId: 'e2' })).toEqual([C.mn]);
    expect(await pick({ offset: 0, q: '排放口2' })).toEqual([B.mn]);
    expect(await pick({ offset: 0, industry: 'C3011' })).toEqual([]);
    // A narrower scope (an enterprise's sources) has its own totals.
    const own = await reports.dailyPage([A, B], DAY, false, { offset: 0 });
    expect(own.totals).toMatchObject({ sources: 2, noData: 0 });
    expect(own.items.map((i) => i.mn)).toEqual([A.mn, B.mn]);
  });

  it('counts the day’s alerts anew on every page: one opened that day shows at once', async () => {
    const { reports } = await service();
    expect((await reports.dailyPage(SOURCES, DAY, true, { offset: 0, limit: 3 })).totals.alerts).toBe(0);
    await alerts.alerts.insert(alert(B.mn, DAY + 5 * H), []);
    await alerts.alerts.insert(alert(A.mn, DAY + 26 * H), []); // the next day's
    const after = await reports.dailyPage(SOURCES, DAY, true, { offset: 0, limit: 3 });
    expect(after.totals.alerts).toBe(1);
    expect(after.items.find((i) => i.mn === B.mn)?.alerts).toEqual({ limit: 1 });
    expect(await reports.dailyPage(SOURCES, DAY, true, { offset: 0, status: 'alerts' })).toMatchObject({ total: 1 });
  });

  it('keeps the figures in the store for a fresh start; late data into a source-day drops its figures', async () => {
    const first = await service();
    await first.reports.prepareDay(SOURCES, DAY);
    expect((await first.store.getDayFigures(DAY)).map((f) => f.mn).sort()).toEqual([A.mn, B.mn, C.mn]);
    const before = await first.reports.dailyPage(SOURCES, DAY, true, { offset: 0, limit: 3 });
    // Late data: B's hour 3 over the limit, written into its packed row.
    await first.store.put([hour(B.mn, DAY + 3 * H, 80)]);
    expect((await first.store.getDayFigures(DAY)).map((f) => f.mn).sort()).toEqual([A.mn, C.mn]);
    for (const s of open.splice(0)) await s.stop();
    const fresh = await service();
    const after = await fresh.reports.dailyPage(SOURCES, DAY, true, { offset: 0, limit: 3 });
    expect(before.totals.exceedingHours).toBe(3);
    expect(after.totals.exceedingHours).toBe(4);
    expect(after.items.map((i) => i.mn)).toEqual([A.mn, B.mn, C.mn]);
    expect((await fresh.store.getDayFigures(DAY)).map((f) => f.mn).sort()).toEqual([A.mn, B.mn, C.mn]);
  });

  it('gives every match to the export, a chunk at a time, in the report’s order', async () => {
    const { reports } = await service();
    const seen: string[] = [];
    for await (const chunk of reports.dailyChunks(SOURCES, DAY, true, { district: '张店区' })) seen.push(...chunk.map((i) => i.mn));
    expect(seen).toEqual([A.mn, C.mn]);
  });
});
