import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { registrySchema, type Source } from '../domain/registry';
import { credit, gb18030, RICH, workbookOf } from './registry-fixture';
import { exportRegistryXlsx, FileRefusal, importRegistry, type RegistryDraft } from './registry-sheet';
import { exportRegistryYaml } from './registry-yaml';

const EMPTY: RegistryDraft = { enterprises: [], sources: [], facilities: [] };
const apply = { generateCredentials: true };
const dry = { generateCredentials: false };

const E_HEAD = ['企业编号', '企业名称', '统一社会信用代码', '区县', '绩效分级', '重点排污单位'];
const S_HEAD = ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度', '基准氧含量(%)', '限值 氮氧化物 a21002 (mg/m³)'];
const mnOf = (n: number) => `211300CEMS${String(n).padStart(14, '0')}`;

describe('registry workbook: export → import round trip', () => {
  it('gives the same registry, every field included, credentials when asked', async () => {
    const xlsx = await exportRegistryXlsx(RICH, { credentials: true });
    const r = await importRegistry(xlsx, EMPTY, apply);
    expect(r.refused).toEqual([]);
    expect(r.blocked).toBeUndefined();
    expect(r.credentials).toEqual([]); // every source brought its own
    expect(registrySchema.parse(r.next)).toEqual(RICH);
    expect(r.summary).toEqual({
      enterprises: { added: 2, changed: 0, unchanged: 0 },
      sources: { added: 4, changed: 0, unchanged: 0 },
      facilities: { added: 3, changed: 0, unchanged: 0 },
    });
  });

  it('writes no credentials by default; importing that into an empty registry generates them once', async () => {
    const xlsx = await exportRegistryXlsx(RICH);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['企业', '排口', '限值计划', '设施', '填写说明']);
    const sourceHeader = (wb.getWorksheet('排口')?.getRow(1).values as unknown[]).slice(1);
    expect(sourceHeader).not.toContain('数采仪密码(PW)');
    expect(sourceHeader).toContain('限值 氮氧化物 a21002 (mg/m³)');
    expect(JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()))).not.toContain(RICH.sources[0]?.pw);
    const r = await importRegistry(xlsx, EMPTY, apply);
    expect(r.credentials.map((c) => c.mn)).toEqual(RICH.sources.map((s) => s.mn));
    const strip = (s: Source) => ({ ...s, pw: undefined, mqttPassword: undefined });
    expect(registrySchema.parse(r.next).sources.map(strip)).toEqual(RICH.sources.map(strip));
    expect(r.next.sources[0]?.pw).toBe(r.credentials[0]?.pw);
    // A dry run generates none.
    expect((await importRegistry(xlsx, EMPTY, dry)).credentials).toEqual([]);
  });

  it('counts an unchanged import as unchanged and keeps the existing records (and their credentials)', async () => {
    const r = await importRegistry(await exportRegistryXlsx(RICH), RICH, apply);
    expect(r.summary.sources).toEqual({ added: 0, changed: 0, unchanged: 4 });
    expect(r.summary.enterprises).toEqual({ added: 0, changed: 0, unchanged: 2 });
    expect(r.next.sources[0]).toBe(RICH.sources[0]);
    expect(r.credentials).toEqual([]);
  });

  it('exports YAML in the registry.yaml form that loads back as the same registry', async () => {
    const withCreds = await exportRegistryYaml(RICH, { credentials: true });
    expect(registrySchema.parse(YAML.parse(withCreds))).toEqual(RICH);
    expect(withCreds).toMatch(/^ {2}- \{ mn: "?211300CEMS/m); // one flow map per source, as in config/registry.yaml
    const plain = await exportRegistryYaml(RICH);
    expect(plain).not.toContain(RICH.sources[0]?.pw as string);
    expect(plain).not.toContain('mqttPassword');
    const back = registrySchema.parse(YAML.parse(plain));
    expect(back.sources.map((s) => s.pw)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('registry workbook: refused rows are named, good rows apply', () => {
  /** 300 good sources of 3 enterprises, then one bad row of each kind. */
  async function mixedFile(): Promise<Buffer> {
    const enterprises = [
      E_HEAD,
      ['ent-a', '甲企业', credit('91211300MA0AAAAA1'), '双塔区', 'A', '是'],
      ['ent-b', '乙企业', '', '龙城区', '引领性', '否'],
      ['ent-c', '丙企业', '', '北票市', '', ''],
      ['ent-bad-credit', '坏信用代码企业', '91211300MA0AAAAA1X', '双塔区', '', ''],
      ['ent-bad-grade', '坏分级企业', '', '双塔区', 'D级', ''],
    ];
    const sources: (string | number)[][] = [S_HEAD];
    for (let i = 1; i <= 300; i++)
      sources.push([mnOf(i), ['ent-a', 'ent-b', 'ent-c'][i % 3] as string, `${i}号烟囱`, '烟气CEMS', 120.4, 41.5, 6, '50 折算']);
    sources.push([mnOf(5), 'ent-a', '重复', '烟气CEMS', 120.4, 41.5, 6, '']); // duplicates row 6
    sources.push([mnOf(400), 'ent-x', '未知企业', '烟气CEMS', 120.4, 41.5, 6, '']);
    sources.push([mnOf(401), 'ent-a', '坐标越界', '烟气CEMS', 200, 41.5, 6, '']);
    sources.push([mnOf(402), 'ent-a', '市外', '烟气CEMS', 116.4, 39.9, 6, '']);
    sources.push([mnOf(403), 'ent-a', '坏类型', '废水', 120.4, 41.5, 6, '']);
    sources.push([mnOf(404), 'ent-bad-grade', '企业被拒', '烟气CEMS', 120.4, 41.5, 6, '']);
    sources.push([mnOf(405), 'ent-a', '坏限值', '烟气CEMS', 120.4, 41.5, 6, '五十']);
    // 站点 repeats an MN of 排口: refused there (the first sheet's row stands).
    const withUnknownFactor = [
      ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度', '限值 不存在因子'],
      [mnOf(500), 'ent-a', '未知因子', 'VOCs', 120.4, 41.5, 3],
      [mnOf(9), 'ent-a', '又一次', 'VOCs', 120.4, 41.5, ''],
    ];
    return workbookOf({ 企业: enterprises, 排口: sources, 站点: withUnknownFactor });
  }

  it('lists every refused row with sheet, row, column and a Chinese reason', async () => {
    const bounds = { west: 118.8, south: 40.4, east: 121.0, north: 42.5 };
    const r = await importRegistry(await mixedFile(), EMPTY, { ...apply, bounds });
    const byRow = (sheet: string, row: number) => r.refused.filter((x) => x.sheet === sheet && x.row === row);
    expect(byRow('企业', 5)).toEqual([{ sheet: '企业', row: 5, column: '统一社会信用代码', reason: expect.stringMatching(/信用代码/) }]);
    expect(byRow('企业', 6)[0]).toMatchObject({ column: '绩效分级', reason: '绩效分级「D级」不在可选值中（引领性/A/B/C/非分级/未分级）' });
    // The duplicated MN: both rows (6 and 302) refused.
    expect(byRow('排口', 6)[0]?.reason).toBe(`数采仪MN「${mnOf(5)}」在文件中重复（第 6、302 行）`);
    expect(byRow('排口', 302)[0]?.reason).toBe(`数采仪MN「${mnOf(5)}」在文件中重复（第 6、302 行）`);
    expect(byRow('排口', 303)[0]).toMatchObject({ column: '所属企业编号', reason: '未知企业编号「ent-x」' });
    expect(byRow('排口', 304)[0]).toMatchObject({ column: '经度', reason: '经度须在 -180 到 180 之间' });
    expect(byRow('排口', 305)[0]?.reason).toMatch(/^坐标（经度 116.4，纬度 39.9）不在本市范围内/);
    expect(byRow('排口', 306)[0]).toMatchObject({ column: '类型', reason: expect.stringContaining('类型「废水」不在可选值中') });
    expect(byRow('排口', 307)[0]?.reason).toBe('未知企业编号「ent-bad-grade」（企业表中该企业的行被拒绝）');
    expect(byRow('排口', 308)[0]).toMatchObject({ column: '限值 氮氧化物 a21002 (mg/m³)', reason: expect.stringContaining('不是数字') });
    expect(byRow('站点', 2)[0]).toMatchObject({ column: '限值 不存在因子', reason: '未知监测因子「不存在因子」' });
    expect(byRow('站点', 3)[0]?.reason).toBe(`数采仪MN「${mnOf(9)}」已在工作表「排口」第 10 行出现，同一记录只能填写一次`);
    expect(r.refused).toHaveLength(12);
    // Good rows applied, refused ones not at all.
    expect(r.summary.enterprises).toEqual({ added: 3, changed: 0, unchanged: 0 });
    expect(r.summary.sources).toEqual({ added: 299, changed: 0, unchanged: 0 }); // 300 rows, less the duplicated MN
    const next = registrySchema.parse(r.next);
    expect(next.sources.find((s) => s.mn === mnOf(7))?.limits).toEqual({ a21002: { max: 50, o2Converted: true, severity: 'major' } });
    expect(next.sources.some((s) => s.mn === mnOf(5) || s.mn === mnOf(400))).toBe(false);
    expect(next.enterprises.find((e) => e.id === 'ent-a')).toMatchObject({ grade: 'A', keyUnit: true });
    expect(r.credentials).toHaveLength(299);
  });

  it('refuses rows that would make the registry invalid and undoes nothing else', async () => {
    const file = await workbookOf({
      排口: [
        ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度', '排放口位置', '进口MN'],
        // An outlet naming an inlet of another enterprise.
        [mnOf(1), 'ct-fuel', '出口', 'VOCs', 120.4, 41.5, '出口', '211300VOCS00000000000102'],
        // Moving the RTO inlet to another enterprise would orphan its outlet (not in the file).
        ['211300VOCS00000000000102', 'ct-fuel', 'RTO进口', 'VOCs', 120.4, 41.5, '进口', ''],
      ],
      设施: [
        ['设施编号', '所属企业编号', '设施类型', '设施名称', '关联排口MN'],
        ['ct-line', 'ct-fuel', '生产线', '加油区', '211300CEMS00000000000101'],
      ],
    });
    const r = await importRegistry(file, RICH, apply);
    // Row 3 moves the inlet to ct-fuel, which would orphan ly-power's outlet (not in the file): undone.
    // Then row 2's outlet names an inlet of another enterprise again: undone too.
    expect(r.refused).toEqual([
      { sheet: '设施', row: 2, column: '关联排口MN', reason: '关联排口MN「211300CEMS00000000000101」属于企业「ly-power」，不是本企业' },
      { sheet: '排口', row: 3, reason: '该行会使登记数据不一致：进口「211300VOCS00000000000102」属于企业「ct-fuel」' },
      { sheet: '排口', row: 2, reason: '该行会使登记数据不一致：进口「211300VOCS00000000000102」属于企业「ly-power」' },
    ]);
    expect(registrySchema.parse(r.next)).toEqual(RICH);
  });

  it('reads a column that is absent as "keep", an empty cell as "clear"', async () => {
    const file = await workbookOf({
      企业: [
        ['企业编号', '园区', '绩效分级'],
        ['ly-power', '', 'A'],
      ],
      排口: [
        ['数采仪MN', '烟囱高度(m)', '限值 氮氧化物 a21002'],
        ['211300CEMS00000000000101', 150, ''],
      ],
    });
    const r = await importRegistry(file, RICH, dry);
    expect(r.refused).toEqual([]);
    const e = r.next.enterprises[0];
    expect(e).toMatchObject({ name: '凌源示范热电有限公司', grade: 'A', creditCode: RICH.enterprises[0]?.creditCode });
    expect(e?.park).toBeUndefined();
    const s = r.next.sources[0];
    expect(s).toMatchObject({ stackHeightM: 150, pw: RICH.sources[0]?.pw, limits: { a34013: { max: 10 } } });
    expect(s?.limits['a21002']).toBeUndefined();
    expect(r.summary.sources).toEqual({ added: 0, changed: 1, unchanged: 0 });
  });

  it('names a bad industry code and a short MQTT password in Chinese, by column', async () => {
    const file = await workbookOf({
      企业: [
        ['企业编号', '行业代码', '行业名称'],
        ['ly-power', '火电', '火力发电'],
      ],
      排口: [
        ['数采仪MN', 'MQTT密码'],
        ['211300CEMS00000000000101', 'short'],
      ],
    });
    const r = await importRegistry(file, RICH, dry);
    expect(r.refused).toEqual([
      { sheet: '企业', row: 2, column: '行业代码', reason: '行业代码应为 GB/T 4754 代码（如 C3011）' },
      { sheet: '排口', row: 2, column: 'MQTT密码', reason: '长度至少 8 个字符' },
    ]);
  });

  it('refuses an MN that Excel stored as a number (digits lost) and a new row missing required fields', async () => {
    const file = await workbookOf({
      排口: [
        ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度'],
        [2.113e23, 'ly-power', '数字MN', '烟气CEMS', 120, 41],
        ['211300CEMS00000000009999', 'ly-power', '', '烟气CEMS', '', 41],
      ],
    });
    const r = await importRegistry(file, RICH, dry);
    expect(r.refused[0]).toMatchObject({ row: 2, column: '数采仪MN', reason: expect.stringContaining('被 Excel 存成了数字') });
    expect(r.refused[1]).toMatchObject({ row: 3, reason: '缺少必填项：排口名称、经度' });
  });

  it('names sheets and columns it does not know, and blocks an import that leaves an empty registry', async () => {
    const file = await workbookOf({
      杂项: [['甲', '乙']],
      企业: [
        ['企业编号', '企业名称', '区县', '备注'],
        ['new-co', '新企业', '双塔区', 'x'],
      ],
    });
    const r = await importRegistry(file, EMPTY, dry);
    expect(r.refused).toEqual([
      { sheet: '杂项', row: 1, reason: '无法识别的工作表（应为 企业、排口、限值计划、设施），未导入' },
      { sheet: '企业', row: 1, column: '备注', reason: '无法识别的列，未导入该列' },
    ]);
    expect(r.blocked).toBe('导入后登记数据中至少需要一个企业和一个排口/站点');
  });
});

describe('registry CSV', () => {
  const rows = ['企业编号,企业名称,区县,绩效分级,联系人,联系电话', 'new-co,"新企业,有限公司",双塔区,C级,王五（站长）；赵六,13900000000；'];
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n'), 'utf8')])],
    ['UTF-8 without BOM', Buffer.from(rows.join('\n'), 'utf8')],
    ['GB18030 (Chinese Excel "CSV")', gb18030(rows.join('\r\n'))],
    [
      'UTF-16 tab-separated (Excel "Unicode text")',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(rows.map((l) => l.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\t')).join('\r\n'), 'utf16le'),
      ]),
    ],
  ])('reads %s, recognising the sheet by its header', async (_name, bytes) => {
    const r = await importRegistry(bytes, RICH, dry);
    expect(r.refused).toEqual([]);
    expect(r.next.enterprises.find((e) => e.id === 'new-co')).toEqual({
      id: 'new-co',
      name: '新企业,有限公司',
      district: '双塔区',
      grade: 'C',
      contacts: [{ name: '王五', role: '站长', phone: '13900000000' }, { name: '赵六' }],
    });
    expect(r.summary.enterprises.added).toBe(1);
  });

  it('names refused CSV rows by the sheet the header says', async () => {
    const r = await importRegistry(
      Buffer.from('数采仪MN,所属企业编号,排口名称,类型,经度,纬度\nABC,ly-power,x,烟气CEMS,120,41\n'),
      RICH,
      dry,
    );
    expect(r.refused).toEqual([{ sheet: '排口', row: 2, column: '数采仪MN', reason: '数采仪MN「ABC」应为 14–24 位字母或数字' }]);
  });

  it('refuses what is not a registry file at all', async () => {
    await expect(importRegistry(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), RICH, dry)).rejects.toBeInstanceOf(FileRefusal);
    await expect(importRegistry(Buffer.from('PK\u0003\u0004garbage'), RICH, dry)).rejects.toThrow(/zip|XLSX/);
    await expect(importRegistry(Buffer.from('a,"b\nc'), RICH, dry)).rejects.toThrow(/never closed/);
    const many = `企业编号,企业名称,区县\n${Array.from({ length: 30 }, (_, i) => `e${i},n,d`).join('\n')}`;
    const limits = { maxRows: 20, maxColumns: 10, maxPartBytes: 1e6 };
    await expect(importRegistry(Buffer.from(many), RICH, { ...dry, limits })).rejects.toMatchObject({ code: 'too_many_rows' });
  });
});
