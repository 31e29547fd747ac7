import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { registrySchema } from '../../domain/registry';
import { FileRefusal, readPowerFile } from './power-import';

const LOGGER = '211300GKJK00000000000001';
const registry = registrySchema.parse({
  enterprises: [{ id: 'chem', name: '示范化工', district: '朝阳县' }],
  sources: [{ mn: LOGGER, enterpriseId: 'chem', name: '工况用电监控', kind: 'condition', lat: 41.6, lon: 120.1, pw: 'x' }],
  facilities: [
    { id: 'line1', enterpriseId: 'chem', kind: 'production-line', name: '合成车间', mn: LOGGER, channel: '01' },
    {
      id: 'meter-rto',
      enterpriseId: 'chem',
      kind: 'power-meter',
      name: 'RTO风机电表',
      meterNo: '2113210500021',
      mn: LOGGER,
      channel: '03',
    },
    { id: 'meter-line', enterpriseId: 'chem', kind: 'power-meter', name: '车间总表', meterNo: '2113210500022', mn: LOGGER, channel: '04' },
    { id: 'meter-bare', enterpriseId: 'chem', kind: 'power-meter', name: '锅炉房电表', meterNo: '2113210500099' },
  ],
});
const NOW = Date.parse('2026-12-04T12:00:00+08:00');
const opts = { utcOffsetMinutes: 480, now: NOW, maxRows: 1000 };
const csv = (text: string) => readPowerFile(Buffer.from(text, 'utf8'), registry, opts);
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('power-data import: reading the file', () => {
  it('lands each row as the meter’s power signal, a 15-min aggregate at the interval start', async () => {
    const plan = await csv(
      [
        '电表编号,时间,电量(kWh)',
        '2113210500021,2026-12-04 10:00,12.5',
        '2113210500021,2026-12-04 10:15,12.3',
        '2113210500022,2026-12-04 10:00,100',
      ].join('\n'),
    );
    expect(plan).toMatchObject({ rows: 3, accepted: 3, intervals: 2, duplicates: 0, errors: [], unknownMeters: [] });
    expect(plan.from).toBe(at('2026-12-04T10:00:00'));
    expect(plan.to).toBe(at('2026-12-04T10:15:00'));
    expect(plan.readings).toEqual([
      {
        mn: LOGGER,
        enterpriseId: 'chem',
        kind: 'condition',
        cn: '2051',
        ts: at('2026-12-04T10:00:00'),
        factors: { gkw03: { avg: 50, cou: 12.5, flag: 'N' }, gkw04: { avg: 400, cou: 100, flag: 'N' } },
        origin: 'import',
      },
      {
        mn: LOGGER,
        enterpriseId: 'chem',
        kind: 'condition',
        cn: '2051',
        ts: at('2026-12-04T10:15:00'),
        factors: { gkw03: { avg: 49.2, cou: 12.3, flag: 'N' } },
        origin: 'import',
      },
    ]);
    expect(plan.meters).toEqual([
      expect.objectContaining({ meterNo: '2113210500021', facilityId: 'meter-rto', mn: LOGGER, code: 'gkw03', rows: 2 }),
      expect.objectContaining({ meterNo: '2113210500022', facilityId: 'meter-line', code: 'gkw04', rows: 1 }),
    ]);
  });

  it.each([
    ['English headers, slashes, seconds', 'meter no,interval start,kWh\n2113210500021,2026/12/4 10:45:00,1', '2026-12-04T10:45:00'],
    ['a compact time', '表号,数据时间,有功电量\n2113210500021,202612040930,1', '2026-12-04T09:30:00'],
    ['a date and a period column', '电表编号,日期,时段,电量\n2113210500021,2026-12-04,09:15-09:30,1', '2026-12-04T09:15:00'],
    ['only power (kW): energy = kW / 4', '电表编号,时间,功率(kW)\n2113210500021,2026-12-04 09:00,80', '2026-12-04T09:00:00'],
    ['a title row above the header', '某供电公司15分钟电量\n电表编号,时间,电量\n2113210500021,2026-12-04 08:00,1', '2026-12-04T08:00:00'],
  ])('reads %s', async (_name, text, local) => {
    const plan = await csv(text);
    expect(plan.errors).toEqual([]);
    expect(plan.readings.map((r) => r.ts)).toEqual([at(local)]);
  });

  it('takes power as kWh / ¼ h when only kW is given', async () => {
    const plan = await csv('电表编号,时间,功率(kW)\n2113210500021,2026-12-04 09:00,80');
    expect(plan.readings[0]?.factors.gkw03).toEqual({ avg: 80, cou: 20, flag: 'N' });
  });

  it('gives each bad row its code and a Chinese reason, and lands the good ones', async () => {
    const plan = await csv(
      [
        '电表编号,时间,电量(kWh)',
        '2113210500021,2026-12-04 10:00,12.5', // 2: good
        '9999999999999,2026-12-04 10:00,1', // 3: unknown meter
        '2113210500099,2026-12-04 10:00,1', // 4: meter without logger
        '2113210500021,2026-12-04 10:07,1', // 5: not a quarter hour
        '2113210500021,yesterday,1', // 6: bad time
        '2113210500021,2026-12-04 10:15,abc', // 7: bad energy
        '2113210500021,2026-12-04 10:15,-3', // 8: negative
        '2113210500021,2026-12-04 10:00,12.5', // 9: duplicate of row 2
        ',2026-12-04 10:00,1', // 10: no meter
        '2113210500021,2026-12-04 11:50,1', // 11: interval not over yet at 12:00? 11:45 is; 11:50 is not a quarter
        '2113210500021,2026-12-04 12:00,1', // 12: future
        '2113210500021,2026-02-30 10:00,1', // 13: no such day
      ].join('\n'),
    );
    expect(plan.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'unknown_meter'],
      [4, 'meter_without_logger'],
      [5, 'not_quarter_hour'],
      [6, 'bad_time'],
      [7, 'bad_energy'],
      [8, 'bad_energy'],
      [9, 'duplicate'],
      [10, 'no_meter'],
      [11, 'not_quarter_hour'],
      [12, 'future_time'],
      [13, 'bad_time'],
    ]);
    expect(plan.errors.find((e) => e.code === 'meter_without_logger')?.reason).toMatch(/锅炉房电表.*未登记数据采集仪/);
    expect(plan.errors.find((e) => e.code === 'bad_energy')?.reason).toMatch(/电量「abc」不是数字/);
    expect(plan).toMatchObject({ rows: 12, accepted: 1, duplicates: 1, unknownMeters: ['9999999999999'] });
    expect(plan.readings).toHaveLength(1);
  });

  it('refuses a meter number Excel stored as a number and cut short, saying so', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('电量');
    ws.addRow(['电表编号', '时间', '电量']);
    ws.addRow([1.2345678901234568e18, '2026-12-04 10:00', 1]);
    const plan = await readPowerFile(Buffer.from(await wb.xlsx.writeBuffer()), registry, opts);
    expect(plan.errors).toEqual([expect.objectContaining({ row: 2, code: 'no_meter', reason: expect.stringMatching(/存成了数字/) })]);
  });

  it('refuses a file without the header it needs', async () => {
    await expect(csv('名称,数值\na,1')).rejects.toBeInstanceOf(FileRefusal);
  });

  it('reads an XLSX with date-time cells (a grid company’s workbook)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('15分钟电量');
    ws.addRow(['电表编号', '时段起始时间', '正向有功电量(kWh)', '有功功率(kW)']);
    // Excel holds local wall-clock times; exceljs writes a Date's UTC fields as the cell's time.
    ws.addRow(['2113210500021', new Date(Date.UTC(2026, 11, 4, 10, 30)), 7.5, 31]);
    ws.addRow([2113210500022, new Date(Date.UTC(2026, 11, 4, 10, 45)), 8, undefined]);
    ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm';
    const plan = await readPowerFile(Buffer.from(await wb.xlsx.writeBuffer()), registry, opts);
    expect(plan.errors).toEqual([]);
    expect(plan.readings.map((r) => [r.ts, r.factors])).toEqual([
      [at('2026-12-04T10:30:00'), { gkw03: { avg: 30, cou: 7.5, flag: 'N' } }],
      [at('2026-12-04T10:45:00'), { gkw04: { avg: 32, cou: 8, flag: 'N' } }],
    ]);
  });
});
