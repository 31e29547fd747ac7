/**
 * The paged source list (GET /api/registry/sources, issue 14) through the real app on the tests'
 * Zibo registry: the joins (enterprise name, district, limits count, onboarding), the filters, the
 * sort, paging, clear 400s for a bad query, an enterprise user's own sources only whatever it asks
 * for, and a change made through the registry API listed at once. No credential in any answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceListPage } from '../../server/domain/source-list';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const LIST = '/api/registry/sources';
type Issues = { error: string; message: string; issues: { path: (string | number)[]; message: string }[] };

describe('registry source list', () => {
  let t: TestApp;
  let admin: ApiSession;
  let officer: ApiSession;
  let qilu: ApiSession;
  beforeAll(async () => {
    t = await startTestApp();
    [admin, officer, qilu] = await Promise.all([t.signIn('admin'), t.signIn('officer'), t.signIn('qilu-power')]);
  });
  afterAll(() => t?.stop());

  const page = async (s: ApiSession, query = '') => {
    const res = await s.call<SourceListPage>('GET', `${LIST}${query ? `?${query}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const mns = (p: SourceListPage) => p.items.map((i) => i.mn);

  it('lists every source in registry order with its enterprise, district, limits and onboarding joined', async () => {
    const all = await page(officer);
    const sources = t.app.registry.view.current().sources;
    expect(all).toMatchObject({ total: sources.length, page: 1, pageSize: 50 });
    expect(mns(all)).toEqual(sources.map((s) => s.mn));
    expect(all.items.find((i) => i.mn === '370300NH3000000000000101')).toMatchObject({
      name: '1号机组SCR出口',
      enterpriseId: 'qilu-power',
      enterpriseName: '齐鲁示范热电有限公司',
      districtName: '临淄区',
      limitsCount: 1,
      onboardingState: 'networked',
    });
    // A station in another district than its enterprise's is listed there.
    expect(all.items.find((i) => i.mn === '370300AQS000000000001003')).toMatchObject({ districtName: '周村区' });
    expect(JSON.stringify(all)).not.toMatch(/"pw"|mqttPassword|GG33E76YPJ4U8GVPP43NJQAB|demo-cems-0101-mqtt/);
  });

  it.each([
    ['kind=vapour', ['370300VRS000000000000801', '370300VRS000000000000901']],
    ['district=周村区', ['370300CEMS00000000000701', '370300NH3000000000000701', '370300VRS000000000000901', '370300AQS000000000001003']],
    ['enterpriseId=jinhua-petrochem', ['370300VOCS00000000000401', '370300VOCS00000000000402']],
    ['q=rto', ['370300VOCS00000000000401', '370300VOCS00000000000402']],
    ['q=淄川建材', ['370300CEMS00000000000201', '370300NH3000000000000201']],
    ['q=00000001002', ['370300AQS000000000001002']],
    ['kind=ambient&district=张店区', ['370300AQS000000000001001']],
    ['onboarding=obligated', []],
    [
      'kind=cems&sort=mn&order=desc',
      [
        '370300CEMS00000000000701',
        '370300CEMS00000000000601',
        '370300CEMS00000000000301',
        '370300CEMS00000000000201',
        '370300CEMS00000000000101',
      ],
    ],
  ])('%s', async (query, expected) => {
    const p = await page(officer, query);
    expect(mns(p)).toEqual(expected);
    expect(p.total).toBe(expected.length);
  });

  it('pages: the pages together are the whole list, total on each', async () => {
    const whole = mns(await page(officer, 'sort=name&pageSize=500'));
    const parts = await Promise.all([1, 2, 3, 4].map((n) => page(officer, `sort=name&pageSize=5&page=${n}`)));
    expect(parts.map((p) => p.items.length)).toEqual([5, 5, 5, 1]);
    expect(parts.flatMap(mns)).toEqual(whole);
    expect(new Set(parts.map((p) => p.total))).toEqual(new Set([whole.length]));
    expect(await page(officer, 'sort=name&pageSize=5&page=9')).toMatchObject({ items: [], total: whole.length, page: 9 });
  });

  it.each([
    ['pageSize=501', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=0', 'page'],
    ['page=x', 'page'],
    ['kind=boiler', 'kind'],
    ['onboarding=done', 'onboarding'],
    ['sort=password', 'sort'],
    ['order=sideways', 'order'],
    ['kind=cems&kind=vocs', 'kind'],
    ['limit=10', ''],
  ])('refuses %s with 400 naming %s', async (query, path) => {
    const res = await officer.call<Issues>('GET', `${LIST}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.issues.map((i) => i.path.join('.'))).toEqual([path]);
    expect(res.body.message).toContain(path || 'request');
  });

  it('an enterprise user gets its own sources only, whatever it filters on', async () => {
    const own = ['370300CEMS00000000000101', '370300NH3000000000000101'];
    expect(mns(await page(qilu))).toEqual(own);
    expect(await page(qilu, 'enterpriseId=zichuan-cement')).toMatchObject({ items: [], total: 0 });
    expect(await page(qilu, 'q=淄川')).toMatchObject({ items: [], total: 0 });
    expect(await page(qilu, 'district=张店区')).toMatchObject({ items: [], total: 0 });
    expect(mns(await page(qilu, 'enterpriseId=qilu-power&kind=ammonia'))).toEqual(['370300NH3000000000000101']);
  });

  it('a source added, changed and removed through the API is listed as it is now', async () => {
    const mn = '370300VOCS00000000009901';
    const body = { mn, enterpriseId: 'lanshan-coating', name: '烘干线排口', kind: 'vocs', lat: 36.805, lon: 118.051 };
    expect((await admin.call('POST', '/api/sources', body)).status).toBe(201);
    expect(mns(await page(officer, 'enterpriseId=lanshan-coating'))).toEqual(['370300VOCS00000000000501', mn]);
    const patch = { onboarding: { status: 'installed' }, limits: { a24088: { max: 60 } } };
    expect((await admin.call('PATCH', `/api/sources/${mn}`, patch)).status).toBe(200);
    const installed = await page(officer, 'onboarding=installed');
    expect(installed.items).toEqual([
      expect.objectContaining({ mn, onboardingState: 'installed', limitsCount: 1, districtName: '张店区' }),
    ]);
    expect((await admin.call('DELETE', `/api/sources/${mn}`)).status).toBe(204);
    expect((await page(officer, 'onboarding=installed')).total).toBe(0);
  });
});
