/**
 * The registry workbook's columns, defined once: each has its Chinese header (what export writes,
 * what import reads, with a few accepted aliases), how a cell reads into the record and how the
 * record writes it back. Reading starts from a copy of the existing record (or an empty one for a
 * new key): a column the sheet does not have keeps its value, a present but empty cell clears it.
 */
import { creditCodeSchema, mnSchema, type Enterprise, type Facility, type Source } from '../domain/registry';
import {
  CAPACITY_UNIT,
  CellRefusal,
  codeOf,
  DEPARTMENT,
  EARTHWORK_PHASE,
  FACILITY_KIND,
  GRADE,
  KIND,
  numberOf,
  ONBOARDING,
  POSITION,
  PURIFIER_TYPE,
  SEAL,
  STATION_CLASS,
  textOf,
  YES_NO,
  dateOf,
  type Cell,
} from './sheet-cells';
import type { Draft } from './sheet-gaps';

export interface Column<T> {
  header: string;
  /** The record's field it fills (zod issues on that field name this column). */
  key: string;
  aliases?: readonly string[];
  /** Written as text (`@`), so Excel keeps long digit strings. */
  text?: boolean;
  /** Read a non-empty cell into the draft. */
  read(cell: Cell, draft: Draft): void;
  /** Clear what the column holds (an empty cell). */
  clear(draft: Draft): void;
  write(record: T): string | number | undefined;
}

const refuse = (reason: string): never => {
  throw new CellRefusal(reason);
};

const sub = (draft: Draft, key: string): Draft => {
  const v = draft[key];
  const copy: Draft = typeof v === 'object' && v !== null ? { ...(v as Draft) } : {};
  draft[key] = copy;
  return copy;
};

/** A plain field: text, number or a word set. */
function field<T>(
  header: string,
  key: string,
  parse: (cell: Cell) => unknown,
  write: (r: T) => string | number | undefined,
  extra: Partial<Column<T>> = {},
): Column<T> {
  return { header, key, read: (cell, d) => void (d[key] = parse(cell)), clear: (d) => void delete d[key], write, ...extra };
}

const text =
  (what: string, max = 200) =>
  (cell: Cell) => {
    const t = textOf(cell);
    return t.length > max ? refuse(`${what}超过 ${max} 个字符`) : t;
  };
const num = (what: string, check?: (n: number) => string | undefined) => (cell: Cell) => {
  const n = numberOf(cell, what);
  const bad = check?.(n);
  return bad ? refuse(`${what}${bad}`) : n;
};
const positive = (max?: number) => (n: number) => (n <= 0 ? '须大于 0' : max !== undefined && n > max ? `不能超过 ${max}` : undefined);
const wholeUpTo = (max: number) => (n: number) => (!Number.isInteger(n) || n <= 0 || n > max ? `须为 1–${max} 的整数` : undefined);
const opt = <T>(v: T | undefined): T | undefined => v;

export const ID_RE = /^[a-z0-9-]+$/;
const id = (what: string) => (cell: Cell) => {
  const t = textOf(cell);
  return ID_RE.test(t) ? t : refuse(`${what}「${t}」只能由小写字母、数字和连字符组成`);
};
const mn = (what: string) => (cell: Cell) => {
  const t = codeOf(cell, what);
  return mnSchema.safeParse(t).success ? t : refuse(`${what}「${t}」应为 14–24 位字母或数字`);
};

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** The check character of a unified social credit code's first 17 characters (GB 32100-2015). */
export function creditCheckChar(first17: string): string {
  const sum = [...first17].reduce((s, ch, i) => s + CREDIT_CHARS.indexOf(ch) * (CREDIT_WEIGHTS[i] as number), 0);
  return CREDIT_CHARS[(31 - (sum % 31)) % 31] as string;
}
const creditCode = (cell: Cell) => {
  const t = codeOf(cell, '统一社会信用代码').toUpperCase();
  if (!creditCodeSchema.safeParse(t).success) refuse(`统一社会信用代码「${t}」应为 18 位（数字及除 I、O、S、V、Z 外的大写字母）`);
  if (creditCheckChar(t.slice(0, 17)) !== t[17]) refuse(`统一社会信用代码「${t}」校验位错误`);
  return t;
};

