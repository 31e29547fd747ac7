import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { isPowerImportResult, type PowerImportResult } from '../../api/power-import';
import { ApiError } from '../../api/rest';
import { usePowerImportStore } from './power-import-store';

const preview: PowerImportResult = {
  dryRun: true,
  applied: false,
  rows: 3,
  accepted: 2,
  meters: [{ meterNo: '2113210500021', facilityId: 'm', facilityName: 'RTO风机电表', enterpriseId: 'e', mn: 'MN', code: 'gkw03', rows: 2 }],
  unknownMeters: ['9999'],
  intervals: 2,
  from: 1_796_000_000_000,
  to: 1_796_000_900_000,
  duplicates: 0,
  errors: [{ row: 4, code: 'unknown_meter', reason: '电表编号「9999」不在档案中', meterNo: '9999' }],
  errorsTotal: 1,
  written: 0,
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
function server(answers: Response[]) {
  const calls: { url: string; type: string | null }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), type: new Headers(init?.headers).get('content-type') });
    return answers.shift() as Response;
  }) as typeof fetch;
  return { calls, fetchFn };
}
const csv = () => new File(['电表编号,时间,电量\n'], '电量.csv', { type: 'text/csv' });

describe('the power-data import dialog’s store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('previews, then lands the previewed file; confirm only when rows would land', async () => {
    const store = usePowerImportStore();
    store.choose(csv());
    expect(store.canApply).toBe(false);
    const s = server([json(preview), json({ ...preview, dryRun: false, applied: true, written: 2 })]);
    await store.runPreview(s.fetchFn);
    expect(store.preview).toEqual(preview);
    expect(store.canApply).toBe(true);
    await store.apply(s.fetchFn);
    expect(store.result).toMatchObject({ applied: true, written: 2 });
    expect(store.preview).toBeNull();
    expect(s.calls.map((c) => [c.url, c.type])).toEqual([
      ['/api/power-imports?dryRun=true', 'text/csv'],
      ['/api/power-imports?dryRun=false', 'text/csv'],
    ]);
  });

  it('offers no confirm when nothing would land', async () => {
    const store = usePowerImportStore();
    store.choose(csv());
    await store.runPreview(server([json({ ...preview, accepted: 0, meters: [] })]).fetchFn);
    expect(store.canApply).toBe(false);
  });

  it('refuses a file that is not XLSX or CSV, and keeps the server’s refusal', async () => {
    const store = usePowerImportStore();
    store.choose(new File(['x'], 'data.xls'));
    expect(store.error).toBe('badType');
    store.choose(csv());
    await store.runPreview(server([json({ error: 'bad_file', message: 'no header' }, 400)]).fetchFn);
    expect(store.error).toBeInstanceOf(ApiError);
    expect((store.error as ApiError).code).toBe('bad_file');
  });

  it('checks the answer’s shape', () => {
    expect(isPowerImportResult(preview)).toBe(true);
    expect(isPowerImportResult({ ...preview, errors: [{ row: '4' }] })).toBe(false);
    expect(isPowerImportResult({ ...preview, from: 'yesterday' })).toBe(false);
  });
});
