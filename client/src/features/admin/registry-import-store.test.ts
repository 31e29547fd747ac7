import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/rest';
import { importTypeOf, isImportResult, type ImportResult, XLSX_TYPE } from '../../api/registry-io';
import { changesOf, credentialsCsv, useRegistryImportStore } from './registry-import-store';

const tally = (added = 0, changed = 0, unchanged = 0) => ({ added, changed, unchanged });
const preview: ImportResult = {
  dryRun: true,
  applied: false,
  refusedTotal: 1,
  summary: { enterprises: tally(), sources: tally(1, 1), facilities: tally() },
  refused: [{ sheet: '排口', row: 3, column: '所属企业编号', reason: '未知企业编号「nobody」' }],
};
const applied: ImportResult = {
  ...preview,
  dryRun: false,
  applied: true,
  credentials: [
    {
      mn: '211300CEMS00000000000901',
      enterpriseId: 'ly-power',
      name: '新烟囱, "东"',
      pw: 'ABCDEFGHJKMNPQRSTUVWXYZ2',
      mqttPassword: 'm'.repeat(24),
    },
  ],
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function server(answers: Response[]) {
  const calls: { url: string; type: string | null; body: unknown }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), type: new Headers(init?.headers).get('content-type'), body: init?.body });
    return answers.shift() as Response;
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('registry import panel state', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each([
    ['企业名录.xlsx', XLSX_TYPE],
    ['sources.CSV', 'text/csv'],
    ['old.xls', null],
    ['registry.yaml', null],
  ])('sends %s as %s', (name, type) => {
    expect(importTypeOf(name)).toBe(type);
  });

  it('previews the chosen file, then applies that file and keeps the credentials until reset', async () => {
    const store = useRegistryImportStore();
    const file = new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'r.xlsx');
    store.choose(file);
    expect(store.canApply).toBe(false);
    const { calls, fetchFn } = server([json(preview), json(applied)]);
    await store.runPreview(fetchFn);
    expect(calls[0]).toMatchObject({ url: '/api/registry/import?dryRun=true', type: XLSX_TYPE, body: file });
    expect(store.preview).toEqual(preview);
    expect(store.canApply).toBe(true);
    await store.apply(fetchFn);
    expect(calls[1]?.url).toBe('/api/registry/import?dryRun=false');
    expect(store.result?.credentials).toHaveLength(1);
    expect(store.preview).toBeNull();
    expect(store.canApply).toBe(false); // applying twice needs a new preview
    store.reset();
    expect(store.result).toBeNull();
  });

  it('offers no apply for a blocked preview or one that changes nothing', async () => {
    const store = useRegistryImportStore();
    store.choose(new File(['x'], 'r.csv'));
    const nothing = { ...preview, summary: { enterprises: tally(0, 0, 2), sources: tally(0, 0, 5), facilities: tally() } };
    const { fetchFn } = server([json({ ...preview, blocked: '导入后登记数据中至少需要一个企业和一个排口/站点' }), json(nothing)]);
    await store.runPreview(fetchFn);
    expect(store.canApply).toBe(false);
    await store.runPreview(fetchFn);
    expect(changesOf(nothing)).toBe(0);
    expect(store.canApply).toBe(false);
  });

  it('refuses a file of another type before sending, and keeps a server refusal as the error', async () => {
    const store = useRegistryImportStore();
    store.choose(new File(['x'], 'r.xls'));
    expect(store.error).toBe('badType');
    const { calls, fetchFn } = server([json({ error: 'payload_too_large', message: 'the file is larger than 20 MB' }, 413)]);
    await store.runPreview(fetchFn);
    expect(calls).toEqual([]);
    store.choose(new File(['x'], 'r.csv'));
    await store.runPreview(fetchFn);
    expect(store.error).toBeInstanceOf(ApiError);
    expect((store.error as ApiError).code).toBe('payload_too_large');
    expect(store.preview).toBeNull();
  });

  it('checks the answer and writes the credentials as CSV with a BOM', () => {
    expect(isImportResult(applied)).toBe(true);
    expect(isImportResult({ ...preview, refused: [{ sheet: '排口' }] })).toBe(false);
    expect(isImportResult({ ...applied, credentials: [{ mn: 'x' }] })).toBe(false);
    const csv = credentialsCsv(applied.credentials ?? [], ['数采仪MN', '企业编号', '名称', '数采仪密码(PW)', 'MQTT密码']);
    expect(csv).toBe(
      '\uFEFF数采仪MN,企业编号,名称,数采仪密码(PW),MQTT密码\r\n' +
        `211300CEMS00000000000901,ly-power,"新烟囱, ""东""",ABCDEFGHJKMNPQRSTUVWXYZ2,${'m'.repeat(24)}\r\n`,
    );
  });
});