/** `；`-separated lists in one cell. */
const split = (cell: Cell): string[] =>
  textOf(cell)
    .split(/[;；]/)
    .map((s) => s.trim());
const joinList = (xs: readonly string[] | undefined): string | undefined => (xs && xs.length > 0 ? xs.join('；') : undefined);

const yesNo = (v: boolean | undefined): string | undefined => (v === undefined ? undefined : YES_NO.write(v ? 'yes' : 'no'));

type Contact = NonNullable<Enterprise['contacts']>[number];
const CONTACT_RE = /^([^()（）]+?)\s*(?:[(（]([^()（）]+)[)）])?$/;

export const ENTERPRISE_COLUMNS: Column<Enterprise>[] = [
  field('企业编号', 'id', id('企业编号'), (e) => e.id, { aliases: ['企业ID'] }),
  field('企业名称', 'name', text('企业名称'), (e) => e.name),
  field('统一社会信用代码', 'creditCode', creditCode, (e) => e.creditCode, { text: true, aliases: ['信用代码'] }),
  {
    header: '行业代码',
    key: 'industry',
    text: true,
    read: (cell, d) => void (sub(d, 'industry')['code'] = textOf(cell).toUpperCase()),
    clear: (d) => void (d['industry'] && delete sub(d, 'industry')['code']),
    write: (e) => e.industry?.code,
  },
  {
    header: '行业名称',
    key: 'industry',
    read: (cell, d) => void (sub(d, 'industry')['name'] = text('行业名称')(cell)),
    clear: (d) => void (d['industry'] && delete sub(d, 'industry')['name']),
    write: (e) => e.industry?.name,
  },
  field('区县', 'district', text('区县', 50), (e) => e.district, { aliases: ['所属区县', '行政区'] }),
  field('园区', 'park', text('园区'), (e) => e.park, { aliases: ['园区/集群'] }),
  field(
    '重点排污单位',
    'keyUnit',
    (c) => YES_NO.read(c) === 'yes',
    (e) => yesNo(e.keyUnit),
  ),
  field(
    '绩效分级',
    'grade',
    (c) => GRADE.read(c),
    (e) => opt(e.grade && GRADE.write(e.grade)),
  ),
  field('运维单位', 'omContractor', text('运维单位'), (e) => e.omContractor),
  {
    header: '联系人',
    key: 'contacts',
    read: (cell, d) => {
      const old = (d['contacts'] as Contact[] | undefined) ?? [];
      d['contacts'] = split(cell).map((s, i): Contact => {
        const m = CONTACT_RE.exec(s);
        if (!m) return refuse(`联系人「${s}」应写作“姓名”或“姓名（职务）”，多人以“；”分隔`);
        const phone = old[i]?.phone;
        return { name: m[1] as string, ...(m[2] ? { role: m[2] } : {}), ...(phone ? { phone } : {}) };
      });
    },
    clear: (d) => void delete d['contacts'],
    write: (e) => joinList(e.contacts?.map((c) => (c.role ? `${c.name}（${c.role}）` : c.name))),
  },
  {
    header: '联系电话',
    key: 'contacts',
    text: true,
    read: (cell, d) => {
      const contacts = ((d['contacts'] as Contact[] | undefined) ?? []).map((c) => ({ ...c }));
      const phones = split(cell);
      if (phones.length > contacts.length) refuse('联系电话比联系人多（多个号码以“；”分隔，与联系人一一对应）');
      phones.forEach((p, i) => {
        if (p !== '' && !/^[0-9+\- ]{5,20}$/.test(p)) refuse(`联系电话「${p}」不是电话号码`);
        const c = contacts[i] as Contact;
        if (p === '') delete c.phone;
        else c.phone = p;
      });
      d['contacts'] = contacts;
    },
    clear: (d) => {
      if (Array.isArray(d['contacts'])) d['contacts'] = (d['contacts'] as Contact[]).map(({ phone: _p, ...c }) => c);
    },
    write: (e) => (e.contacts?.some((c) => c.phone) ? e.contacts.map((c) => c.phone ?? '').join('；') : undefined),
  },
];

