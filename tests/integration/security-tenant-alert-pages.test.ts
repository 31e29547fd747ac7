/**
 * Tenant isolation of the wall's paged alert list (GET /api/alerts with the source filters a
 * province's wall pages with: district, kind, department, and the name search): an enterprise gets
 * its own alerts only, whatever source filter it names (another enterprise's district or kind
 * finds nothing of it), and the name search stays a bureau filter; staff find an alert by its
 * source's and its enterprise's Chinese names and by the factor's name.
 */
import { describe, expect, it } from 'vitest';
import type { AlertPage } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { A_ENT, A_NH3, B_ENT, B_NH3, nh3, tenantSuite } from '../helpers/tenant-suite';
import { until } from '../helpers/wait';
import type { ApiSession, TestApp } from '../helpers/test-app';

describe('tenant isolation: the wall’s paged alert list', () => {
  let t: TestApp, a: ApiSession, officer: ApiSession;
  const { logger } = tenantSuite('alert-pages', (app) => ({ t, a, officer } = app));
  const page = async (who: ApiSession, query: string) => who.call<AlertPage>('GET', `/api/alerts?open=true&sort=attention&${query}`);
  const ents = (p: AlertPage) => [...new Set(p.items.map((x) => x.enterpriseId))];

  it('an enterprise pages its own alerts only, whatever district, kind or department it names', async () => {
    const own = await logger(A_NH3);
    await own.publishAsync(dataTopic(A_NH3), nh3(Date.now() - 1_000, 9.6), { qos: 1 });
    await until(async () => (await page(officer, `mn=${A_NH3}`)).body.total === 1, 'A’s alert open');
    expect(t.config.registry.enterprises.find((e) => e.id === B_ENT)?.district).toBe('淄川区');

    for (const query of [
      'kind=ammonia',
      'district=%E6%B7%84%E5%B7%9D%E5%8C%BA',
      'district=%E4%B8%B4%E6%B7%84%E5%8C%BA',
      'department=urban-management',
      '',
    ]) {
      const res = await page(a, query);
      expect(res.status, query).toBe(200);
      expect(ents(res.body), query).toEqual(res.body.total === 0 ? [] : [A_ENT]);
      expect(res.body.total, query).toBe(res.body.items.length);
    }
    // B's district (淄川区) holds none of A's sources; A's own (临淄区) holds its alert.
    expect((await page(a, 'district=%E6%B7%84%E5%B7%9D%E5%8C%BA')).body.total).toBe(0);
    expect((await page(a, 'district=%E4%B8%B4%E6%B7%84%E5%8C%BA&kind=ammonia')).body.items.map((x) => x.mn)).toEqual([A_NH3]);
    // Another enterprise named outright: nothing.
    expect((await page(a, `enterpriseId=${B_ENT}&kind=ammonia`)).body.total).toBe(0);
    // The name search stays the bureau's.
    expect((await page(a, 'q=%E7%AA%91%E5%B0%BE')).status).toBe(400);
  });

  it('staff find an alert by its source’s, its enterprise’s and its factor’s names, and narrow by district', async () => {
    const bySource = await page(officer, `q=${encodeURIComponent('窑尾SNCR')}`);
    expect(bySource.body.items.map((x) => x.mn)).toEqual([B_NH3]);
    const byEnterprise = await page(officer, `q=${encodeURIComponent('淄川建材')}`);
    expect(ents(byEnterprise.body)).toEqual([B_ENT]);
    const byFactor = await page(officer, `q=${encodeURIComponent('氨')}&kind=ammonia`);
    expect(byFactor.body.items.map((x) => x.mn).sort()).toEqual([A_NH3, B_NH3].sort());
    const inB = await page(officer, `district=${encodeURIComponent('淄川区')}&kind=ammonia`);
    expect(inB.body.items.map((x) => x.mn)).toEqual([B_NH3]);
    expect((await page(officer, 'kind=bogus')).status).toBe(400);
  });
});
