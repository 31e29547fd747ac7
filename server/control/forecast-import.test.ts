import { describe, expect, it } from 'vitest';
import { parseForecastCsv, validateForecastRows } from './forecast-import';

const limits = { today: '2026-07-10', maxDaysAhead: 30, maxRows: 366 };

describe('forecast rows', () => {
  it.each<[string, Record<string, unknown>, { o3_8h: number | null; iaqi: number; aqi?: number; pm25?: number } | string]>([
    ['O3-8h 160 → IAQI 100', { date: '2026-07-11', o3_8h: 160 }, { o3_8h: 160, iaqi: 100 }],
    ['O3-8h 215 → IAQI 150', { date: '2026-07-11', o3_8h: 215 }, { o3_8h: 215, iaqi: 150 }],
    ['O3-8h 240 → IAQI 175', { date: '2026-07-11', o3_8h: 240 }, { o3_8h: 240, iaqi: 175 }],
    ['IAQI given', { date: '2026-07-11', iaqi: 180 }, { o3_8h: null, iaqi: 180 }],
    ['both given', { date: '2026-07-11', o3_8h: 160, iaqi: 100 }, 'o3_8h: give exactly one of o3_8h and iaqi'],
    ['neither given', { date: '2026-07-11' }, 'o3_8h: give exactly one of o3_8h and iaqi'],
    ['not a date', { date: '2026-02-30', o3_8h: 100 }, 'date: must be a date YYYY-MM-DD'],
    ['negative', { date: '2026-07-11', o3_8h: -1 }, 'o3_8h: must not be negative'],
    ['above 800', { date: '2026-07-11', o3_8h: 900 }, 'o3_8h: must be at most 800 µg/m³ (above it give iaqi)'],
    ['IAQI not whole', { date: '2026-07-11', iaqi: 150.5 }, 'iaqi: must be a whole number'],
    ['too far ahead', { date: '2026-08-10', o3_8h: 100 }, 'date: must be at most 30 days after today (2026-08-09)'],
    ['unknown field', { date: '2026-07-11', o3_8h: 100, so2: 3 }, 'row: Unrecognized key: "so2"'],
    ['day AQI and PM2.5 beside O3', { date: '2026-07-11', iaqi: 90, aqi: 230, pm25: 180 }, { o3_8h: null, iaqi: 90, aqi: 230, pm25: 180 }],
    ['AQI not whole', { date: '2026-07-11', iaqi: 90, aqi: 230.5 }, 'aqi: must be a whole number'],
    ['AQI above 500', { date: '2026-07-11', iaqi: 90, aqi: 501 }, 'aqi: must be 0–500'],
    ['PM2.5 negative', { date: '2026-07-11', iaqi: 90, pm25: -1 }, 'pm25: must not be negative'],
  ])('%s', (_what, row, expected) => {
    const r = validateForecastRows([row], limits);
    if (typeof expected === 'string') {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toContain(expected);
    } else {
      expect(r).toMatchObject({ ok: true, items: [{ date: '2026-07-11', ...expected }] });
    }
  });

  it('refuses the whole import with one message per bad row, duplicates included', () => {
    const r = validateForecastRows(
      [
        { date: '2026-07-11', o3_8h: 170 },
        { date: '2026-07-12', o3_8h: 'high' },
        { date: '2026-07-11', iaqi: 120 },
      ],
      limits,
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        { row: 2, field: 'o3_8h', message: 'Invalid input: expected number, received string' },
        { row: 3, field: 'date', message: '2026-07-11 is also in row 1' },
      ],
    });
  });
});

describe('forecast CSV', () => {
  it('reads a header, quoted notes, empty cells and a BOM', () => {
    const csv = '\uFEFFdate,o3_8h,iaqi,note\r\n2026-07-11,170,,"午后偏高, 注意"\n2026-07-12,,210,"说""重度"""\n\n';
    const { rows, positions, errors } = parseForecastCsv(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { date: '2026-07-11', o3_8h: 170, note: '午后偏高, 注意' },
      { date: '2026-07-12', iaqi: 210, note: '说"重度"' },
    ]);
    expect(positions).toEqual([
      { row: 1, line: 2 },
      { row: 2, line: 3 },
    ]);
    expect(validateForecastRows(rows, limits, positions)).toMatchObject({ ok: true, items: [{ iaqi: 110 }, { iaqi: 210 }] });
  });

  it('reads the day AQI and PM2.5 columns (heavy-pollution proposals)', () => {
    const { rows, errors } = parseForecastCsv('date,iaqi,aqi,pm25\n2026-12-05,40,230,\n2026-12-06,40,,180\n');
    expect(errors).toEqual([]);
    expect(validateForecastRows(rows, { ...limits, today: '2026-12-04' })).toMatchObject({
      ok: true,
      items: [
        { date: '2026-12-05', iaqi: 40, aqi: 230, pm25: null },
        { date: '2026-12-06', iaqi: 40, aqi: null, pm25: 180 },
      ],
    });
  });

  it.each<[string, string, string[]]>([
    ['no header', '', ['header']],
    ['AQI not a number', 'date,iaqi,aqi\n2026-07-11,40,high', ['aqi']],
    ['unknown column', 'date,o3,note\n2026-07-11,1,', ['header']],
    ['not a number', 'date,o3_8h\n2026-07-11,abc', ['o3_8h']],
    ['too many fields', 'date,o3_8h\n2026-07-11,1,2', ['row']],
    ['unterminated quote', 'date,note\n2026-07-11,"abc', ['row']],
  ])('%s', (_what, csv, fields) => {
    expect(parseForecastCsv(csv).errors.map((e) => e.field)).toEqual(fields);
  });
});