const ONBOARDING_DUE = [
  ['应安装期限', 'obligated'],
  ['安装期限', 'installed'],
  ['验收期限', 'accepted'],
  ['联网期限', 'networked'],
] as const;

export const SOURCE_COLUMNS: Column<Source>[] = [
  field('数采仪MN', 'mn', mn('数采仪MN'), (s) => s.mn, { text: true, aliases: ['MN', 'MN号', '数采仪编号'] }),
  field('所属企业编号', 'enterpriseId', id('所属企业编号'), (s) => s.enterpriseId, { aliases: ['企业编号'] }),
  field('排口名称', 'name', text('排口名称'), (s) => s.name, { aliases: ['站点名称', '名称', '排口/站点名称'] }),
  field(
    '类型',
    'kind',
    (c) => KIND.read(c),
    (s) => KIND.write(s.kind),
    { aliases: ['监测类型'] },
  ),
  field(
    '经度',
    'lon',
    num('经度', (n) => (n < -180 || n > 180 ? '须在 -180 到 180 之间' : undefined)),
    (s) => s.lon,
  ),
  field(
    '纬度',
    'lat',
    num('纬度', (n) => (n < -90 || n > 90 ? '须在 -90 到 90 之间' : undefined)),
    (s) => s.lat,
  ),
  field('区县', 'district', text('区县', 50), (s) => s.district, { aliases: ['所在区县'] }),
  field(
    '排放口位置',
    'position',
    (c) => POSITION.read(c),
    (s) => POSITION.write(s.position),
    { aliases: ['位置'] },
  ),
  field('进口MN', 'inletMn', mn('进口MN'), (s) => s.inletMn, { text: true }),
  field(
    '基准氧含量(%)',
    'o2Ref',
    num('基准氧含量', (n) => (n < 0 || n > 20 ? '须在 0 到 20 之间' : undefined)),
    (s) => s.o2Ref,
  ),
  field(
    '上报间隔(秒)',
    'intervalS',
    num('上报间隔', (n) => (!Number.isInteger(n) || n <= 0 ? '须为正整数' : undefined)),
    (s) => s.intervalS,
  ),
  field('烟囱高度(m)', 'stackHeightM', num('烟囱高度', positive(500)), (s) => s.stackHeightM, { aliases: ['排气筒高度(m)'] }),
  {
    header: '额定容量',
    key: 'capacity',
    read: (cell, d) => void (sub(d, 'capacity')['value'] = num('额定容量', positive())(cell)),
    clear: (d) => void delete d['capacity'],
    write: (s) => s.capacity?.value,
  },
  {
    header: '容量单位',
    key: 'capacity',
    read: (cell, d) => void (sub(d, 'capacity')['unit'] = CAPACITY_UNIT.read(cell)),
    clear: (d) => void (d['capacity'] && delete sub(d, 'capacity')['unit']),
    write: (s) => s.capacity?.unit,
  },
  field('燃料', 'fuel', text('燃料'), (s) => s.fuel),
  field('治理工艺', 'treatment', text('治理工艺'), (s) => s.treatment),
  field(
    '旁路铅封',
    'bypass',
    (c) => ({ seal: SEAL.read(c) }),
    (s) => opt(s.bypass && SEAL.write(s.bypass.seal)),
    { aliases: ['旁路'] },
  ),
  field(
    '火炬',
    'flare',
    (c) => YES_NO.read(c) === 'yes',
    (s) => yesNo(s.flare),
  ),
  field('油枪数', 'nozzleCount', num('油枪数', wholeUpTo(200)), (s) => s.nozzleCount),
  field(
    '年销售量(t)',
    'annualFuelSalesT',
    num('年销售量', (n) => (n < 0 ? '不能为负' : undefined)),
    (s) => s.annualFuelSalesT,
  ),
  field(
    '站点级别',
    'stationClass',
    (c) => STATION_CLASS.read(c),
    (s) => opt(s.stationClass && STATION_CLASS.write(s.stationClass)),
  ),
  field('视频地址', 'videoUrl', text('视频地址', 500), (s) => s.videoUrl),
  // Catering kitchens and construction sites (issue 16).
  field(
    '主管部门',
    'ownerDepartment',
    (c) => DEPARTMENT.read(c),
    (s) => opt(s.ownerDepartment && DEPARTMENT.write(s.ownerDepartment)),
    { aliases: ['行业主管部门'] },
  ),
  field('工地面积(m²)', 'siteAreaM2', num('工地面积', positive(100_000_000)), (s) => s.siteAreaM2, {
    aliases: ['工地面积(m2)', '施工面积(m²)'],
  }),
  field(
    '施工阶段',
    'earthworkPhase',
    (c) => EARTHWORK_PHASE.read(c),
    (s) => opt(s.earthworkPhase && EARTHWORK_PHASE.write(s.earthworkPhase)),
  ),
  field(
    '净化器类型',
    'purifierType',
    (c) => PURIFIER_TYPE.read(c),
    (s) => opt(s.purifierType && PURIFIER_TYPE.write(s.purifierType)),
    { aliases: ['油烟净化器类型'] },
  ),
  field('灶头数', 'cookingRanges', num('灶头数', wholeUpTo(500)), (s) => s.cookingRanges),
  field('营业面积(m²)', 'floorAreaM2', num('营业面积', positive(1_000_000)), (s) => s.floorAreaM2, { aliases: ['营业面积(m2)'] }),
  {
    header: '建设状态',
    key: 'onboarding',
    read: (cell, d) => void (sub(d, 'onboarding')['status'] = ONBOARDING.read(cell)),
    clear: (d) => void (d['onboarding'] && delete sub(d, 'onboarding')['status']),
    write: (s) => opt(s.onboarding && ONBOARDING.write(s.onboarding.status)),
  },
  ...ONBOARDING_DUE.map(([header, state]): Column<Source> => ({
    header,
    key: 'onboarding',
    read: (cell, d) => void (sub(sub(d, 'onboarding'), 'due')[state] = dateOf(cell, header)),
    clear: (d) => {
      const o = d['onboarding'] as Draft | undefined;
      if (o?.['due']) delete sub(sub(d, 'onboarding'), 'due')[state];
    },
    write: (s) => s.onboarding?.due?.[state],
  })),
];

