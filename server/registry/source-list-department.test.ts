import { describe, expect, it } from 'vitest';
import { registrySchema } from '../domain/registry';
import { sourceListQuerySchema } from '../domain/source-list';
import { listSources } from './source-list-index';

const reg = registrySchema.parse({
  enterprises: [
    { id: 'site-a', name: '甲工地', district: '双塔区' },
    { id: 'site-b', name: '乙工地', district: '龙城区' },
    { id: 'kitchen', name: '丙酒家', district: '双塔区' },
  ],
  sources: [
    { mn: '211300YCJC00000000000101', enterpriseId: 'site-a', name: '甲', kind: 'dust', lat: 41, lon: 120, ownerDepartment: 'housing' },
    { mn: '211300YCJC00000000000102', enterpriseId: 'site-b', name: '乙', kind: 'dust', lat: 41, lon: 120, ownerDepartment: 'transport' },
    {
      mn: '211300CYYY00000000000101',
      enterpriseId: 'kitchen',
      name: '丙',
      kind: 'catering',
      lat: 41,
      lon: 120,
      ownerDepartment: 'urban-management',
    },
    { mn: '211300CYYY00000000000102', enterpriseId: 'kitchen', name: '丁', kind: 'catering', lat: 41, lon: 120 },
  ],
  facilities: [],
});

describe('the source list filtered by owner department', () => {
  it.each([
    ['housing', ['211300YCJC00000000000101']],
    ['urban-management', ['211300CYYY00000000000101']],
    ['water', []],
  ])('%s → %j', (ownerDepartment, mns) => {
    const page = listSources(reg, sourceListQuerySchema.parse({ ownerDepartment }), { all: true });
    expect(page.items.map((i) => i.mn)).toEqual(mns);
    expect(page.total).toBe(mns.length);
  });

  it('an enterprise user stays in its own enterprise whatever department it filters on', () => {
    const page = listSources(reg, sourceListQuerySchema.parse({ ownerDepartment: 'transport' }), { all: false, enterpriseId: 'site-a' });
    expect(page.items).toEqual([]);
  });

  it('refuses a department that is not one', () => {
    expect(sourceListQuerySchema.safeParse({ ownerDepartment: 'police' }).success).toBe(false);
    expect(sourceListQuerySchema.parse({ ownerDepartment: '' }).ownerDepartment).toBeUndefined();
  });
});
