/**
 * The reports over HTTP on a real app, run against both stores (reports-sqlite / reports-influx):
 * a day of minute and real-time data written through the store, then hourly and daily figures,
 * CSV and XLSX downloads, validation and tenant isolation.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../server/domain/reading';
import type { TelemetryStore } from '../../server/storage/telemetry-store';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const DATE = '2026-07-01';
const DAY0 = Date.parse(`${DATE}T00:00:00+08:00`);
const H = 3_600_000;
const MIN = 60_000;
const QILU = '370300CEMS00000000000101'; // qilu-power, o2Ref 6, intervalS 30
const ZICHUAN = '370300CEMS00000000000201'; // zichuan-cement, o2Ref 10
const GAOXIN = '370300CEMS00000000000601'; // gaoxin-heating, o2Ref 3.5, intervalS 30
const HUANTAI = '370300CEMS00000000000301'; // huantai-steel, o2Ref 16, intervalS 30

/** Minute data for QILU: NOx 30 at O2 11 % → 45 mg/m³ at 6 %; hour 10 NOx 40 → 60 (over 50);
 * hour 3 has 44 valid minutes (invalid); hour 5 has 45 valid and 15 M (valid, flagged M). */
function qiluDay(): Reading[] {
  const out: Reading[] = [];
  for (let m = 0; m < 1440; m++) {
    const hour = Math.floor(m / 60);
    const inHour = m % 60;
    const flag = (hour === 3 && inHour >= 44) || (hour === 5 && inHour >= 45) ? 'M' : 'N';
    out.push({
      mn: QILU,
      enterpriseId: 'qilu-power',
      kind: 'cems',
      cn: '2051',
      ts: DAY0 + m * MIN,
      factors: { a21002: { avg: hour === 10 ? 40 : 30, flag }, a19001: { avg: 11, flag: 'N' } },
    });
  }
  // Real-time: 2,880 expected at 30 s; 2,700 received (every 16th missing), 50 of them with a fault flag.
  let faults = 0;
  for (let i = 0; i < 2880; i++) {
    if (i % 16 === 0) continue;
    const flag = faults < 50 && i % 7 === 0 ? (faults++, 'D' as const) : ('N' as const);
    out.push({
      mn: QILU,
      enterpriseId: 'qilu-power',
      kind: 'cems',
      cn: '2011',
      ts: DAY0 + i * 30_000,
      factors: { a21002: { rtd: 30, flag: 'N' }, a19001: { rtd: 11, flag } },
    });
  }
  return out;
}

/** ZICHUAN sends no minute data: two hours of real-time values with zs (the logger's converted value). */
function zichuanHours(): Reading[] {
  return Array.from({ length: 240 }, (_, i) => ({
    mn: ZICHUAN,
    enterpriseId: 'zichuan-cement',
    kind: 'cems' as const,
    cn: '2011' as const,
    ts: DAY0 + 8 * H + i * 30_000,
    factors: { a21002: { rtd: 100, zs: 120, flag: 'N' as const } },
  }));
}

/** GAOXIN sends complete minute data and no real-time data: NOx 40 at O2 11 % → 70 mg/m³ at 3.5 %;
 * in hour 9 the O2 analyser is flagged D and reads 0 (the hour: converted from it, a "valid" 28.6). */
function gaoxinDay(): Reading[] {
  return Array.from({ length: 1440 }, (_, m) => ({
    mn: GAOXIN,
    enterpriseId: 'gaoxin-heating',
    kind: 'cems' as const,
    cn: '2051' as const,
    ts: DAY0 + m * MIN,
    factors: {
      a21002: { avg: 40, flag: 'N' as const },
      a19001: Math.floor(m / 60) === 9 ? { avg: 0, flag: 'D' as const } : { avg: 11, flag: 'N' as const },
    },
  }));
}

