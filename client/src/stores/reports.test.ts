import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportUrl } from '../api/reports';
import { rangeProblem, useReportsStore } from './reports';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('reports store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each([
    ['2026-07-01', '2026-07-01', null],
    ['2026-07-02', '2026-07-01', 'toBeforeFrom'],
    ['2026-07-01', '2026-08-31', null], // 62 days, to inclusive
    ['2026-07-01', '2026-09-01', 'tooLong'],
    ['', '2026-07-01', 'required'],
  ])('range %s … %s → %s', (from, to, expected) => {
    expect(rangeProblem(from, to)).toBe(expected);
  });

  it.each([
    [{ kind: 'daily', date: '2026-07-01' } as const, 'csv', 'zh-CN', '/api/reports/daily?date=2026-07-01&format=csv&lang=zh'],
    [
      { kind: 'daily', date: '2026-07-01', status: 'failing', q: '' } as const,
      'xlsx',
      'en',
      '/api/reports/daily?date=2026-07-01&status=failing&format=xlsx&lang=en',
    ],
    [
      { kind: 'hourly', mn: 'M1', date: '2026-07-01' } as const,
      'xlsx',
      'en',
      '/api/reports/hourly?mn=M1&date=2026-07-01&format=xlsx&lang=en',
    ],
    [
      { kind: 'transmission', from: '2026-07-01', to: '2026-07-07' } as const,
      'csv',
      'en',
      '/api/reports/transmission?from=2026-07-01&to=2026-07-07&format=csv&lang=en',
    ],
  ])('export link of %o as %s in %s', (q, format, locale, expected) => {
    expect(exportUrl(q, format as 'csv' | 'xlsx', locale)).toBe(expected);
  });

  it('loads the daily report of the chosen date; a refusal is kept as the error', async () => {
    const urls: string[] = [];
    const reports = useReportsStore();
    reports.query.date = '2026-07-01';
    const ok = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return json({
        date: '2026-07-01',
        total: 1,
        offset: 0,
        totals: {
          sources: 1,
          exceeding: 0,
          withExceedingHours: 0,
          exceedingHours: 0,
          failing: 0,
          noData: 0,
          alerts: 0,
          transmission: {
            expected: 1440,
            received: 1400,
            valid: 1390,
            transmissionRate: 0.972,
            validityRate: 0.993,
            effectiveRate: 0.965,
            pass: true,
          },
        },
        districts: ['张店区'],
        industries: [],
        items: [
          {
            mn: 'M1',
            name: 'CEMS',
            enterpriseId: 'e',
            enterpriseName: 'E',
            kind: 'cems',
            date: '2026-07-01',
            factors: [
              {
                factor: 'a21002',
                unit: 'mg/m³',
                value: 30,
                measured: 31,
                converted: true,
                validInputs: 22,
                inputs: 24,
                valid: true,
                flag: 'N',
                limit: { max: 50, o2Converted: true },
                exceedingHours: 0,
                exceeds: false,
              },
            ],
            transmission: {
              expected: 1440,
              received: 1400,
              valid: 1390,
              transmissionRate: 0.972,
              validityRate: 0.993,
              effectiveRate: 0.965,
              pass: true,
            },
            alerts: {},
          },
        ],
      });
    }) as typeof fetch;
    await reports.loadDaily(ok);
    expect(urls).toEqual(['/api/reports/daily?date=2026-07-01&offset=0&limit=50']);
    expect(reports.daily?.items[0]?.factors[0]?.value).toBe(30);
    // A filter and a later page go to the server.
    Object.assign(reports.dailyFilter, { district: '张店区', status: 'exceeding' });
    await reports.loadDaily(ok, 3);
    expect(urls[1]).toBe('/api/reports/daily?date=2026-07-01&district=%E5%BC%A0%E5%BA%97%E5%8C%BA&status=exceeding&offset=100&limit=50');
    expect(reports.dailyPage).toBe(3);
    await reports.loadDaily((async () =>
      json({ error: 'bad_request', message: 'date: "x" is not a date YYYY-MM-DD' }, 400)) as typeof fetch);
    expect(reports.error.daily).toContain('is not a date');
  });

  it('the transmission report is not asked for with a bad range', async () => {
    const urls: string[] = [];
    const reports = useReportsStore();
    Object.assign(reports.query, { from: '2026-07-05', to: '2026-07-01' });
    await reports.loadTransmission((async (input: RequestInfo | URL) => (urls.push(String(input)), json({ items: [] }))) as typeof fetch);
    expect(urls).toEqual([]);
  });
});
