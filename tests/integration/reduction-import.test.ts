/**
 * The bureau's reduction-list workbook over HTTP (issue 18): export → import gives the same lists
 * (a new version each); a dry run lists refused rows in Chinese (row, column, reason) and what would
 * be filed, holds back a list with a refused row whole, and files nothing; apply files the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import type { ReductionListAnswer } from '../../server/domain/reduction-list-api';
import { ALL_HEADERS } from '../../server/reductions/reduction-sheet-columns';
import { writeXlsx } from '../../server/registry/xlsx/xlsx-write';
import { XLSX_TYPE } from '../../server/http/registry-io-router';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const QILU = 'qilu-power';
const QILU_MN = '370300CEMS00000000000101';
const WTE_MN = '370300CEMS00000000000701';

const entry: ReductionEntry = {
  id: 'e1',
  facilityId: 'qilu-line1',
  name: '1#机组',
  process: '燃烧',
  outletMns: [QILU_MN, '370300NH3000000000000101'],
  meterIds: [],
  measures: {
    yellow: { action: 'limit', limitToPct: 80, window: { from: '22:00', to: '06:00' }, indicators: [], expectedKgH: { nox: 2.5, so2: 0 } },
    orange: {
      action: 'limit',
      limitToPct: 50,
      description: '1#机组限产 50%',
      indicators: [
        { kind: 'outlet-flow', mn: QILU_MN, maxM3h: 150_000 },
        { kind: 'limit', mn: QILU_MN, code: 'a21002', limit: 35 },
      ],
      expectedKgH: { nox: 5, so2: 2, pm: 0.3, vocs: 0.1 },
    },
    red: { action: 'stop', indicators: [{ kind: 'line-power', facilityId: 'qilu-line1', maxKw: 50 }], expectedKgH: { nox: 10 } },
  },
  peakShift: [{ from: '2026-11-15', to: '2027-03-15', note: '采暖季错峰停窑' }],
  responsible: { name: '王工', phone: '13900000000' },
};
const coating: ReductionEntry = {
  id: 'e2',
  name: '喷涂工序',
  outletMns: [],
  meterIds: [],
  measures: {
    yellow: { action: 'unchanged', indicators: [], expectedKgH: {} },
    orange: { action: 'stop', window: { from: '09:00', to: '17:00' }, indicators: [], expectedKgH: { vocs: 1.2 } },
    red: { action: 'stop', indicators: [], expectedKgH: { vocs: 1.2 } },
  },
  responsible: { name: '李工', phone: '0533-1234567' },
};

const upload = (s: ApiSession, bytes: Buffer, dryRun: boolean) =>
  s.fetch(`/api/reduction-lists/import?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { 'content-type': XLSX_TYPE },
    body: new Uint8Array(bytes),
  });

/** A row of the form: the base columns, then per level 措施, 保留负荷%, 时段, 说明, 指标 and four reductions. */
const row = (
  ent: string,
  id: string,
  name: string,
  levels: [string, number | undefined][],
  extra: Partial<Record<string, string>> = {},
) => {
  const base = [ent, '', 2026, id, name, '', extra['设施编号'], extra['排口MN'], extra['电表'], '张工', '13800000000'];
  return [
    ...base,
    ...levels.flatMap(([m, pct]) => [
      m,
      pct,
      extra['时段'],
      undefined,
      extra['关键指标'],
      undefined,
      m === '不采取措施' ? undefined : 1,
      undefined,
      undefined,
    ]),
  ];
};