/** HUANTAI's logger sends every 10 s (registered 30 s) from 00:00 to 08:00, then nothing: 2,880 records, 960 intervals of 2,880. */
function huantaiMorning(): Reading[] {
  return Array.from({ length: 8 * 360 }, (_, i) => ({
    mn: HUANTAI,
    enterpriseId: 'huantai-steel',
    kind: 'cems' as const,
    cn: '2011' as const,
    ts: DAY0 + i * 10_000,
    factors: { a21002: { rtd: 20, flag: 'N' as const }, a19001: { rtd: 15, flag: 'N' as const } },
  }));
}

interface HourlyRow {
  hour: number;
  factor: string;
  value: number | null;
  converted: boolean;
  validInputs: number;
  inputs: number;
  valid: boolean;
  flag: string;
  exceeds: boolean;
}
interface DailyItem {
  mn: string;
  enterpriseId: string;
  factors: {
    factor: string;
    value: number;
    validInputs: number;
    valid: boolean;
    flag: string;
    exceedingHours: number;
    converted: boolean;
  }[];
  transmission: Record<string, number | boolean>;
}

export function reportsAppSuite(name: string, env: () => Record<string, string>, openStore: (t: TestApp) => Promise<TelemetryStore>): void {
  describe(`reports over HTTP: ${name}`, () => {
    let t: TestApp;
    let officer: ApiSession;
    let qilu: ApiSession;
    beforeAll(async () => {
      t = await startTestApp(env());
      const store = await openStore(t);
      await store.write([...qiluDay(), ...zichuanHours(), ...gaoxinDay(), ...huantaiMorning()]);
      await store.close();
      officer = await t.signIn('officer');
      qilu = await t.signIn('qilu-power');
    });
    afterAll(async () => t?.stop());

    it('gives hourly means with validity and flags, converted to reference O2 where the limit says so', async () => {
      const { status, body } = await officer.call<{ items: HourlyRow[] }>('GET', `/api/reports/hourly?mn=${QILU}&date=${DATE}`);
      expect(status).toBe(200);
      const nox = (h: number) => body.items.find((r) => r.factor === 'a21002' && r.hour === DAY0 + h * H) as HourlyRow;
      expect(nox(0)).toMatchObject({ converted: true, validInputs: 60, inputs: 60, valid: true, flag: 'N', exceeds: false });
      expect(nox(0).value).toBeCloseTo(45, 6);
      expect(nox(10).value).toBeCloseTo(60, 6);
      expect(nox(10).exceeds).toBe(true);
      expect(nox(3)).toMatchObject({ validInputs: 44, valid: false, flag: 'M' });
      expect(nox(5)).toMatchObject({ validInputs: 45, valid: true, flag: 'M' });
      // A second read comes from the rollup and says the same.
      expect((await officer.call('GET', `/api/reports/hourly?mn=${QILU}&date=${DATE}`)).body).toEqual(body);
    });

    it('gives the day per source: mean of valid hours, hours over the limit, transmission rates', async () => {
      const { status, body } = await officer.call<{ items: DailyItem[] }>('GET', `/api/reports/daily?date=${DATE}`);
      expect(status).toBe(200);
      expect(body.items.length).toBe(t.config.registry.sources.length);
      const q = body.items.find((i) => i.mn === QILU) as DailyItem;
      const nox = q.factors.find((f) => f.factor === 'a21002');
      expect(nox).toMatchObject({ validInputs: 23, valid: true, exceedingHours: 1, flag: 'N', converted: true });
      expect(nox?.value).toBeCloseTo((22 * 45 + 60) / 23, 6);
      // Intervals covered (minute records cover two 30-s intervals each): every one; invalid only where the
      // minute was flagged M (hours 3 and 5) and no valid real-time record fell in the interval.
      expect(q.transmission).toMatchObject({ expected: 2880, received: 2880, valid: 2877, pass: true });
      expect(q.transmission.effectiveRate as number).toBeCloseTo(2877 / 2880, 6);
      const z = body.items.find((i) => i.mn === ZICHUAN) as DailyItem;
      // Real-time fallback: 2 hours of 60 minutes, the logger's zs; a day of 2 hours is not valid.
      expect(z.factors.find((f) => f.factor === 'a21002')).toMatchObject({ value: 120, validInputs: 2, valid: false, converted: true });
      expect(z.transmission).toMatchObject({ expected: 2880, received: 240, valid: 240, pass: false });
    });

    it('counts registered intervals covered: complete minute data passes, a fast logger that stopped does not', async () => {
      const { body } = await officer.call<{ items: DailyItem[] }>('GET', `/api/reports/daily?date=${DATE}`);
      const g = body.items.find((i) => i.mn === GAOXIN) as DailyItem;
      // Minute data only (was 0 %): every interval received; hour 9's records carry a D-flagged O2.
      expect(g.transmission).toMatchObject({ expected: 2880, received: 2880, valid: 2760, pass: true });
      const h = body.items.find((i) => i.mn === HUANTAI) as DailyItem;
      // 2,880 records at 10 s in 8 hours (was 100 % "pass"): 960 of 2,880 intervals.
      expect(h.transmission).toMatchObject({ expected: 2880, received: 960, valid: 960, pass: false });
      expect(h.transmission.transmissionRate as number).toBeCloseTo(1 / 3, 6);
      type Row = DailyItem['transmission'] & { mn: string };
      const trans = await officer.call<{ items: Row[] }>('GET', `/api/reports/transmission?from=${DATE}&to=${DATE}`);
      expect(trans.body.items.find((i) => i.mn === HUANTAI)).toMatchObject({ expected: 2880, received: 960 });
      // The overview's figure: the same rows' mean of the newest day, computed by the server (one small answer).
      const next = await officer.call<{ items: { date: string; effectiveRate: number }[] }>(
        'GET',
        `/api/reports/transmission?from=${DATE}&to=2026-07-02`,
      );
      const newest = next.body.items.reduce((d, r) => (r.date > d ? r.date : d), '');
      const day = next.body.items.filter((r) => r.date === newest);
      const rate = await officer.call<{ date: string; rate: number; sources: number; firstDay: boolean }>(
        'GET',
        '/api/reports/transmission/rate?date=2026-07-02',
      );
      expect(rate.status).toBe(200);
      expect(rate.body).toMatchObject({ date: newest, sources: day.length, firstDay: false });
      expect(rate.body.rate).toBeCloseTo(day.reduce((s, r) => s + r.effectiveRate, 0) / day.length, 9);
      expect((await officer.call('GET', '/api/reports/transmission/rate?date=July')).status).toBe(400);
    });

    it('converts with valid O2 only: an hour whose O2 is flagged D has no converted value and is not valid', async () => {
      type Row = HourlyRow & { measured: number | null };
      const { body } = await officer.call<{ items: Row[] }>('GET', `/api/reports/hourly?mn=${GAOXIN}&date=${DATE}`);
      const nox = (h: number) => body.items.find((r) => r.factor === 'a21002' && r.hour === DAY0 + h * H);
      expect(nox(8)).toMatchObject({ converted: true, valid: true, validInputs: 60, measured: 40 });
      expect(nox(8)?.value).toBeCloseTo(70, 6);
      // Was a valid 28.6 (40 × 17.5 / 21 with the D-flagged 0 %).
      expect(nox(9)).toMatchObject({ converted: true, value: null, valid: false, validInputs: 0, inputs: 60, measured: 40 });
      const daily = await officer.call<{ items: DailyItem[] }>('GET', `/api/reports/daily?mn=${GAOXIN}&date=${DATE}`);
      const dayNox = daily.body.items[0]?.factors.find((f) => f.factor === 'a21002');
      expect(dayNox).toMatchObject({ validInputs: 23, valid: true, converted: true });
    });

    it('downloads CSV (UTF-8 BOM, Chinese or English headers) and XLSX (frozen header, units, numbers)', async () => {
      const csv = await officer.fetch(`/api/reports/daily?date=${DATE}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="o3s-daily-${DATE}.csv"`);
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines.slice(0, 3)).toEqual([`排放源日报 ${DATE}`, expect.stringContaining('单位'), '']);
      expect(lines[3]).toMatch(/^日期,企业,排放源,MN,监测因子代码,监测因子,单位,均值,/);
      expect(lines[3]).toContain('传输有效率 (%)');
      const qiluNox = lines.find((l) => l.includes(QILU) && l.includes('a21002')) as string;
      expect(qiluNox).toContain('99.90'); // effective rate in %
      expect(qiluNox).toContain(',45.65,'); // (22 × 45 + 60) / 23 = 45.652… at the factor's 2 decimals
      const en = await (await officer.fetch(`/api/reports/transmission?from=${DATE}&to=${DATE}&format=csv&lang=en`)).text();
      const enLines = en.replace(/^\uFEFF/, '').split('\r\n');
      expect(enLines[0]).toBe(`Transmission report ${DATE} to ${DATE}`);
      expect(enLines[3]).toBe(
        'Date,Enterprise,Source,MN,Expected intervals,Received intervals,Valid intervals,' +
          'Transmission rate (%),Validity rate (%),Effective transmission rate (%),Pass (≥ 90 %)',
      );

      const xlsx = await officer.fetch(`/api/reports/hourly?mn=${QILU}&date=${DATE}&format=xlsx`);
      expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="o3s-hourly-${QILU}-${DATE}.xlsx"`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await xlsx.arrayBuffer());
      const ws = wb.worksheets[0]!;
      // Title rows: enterprise and source, MN and date, units and the reference O2.
      expect(ws.getRow(1).getCell(1).value).toBe('齐鲁示范热电有限公司 1号机组烟囱 小时均值报表');
      expect(ws.getRow(2).getCell(1).value).toBe(`MN：${QILU}；日期：${DATE}（UTC+8）`);
      expect(String(ws.getRow(3).getCell(1).value)).toMatch(/^单位：%、mg\/m³（见各列）；折算：基准氧含量 6 %/);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
      // 时段 × 因子: O2 measured + mark; NOx measured, converted + mark.
      const header = (ws.getRow(4).values as unknown[]).slice(1);
      expect(header).toEqual(['时段', '氧含量 实测 (%)', '氧含量 标记', '氮氧化物 实测 (mg/m³)', '氮氧化物 折算 (mg/m³)', '氮氧化物 标记']);
      const values = (r: number) => (ws.getRow(r).values as unknown[]).slice(1);
      expect(ws.rowCount).toBe(4 + 24);
      expect(values(5)).toEqual(['00:00–01:00', 11, '有效 (N)', 30, 45, '有效 (N)']);
      expect(values(8)).toEqual(['03:00–04:00', 11, '有效 (N)', 30, 45, '无效 (M)']);
      expect(values(15)).toEqual(['10:00–11:00', 11, '有效 (N)', 40, 60, '超标 (N)']);
      expect(values(28)[0]).toBe('23:00–24:00');
      expect(ws.getRow(5).getCell(5).numFmt).toBe('0.00');
      // Widths from the content: "氮氧化物 折算 (mg/m³)" is 21 wide (a CJK character counts 2).
      expect(ws.getColumn(5).width).toBe(23);
    });

    it('pages the daily report worst first with the totals of every visible source; the export is every match', async () => {
      type Totals = { sources: number; exceedingHours: number; failing: number };
      type Page = { total: number; offset: number; totals: Totals; items: DailyItem[] };
      const all = t.config.registry.sources.length;
      const { status, body } = await officer.call<Page>('GET', `/api/reports/daily?date=${DATE}&limit=2`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: all, offset: 0, totals: { sources: all } });
      expect(body.items).toHaveLength(2);
      // GAOXIN's day mean (70 at 3.5 % O2) is over the limit: first; then hours over it, most first:
      // ZICHUAN's 2 (120), QILU's 1 (hour 10).
      expect(body.items.map((i) => i.mn)).toEqual([GAOXIN, ZICHUAN]);
      expect(body.totals.exceedingHours).toBeGreaterThanOrEqual(23 + 2 + 1);
      const next = await officer.call<Page>('GET', `/api/reports/daily?date=${DATE}&limit=2&offset=2`);
      expect(next.body.items).toHaveLength(2);
      expect(next.body.items[0]?.mn).toBe(QILU);
      const failing = await officer.call<Page>('GET', `/api/reports/daily?date=${DATE}&status=failing&limit=100`);
      expect(failing.body.total).toBe(body.totals.failing);
      expect(failing.body.items.map((i) => i.mn)).toEqual(expect.arrayContaining([ZICHUAN, HUANTAI]));
      expect(failing.body.items.map((i) => i.mn)).not.toContain(GAOXIN);
      expect((await officer.call('GET', `/api/reports/daily?date=${DATE}&status=bad`)).status).toBe(400);
      expect((await officer.call('GET', `/api/reports/daily?date=${DATE}&limit=0`)).status).toBe(400);
      // An enterprise pages its own sources, its totals its own.
      const own = await qilu.call<Page>('GET', `/api/reports/daily?date=${DATE}&limit=1`);
      const mine = t.config.registry.sources.filter((s) => s.enterpriseId === 'qilu-power').length;
      expect(own.body).toMatchObject({ total: mine, totals: { sources: mine } });
      expect(own.body.items.map((i) => i.enterpriseId)).toEqual(['qilu-power']);
      const theirs = await qilu.call<Page>('GET', `/api/reports/daily?date=${DATE}&enterpriseId=zichuan-cement`);
      expect(theirs.body.total).toBe(0);
      // The XLSX is every source, streamed.
      const xlsx = await officer.fetch(`/api/reports/daily?date=${DATE}&format=xlsx`);
      expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="o3s-daily-${DATE}.xlsx"`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await xlsx.arrayBuffer());
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(1).getCell(1).value).toBe(`排放源日报 ${DATE}`);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      const mns = new Set<string>();
      ws.eachRow((row, n) => {
        if (n > 3) mns.add(String(row.getCell(4).value));
      });
      // A row per source and factor: every source that measured anything (the whole answer without a limit).
      const whole = await officer.call<Page>('GET', `/api/reports/daily?date=${DATE}`);
      expect(whole.body.items).toHaveLength(all);
      expect([...mns].sort()).toEqual(
        whole.body.items
          .filter((i) => i.factors.length > 0)
          .map((i) => i.mn)
          .sort(),
      );
      expect(mns.has(QILU)).toBe(true);
    });

    it('validates every query, naming the field', async () => {
      const bad = await officer.call<{ message: string }>('GET', `/api/reports/daily?date=2026-02-30`);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^date: /);
      expect((await officer.call<{ message: string }>('GET', `/api/reports/hourly?date=${DATE}`)).body.message).toMatch(/mn/);
      expect((await officer.call('GET', `/api/reports/daily?date=${DATE}&format=pdf`)).status).toBe(400);
      expect((await officer.call<{ message: string }>('GET', `/api/reports/transmission?from=${DATE}&to=2026-06-01`)).body.message).toMatch(
        /^to: /,
      );
    });

    it('keeps enterprises apart: another enterprise’s source is a 404, the daily report lists only its own', async () => {
      expect((await qilu.call('GET', `/api/reports/hourly?mn=${ZICHUAN}&date=${DATE}`)).status).toBe(404);
      expect((await qilu.call('GET', `/api/reports/daily?mn=${ZICHUAN}&date=${DATE}`)).status).toBe(404);
      const own = await qilu.call<{ items: DailyItem[] }>('GET', `/api/reports/daily?date=${DATE}`);
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((i) => i.enterpriseId === 'qilu-power')).toBe(true);
      expect(own.body.items.map((i) => i.mn)).toContain(QILU);
      const trans = await qilu.call<{ items: { enterpriseId: string }[] }>('GET', `/api/reports/transmission?from=${DATE}&to=${DATE}`);
      expect(trans.body.items.every((i) => i.enterpriseId === 'qilu-power')).toBe(true);
      // Its transmission figure is over its own sources only.
      const rate = await qilu.call<{ sources: number }>('GET', `/api/reports/transmission/rate?date=${DATE}`);
      expect(rate.body.sources).toBe(trans.body.items.length);
      expect((await qilu.call('GET', `/api/reports/hourly?mn=${QILU}&date=${DATE}`)).status).toBe(200);
    });
  });
}
