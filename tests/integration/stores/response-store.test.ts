/**
 * The response store's contract on both engines: one response per warning, re-planned with its
 * history, ended; acknowledgements (the first stands); judged hours (the first verdict of an hour
 * stands) and how far they were judged, the verification summaries folded from them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedMeasure } from '../../../server/domain/reduction-list';
import type { JudgedHour, ReductionResponse } from '../../../server/domain/response';
import { openResponseStore, type ResponseStore, type StoredPlan } from '../../../server/storage/sql/response-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T10:00:00+08:00');

const stop: ResolvedMeasure = {
  entryId: 'e1',
  name: '1#烧结生产线',
  facilityId: 'sinter-1',
  obligation: 'required',
  measure: { action: 'stop', indicators: [{ kind: 'line-power', facilityId: 'sinter-1', maxKw: 50 }], expectedKgH: { nox: 12 } },
  fromLevel: 'orange',
  policy: 'as-listed',
};

const plan = (measures: ResolvedMeasure[]): StoredPlan => ({
  enterprises: [
    { enterpriseId: 'ent-a', name: '甲钢铁', grade: 'C', list: { year: 2026, version: 1 }, measures, required: measures.length },
    { enterpriseId: 'ent-b', name: '乙水泥', grade: 'ungraded', list: null, measures: [], required: 0 },
  ],
  withoutList: ['ent-b'],
  city: [{ pollutant: 'nox', expectedKgH: 12, cityKgH: 100, sharePct: 12, targetPct: 20, pass: false }],
});

describe.each(sqlEngines())('ResponseStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openResponseStore>>;
  let store: ResponseStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openResponseStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-responses']);
    await opened.close();
    opened = await openResponseStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('starts one response per warning, re-plans it with its history and ends it', async () => {
    const r = await store.insert({
      warningId: 5,
      level: 'orange',
      districts: ['临淄区'],
      startAt: T0,
      plan: plan([stop]),
      at: T0 - 60_000,
    });
    expect(r).toMatchObject({
      id: 1,
      warningId: 5,
      level: 'orange',
      status: 'active',
      startAt: T0,
      endAt: null,
      judgedUntil: T0,
      version: 1,
    });
    expect(r.enterprises.map((e) => [e.enterpriseId, e.acknowledged, e.verification.length])).toEqual([
      ['ent-a', null, 1],
      ['ent-b', null, 0],
    ]);
    expect(r.withoutList).toEqual(['ent-b']);
    expect(r.city[0]).toMatchObject({ pollutant: 'nox', sharePct: 12 });
    await expect(store.insert({ warningId: 5, level: 'red', districts: [], startAt: T0, plan: plan([]), at: T0 })).rejects.toMatchObject({
      status: 409,
    });

    await store.acknowledge(r.id, 'ent-a', { username: 'ent-a', at: T0 });
    const up = await store.replan(r.id, { level: 'red', districts: ['临淄区', '张店区'], plan: plan([]), at: T0 + H });
    expect(up).toMatchObject({ level: 'red', districts: ['临淄区', '张店区'], version: 3 });
    // The new measures are acknowledged anew.
    expect(up.enterprises.map((e) => e.acknowledged)).toEqual([null, null]);
    const ended = await store.end(r.id, T0 + 5 * H);
    expect(ended).toMatchObject({ status: 'ended', endAt: T0 + 5 * H, version: 4 });
    expect(ended.history).toEqual([
      { at: T0 - 60_000, event: 'started', level: 'orange' },
      { at: T0 + H, event: 'replanned', level: 'red' },
      { at: T0 + 5 * H, event: 'ended', level: 'red' },
    ]);
    expect((await store.byWarning(5))?.id).toBe(r.id);
    expect(await store.byWarning(6)).toBeNull();
    expect(await store.get(99)).toBeNull();
    await expect(store.end(99, T0)).rejects.toMatchObject({ status: 404 });
  });

  it('lists newest first, by warning and status', async () => {
    const a = await store.insert({ warningId: 1, level: 'yellow', districts: ['a'], startAt: T0, plan: plan([]), at: T0 });
    const b = await store.insert({ warningId: 2, level: 'orange', districts: ['b'], startAt: T0, plan: plan([]), at: T0 });
    await store.end(a.id, T0 + H);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await store.list({ warningId: 1 })).map((r) => r.id)).toEqual([a.id]);
    expect((await store.list({ status: 'active' })).map((r) => r.id)).toEqual([b.id]);
    expect((await store.list({ status: 'ended', warningId: 2 })).map((r) => r.id)).toEqual([]);
  });

  it('keeps the first acknowledgement of an enterprise', async () => {
    const r = await store.insert({ warningId: 1, level: 'orange', districts: ['a'], startAt: T0, plan: plan([stop]), at: T0 });
    expect(await store.acknowledge(r.id, 'ent-a', { username: 'ent-a', at: T0 + 60_000 })).toEqual({
      ack: { username: 'ent-a', at: T0 + 60_000 },
      created: true,
    });
    expect(await store.acknowledge(r.id, 'ent-a', { username: 'ent-a-2', at: T0 + 120_000 })).toEqual({
      ack: { username: 'ent-a', at: T0 + 60_000 },
      created: false,
    });
    const after = await store.get(r.id);
    expect(after?.enterprises[0]?.acknowledged).toEqual({ username: 'ent-a', at: T0 + 60_000 });
    expect(after?.enterprises[1]?.acknowledged).toBeNull();
  });

  it('records judged hours once and folds them into the verification summary', async () => {
    const r = await store.insert({ warningId: 1, level: 'orange', districts: ['a'], startAt: T0, plan: plan([stop]), at: T0 });
    const check = (kw: number, verdict: 'pass' | 'fail') => [
      { what: 'line-power' as const, subject: 'sinter-1', observed: kw, allowed: 50, verdict },
    ];
    const hour = (h: number, verdict: 'pass' | 'fail' | 'nodata', kw = 0) => ({
      responseId: r.id,
      enterpriseId: 'ent-a',
      entryId: 'e1',
      hour: T0 + h * H,
      level: 'orange' as const,
      verdict,
      checks: verdict === 'nodata' ? [] : check(kw, verdict),
    });
    await store.recordHours(r.id, [hour(0, 'pass', 10), hour(1, 'fail', 800)], T0 + 2 * H);
    // The same hour again keeps its first verdict.
    await store.recordHours(r.id, [hour(1, 'pass', 10), hour(2, 'nodata'), hour(3, 'fail', 900)], T0 + 4 * H);
    const after = await store.get(r.id);
    expect(after?.judgedUntil).toBe(T0 + 4 * H);
    expect(after?.enterprises[0]?.verification).toEqual([
      {
        entryId: 'e1',
        judged: 4,
        passed: 1,
        failed: 2,
        nodata: 1,
        streak: 2,
        lastHour: T0 + 3 * H,
        lastVerdict: 'fail',
        lastChecks: check(900, 'fail'),
      },
    ]);
    expect((await store.hours(r.id, 'ent-a')).map((h) => [h.hour - T0, h.verdict])).toEqual([
      [0, 'pass'],
      [H, 'fail'],
      [2 * H, 'nodata'],
      [3 * H, 'fail'],
    ]);
    expect(await store.hours(r.id, 'ent-b')).toEqual([]);
  });

  it('judges hours again: verdicts replaced, a new hour saved, how far judged kept, the version moved', async () => {
    const r = await store.insert({ warningId: 1, level: 'orange', districts: ['a'], startAt: T0, plan: plan([stop]), at: T0 });
    const hour = (h: number, verdict: 'pass' | 'fail' | 'nodata', checks: JudgedHour['checks'] = []) => ({
      responseId: r.id,
      enterpriseId: 'ent-a',
      entryId: 'e1',
      hour: T0 + h * H,
      level: 'orange' as const,
      verdict,
      checks,
    });
    await store.recordHours(r.id, [hour(0, 'nodata'), hour(1, 'nodata')], T0 + 2 * H);
    const before = (await store.get(r.id)) as ReductionResponse;
    const imported: JudgedHour['checks'] = [
      { what: 'line-power', subject: 'sinter-1', observed: 300, allowed: 50, verdict: 'fail', source: 'import', importIds: ['pi-1'] },
    ];
    await store.rejudgeHours(r.id, [hour(0, 'fail', imported), hour(1, 'fail', imported)]);
    await store.rejudgeHours(r.id, []);
    const after = (await store.get(r.id)) as ReductionResponse;
    expect(after.judgedUntil).toBe(T0 + 2 * H);
    expect(after.version).toBe(before.version + 1);
    expect(after.enterprises[0]?.verification[0]).toMatchObject({ judged: 2, failed: 2, nodata: 0, streak: 2, lastChecks: imported });
    expect((await store.hours(r.id)).map((h) => [h.hour - T0, h.verdict, h.checks[0]?.source ?? null])).toEqual([
      [0, 'fail', 'import'],
      [H, 'fail', 'import'],
    ]);
  });
});