describe('reduction-list workbook import and export', () => {
  let t: TestApp;
  let officer: ApiSession;
  beforeAll(async () => {
    t = await startTestApp({}, { now: () => Date.parse('2026-09-10T10:00:00+08:00') });
    officer = await t.signIn('officer');
    const admin = await t.signIn('admin');
    const line = { id: 'qilu-line1', enterpriseId: QILU, kind: 'production-line', name: '1#机组', outletMns: [QILU_MN] };
    expect((await admin.call('POST', '/api/facilities', line)).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('export → import gives the same lists, as a new version', async () => {
    expect((await officer.call('PUT', `/api/reduction-lists/${QILU}/2026`, { year: 2026, entries: [entry, coating] })).status).toBe(201);
    const exported = await officer.fetch('/api/reduction-lists/export?year=2026');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain(XLSX_TYPE);
    const bytes = Buffer.from(await exported.arrayBuffer());
    const dry = (await (await upload(officer, bytes, true)).json()) as Record<string, unknown>;
    expect(dry).toMatchObject({ dryRun: true, applied: false, refused: [], refusedTotal: 0, held: [] });
    expect(dry['lists']).toEqual([{ enterpriseId: QILU, name: expect.any(String), year: 2026, entries: 2, version: 2 }]);
    expect((await officer.call<ReductionListAnswer>('GET', `/api/reduction-lists/${QILU}/2026`)).body.list.version).toBe(1);
    const applied = (await (await upload(officer, bytes, false)).json()) as Record<string, unknown>;
    expect(applied).toMatchObject({ dryRun: false, applied: true });
    const after = (await officer.call<ReductionListAnswer>('GET', `/api/reduction-lists/${QILU}/2026`)).body.list;
    expect(after.version).toBe(2);
    expect(after.entries).toEqual([entry, coating]);
  });

  it('a dry run lists refused rows in Chinese and holds back their lists whole; apply files the others only', async () => {
    const file = await writeXlsx([
      {
        name: '减排清单',
        header: ALL_HEADERS,
        columns: ALL_HEADERS.map(() => ({ width: 10 })),
        rows: [
          // city-wte: a good list of one row.
          row(
            'city-wte',
            'e1',
            '1#焚烧炉',
            [
              ['限产', 80],
              ['限产', 50],
              ['停产', undefined],
            ],
            { 排口MN: WTE_MN },
          ),
          // gaoxin-heating: one good row, one with a limit without its load, and an unknown action word.
          row('gaoxin-heating', 'e1', '1#锅炉', [
            ['不采取措施', undefined],
            ['限产', 60],
            ['停产', undefined],
          ]),
          row('gaoxin-heating', 'e2', '2#锅炉', [
            ['限产', undefined],
            ['关停', undefined],
            ['停产', undefined],
          ]),
          // huantai-steel: an outlet of another enterprise, and a bad indicator.
          row(
            'huantai-steel',
            'e1',
            '烧结机',
            [
              ['限产', 80],
              ['限产', 50],
              ['停产', undefined],
            ],
            { 排口MN: QILU_MN },
          ),
          row(
            'huantai-steel',
            'e2',
            '高炉',
            [
              ['限产', 80],
              ['限产', 50],
              ['停产', undefined],
            ],
            { 关键指标: '功率≤5' },
          ),
          // nowhere: not registered.
          row('nowhere', 'e1', '某线', [
            ['限产', 80],
            ['限产', 50],
            ['停产', undefined],
          ]),
        ],
      },
    ]);
    const res = await upload(officer, file, true);
    expect(res.status).toBe(200);
    const dry = (await res.json()) as { lists: unknown[]; held: unknown[]; refused: { row: number; column: string; reason: string }[] };
    expect(dry.lists).toEqual([{ enterpriseId: 'city-wte', name: expect.any(String), year: 2026, entries: 1, version: 1 }]);
    expect(dry.held).toEqual([
      { enterpriseId: 'gaoxin-heating', year: 2026, rows: [3, 4], name: expect.any(String) },
      { enterpriseId: 'huantai-steel', year: 2026, rows: [5, 6], name: expect.any(String) },
      { enterpriseId: 'nowhere', year: 2026, rows: [7], name: null },
    ]);
    expect(dry.refused.map((r) => [r.row, r.column, r.reason])).toEqual([
      [4, '黄色措施', '黄色级别为限产时须填写保留负荷%（1–99）'],
      [4, '橙色措施', '措施「关停」不在可选值中（停产/限产/不采取措施）'],
      [5, '排口MN', `排口「${QILU_MN}」不是该企业登记的排口`],
      [6, '黄色关键指标', expect.stringMatching(/^关键指标「功率≤5」无法识别/)],
      [6, '橙色关键指标', expect.stringMatching(/^关键指标「功率≤5」无法识别/)],
      [6, '红色关键指标', expect.stringMatching(/^关键指标「功率≤5」无法识别/)],
      [7, '企业编号', '企业编号「nowhere」未在档案中登记'],
    ]);
    expect((await officer.call('GET', '/api/reduction-lists/city-wte/2026')).status).toBe(404);

    const applied = (await (await upload(officer, file, false)).json()) as {
      applied: boolean;
      lists: { enterpriseId: string; version: number }[];
    };
    expect(applied.applied).toBe(true);
    expect(applied.lists.map((l) => [l.enterpriseId, l.version])).toEqual([['city-wte', 1]]);
    expect((await officer.call('GET', '/api/reduction-lists/city-wte/2026')).status).toBe(200);
    expect((await officer.call('GET', '/api/reduction-lists/gaoxin-heating/2026')).status).toBe(404);
  });

  it('refuses a file without the form’s columns, and the enterprise may not import', async () => {
    const file = await writeXlsx([{ name: 'Sheet1', header: ['企业编号', '条目编号'], columns: [{ width: 10 }, { width: 10 }], rows: [] }]);
    const res = await upload(officer, file, true);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^减排清单表缺少列：年度、生产线或设施/);
    const ent = await t.signIn(QILU);
    expect((await upload(ent, file, true)).status).toBe(403);
  });
});
