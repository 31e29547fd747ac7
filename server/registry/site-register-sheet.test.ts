/** The issue-16 register fields of catering kitchens and construction sites: schema, workbook and YAML round trips. */
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { registrySchema, sourceSchema, type Registry } from '../domain/registry';
import { credit, workbookOf } from './registry-fixture';
import { exportRegistryXlsx, importRegistry, type RegistryDraft } from './registry-sheet';
import { exportRegistryYaml } from './registry-yaml';

const EMPTY: RegistryDraft = { enterprises: [], sources: [], facilities: [] };
const apply = { generateCredentials: true };

const SITES: Registry = registrySchema.parse({
  enterprises: [
    { id: 'sx-kitchen', name: '双塔示范酒楼', district: '双塔区', creditCode: credit('92211302MA0KTCH10') },
    { id: 'lc-site', name: '龙城示范建设项目', district: '龙城区' },
  ],
  sources: [
    {
      mn: '211300CYYY00000000000101',
      enterpriseId: 'sx-kitchen',
      name: '厨房油烟排口',
      kind: 'catering',
      lat: 41.565,
      lon: 120.465,
      intervalS: 60,
      pw: 'BVN8UUAXXPNBH3SS6SQXXEF9',
      mqttPassword: 'demo-kitchen-mqtt',
      treatment: '静电式油烟净化器',
      ownerDepartment: 'urban-management',
      purifierType: 'electrostatic',
      cookingRanges: 6,
      floorAreaM2: 420,
    },
    {
      mn: '211300YCJC00000000000101',
      enterpriseId: 'lc-site',
      name: '工地扬尘监测点',
      kind: 'dust',
      lat: 41.585,
      lon: 120.345,
      intervalS: 60,
      pw: 'GUHERHMGBUEFP4W2CS66KGJN',
      mqttPassword: 'demo-site-mqtt-0101',
      ownerDepartment: 'housing',
      siteAreaM2: 36500,
      earthworkPhase: 'earthwork',
      videoUrl: 'rtsp://video.example.cn/site/101',
    },
  ],
  facilities: [],
});

const S_HEAD = [
  '数采仪MN',
  '所属企业编号',
  '排口名称',
  '类型',
  '经度',
  '纬度',
  '主管部门',
  '工地面积(m²)',
  '施工阶段',
  '净化器类型',
  '灶头数',
];

describe('register fields of catering kitchens and construction sites', () => {
  it('the schema takes them and refuses what is not one of them', () => {
    const base = { mn: '211300YCJC00000000000102', enterpriseId: 'x', name: 'n', kind: 'dust', lat: 41, lon: 120 };
    expect(sourceSchema.safeParse({ ...base, ownerDepartment: 'housing', siteAreaM2: 5000, earthworkPhase: 'suspended' }).success).toBe(
      true,
    );
    expect(sourceSchema.safeParse({ ...base, ownerDepartment: 'police' }).success).toBe(false);
    expect(sourceSchema.safeParse({ ...base, earthworkPhase: '土方' }).success).toBe(false);
    expect(sourceSchema.safeParse({ ...base, siteAreaM2: 0 }).success).toBe(false);
    expect(sourceSchema.safeParse({ ...base, cookingRanges: 2.5 }).success).toBe(false);
    expect(sourceSchema.safeParse({ ...base, purifierType: 'electrostatic', cookingRanges: 3, floorAreaM2: 120 }).success).toBe(true);
  });

  it('the workbook round trip keeps every one of them, in Chinese words', async () => {
    const xlsx = await exportRegistryXlsx(SITES, { credentials: true });
    const r = await importRegistry(xlsx, EMPTY, apply);
    expect(r.refused).toEqual([]);
    expect(registrySchema.parse(r.next)).toEqual(SITES);
  });

  it('the YAML export loads back as the same registry', async () => {
    const back = registrySchema.parse(YAML.parse(await exportRegistryYaml(SITES, { credentials: true })));
    expect(back.sources).toEqual(SITES.sources);
  });

  it('reads the departments, phases and purifier types as people write them, and names a wrong one', async () => {
    const file = await workbookOf({
      企业: [
        ['企业编号', '企业名称', '区县'],
        ['lc-site', '龙城示范建设项目', '龙城区'],
      ],
      排口: [
        S_HEAD,
        ['211300YCJC00000000000102', 'lc-site', '北侧围挡', '扬尘', 120.34, 41.58, '住建局', 12000, '土石方', '', ''],
        ['211300YCJC00000000000103', 'lc-site', '南侧围挡', '扬尘', 120.35, 41.58, '公安局', 12000, '主体', '', ''],
        ['211300CYYY00000000000102', 'lc-site', '食堂油烟', '油烟', 120.35, 41.58, '城管', '', '', '复合', 4],
      ],
    });
    const r = await importRegistry(file, EMPTY, apply);
    expect(r.next.sources.find((s) => s.mn === '211300YCJC00000000000102')).toMatchObject({
      ownerDepartment: 'housing',
      siteAreaM2: 12000,
      earthworkPhase: 'earthwork',
    });
    expect(r.next.sources.find((s) => s.mn === '211300CYYY00000000000102')).toMatchObject({
      ownerDepartment: 'urban-management',
      purifierType: 'composite',
      cookingRanges: 4,
    });
    expect(r.refused).toEqual([
      expect.objectContaining({ sheet: '排口', reason: expect.stringContaining('主管部门「公安局」不在可选值中') }),
    ]);
  });
});