/** Logger credentials: read when given (migrating loggers already keyed), written only on request (admin). */
export const CREDENTIAL_COLUMNS: Column<Source>[] = [
  field('数采仪密码(PW)', 'pw', text('数采仪密码', 64), (s) => s.pw, { text: true, aliases: ['PW', '访问密码'] }),
  field('MQTT密码', 'mqttPassword', text('MQTT密码', 64), (s) => s.mqttPassword, { text: true }),
];

export const FACILITY_COLUMNS: Column<Facility>[] = [
  field('设施编号', 'id', id('设施编号'), (f) => f.id, { aliases: ['设施ID'] }),
  field('所属企业编号', 'enterpriseId', id('所属企业编号'), (f) => f.enterpriseId, { aliases: ['企业编号'] }),
  field(
    '设施类型',
    'kind',
    (c) => FACILITY_KIND.read(c),
    (f) => FACILITY_KIND.write(f.kind),
    { aliases: ['类型'] },
  ),
  field('设施名称', 'name', text('设施名称'), (f) => f.name, { aliases: ['名称'] }),
  field(
    '关联排口MN',
    'outletMns',
    (c) =>
      split(c)
        .filter(Boolean)
        .map((m) => mn('关联排口MN')(m)),
    (f) => joinList(f.outletMns),
    { text: true },
  ),
  field('服务对象编号', 'serves', id('服务对象编号'), (f) => f.serves),
  field('治理工艺', 'technology', text('治理工艺'), (f) => f.technology),
  field('电表编号', 'meterNo', text('电表编号', 64), (f) => f.meterNo, { text: true }),
  field('额定功率(kW)', 'ratedKw', num('额定功率', positive()), (f) => f.ratedKw),
  field(
    '运行判定功率(kW)',
    'runningKw',
    num('运行判定功率', (n) => (n < 0 ? '不能为负' : undefined)),
    (f) => f.runningKw,
  ),
];

/** Dated limits, one per row (a permit limit until a retrofit deadline, the ultra-low one after it). */
export const SCHEDULE_HEADERS = { mn: '数采仪MN', factor: '监测因子', limit: '限值', from: '起始日期', until: '截止日期' } as const;
