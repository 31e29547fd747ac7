/**
 * Cells of the registry workbook: how a cell's value reads as text, number, date, yes/no or one of
 * the registry's enums in the bureau's Chinese words, and how a value is written back. Pure.
 *
 * A refused cell throws `CellRefusal` with a Chinese reason; the row reader names its sheet, row
 * and column.
 */
import { SEVERITIES, type Severity } from '../domain/alert';
import { catalog } from '../domain/catalog';
import { FACILITY_KINDS, GRADES, ONBOARDING_STATES, STATION_CLASSES, type Limit } from '../domain/registry';
import { DEPARTMENTS, EARTHWORK_PHASES, PURIFIER_TYPES } from '../domain/site-register';
import { SOURCE_KINDS } from '../domain/source-kinds';

/** A cell as the file gave it: text, a number (Excel stored it as one), or empty. */
export type Cell = string | number | undefined;

export class CellRefusal extends Error {}

const refuse = (reason: string): never => {
  throw new CellRefusal(reason);
};

/** Trimmed text of a cell ('' when empty); a number in its shortest decimal form. */
export function textOf(cell: Cell): string {
  if (cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell.trim();
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A number cell (or text holding one); `what` names it in the reason. */
export function numberOf(cell: Cell, what: string): number {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : refuse(`${what}不是有效数字`);
  const t = textOf(cell).replace(/，/g, '');
  return NUMBER_RE.test(t) ? Number(t) : refuse(`${what}「${t}」不是数字`);
}

/**
 * An identifier-like cell (MN, credit code): Excel turns long digit strings into numbers and loses
 * digits past the fifteenth, so a number with more than 15 digits is refused rather than guessed.
 */
export function codeOf(cell: Cell, what: string): string {
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell) || String(cell).length > 15) {
      refuse(`${what}被 Excel 存成了数字并丢失了末尾数字，请将该列设为“文本”格式后重新填写`);
    }
    return String(cell);
  }
  return textOf(cell);
}

/** A date cell as `YYYY-MM-DD` (Excel dates arrive as text here; see sheet-read). */
export function dateOf(cell: Cell, what: string): string {
  const t = textOf(cell).replace(/[/.]/g, '-');
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (!m) return refuse(`${what}「${textOf(cell)}」不是日期（应为 YYYY-MM-DD）`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) refuse(`${what}「${t}」不是有效日期`);
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Normalised for comparing words: no spaces, half-width brackets, lower case. */
export const norm = (s: string): string => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':').toLowerCase();

/** A closed set of values in Chinese words: the first word is written, every word is read. */
export class Words<T extends string> {
  private readonly byWord = new Map<string, T>();
  constructor(
    private readonly what: string,
    private readonly words: Record<T, readonly [string, ...string[]]>,
  ) {
    for (const [value, ws] of Object.entries(words) as [T, readonly string[]][]) {
      for (const w of [...ws, value]) this.byWord.set(norm(w), value);
    }
  }

  read(cell: Cell): T {
    const t = textOf(cell);
    return this.byWord.get(norm(t)) ?? refuse(`${this.what}「${t}」不在可选值中（${this.choices()}）`);
  }

  write(value: T): string {
    return this.words[value][0];
  }

  choices(): string {
    return Object.values<readonly string[]>(this.words)
      .map((ws) => ws[0])
      .join('/');
  }
}

const record = <T extends string>(keys: readonly T[], words: Record<T, readonly [string, ...string[]]>) => {
  if (keys.some((k) => !(k in words))) throw new Error('every value needs words');
  return words;
};

export const YES_NO = new Words('是/否', { yes: ['是', 'y', 'yes', 'true', '1'], no: ['否', 'n', 'no', 'false', '0'] });
export const KIND = new Words(
  '类型',
  record(SOURCE_KINDS, {
    cems: ['烟气CEMS', '烟气 CEMS', 'CEMS', '烟气'],
    vocs: ['VOCs', 'VOCs在线监测', 'VOC'],
    ammonia: ['氨逃逸'],
    vapour: ['油气回收'],
    ambient: ['空气站', '空气质量站', '环境空气站'],
    condition: ['工况监控', '工况', '用电监控'],
    catering: ['餐饮油烟', '油烟'],
    dust: ['施工扬尘', '扬尘'],
  }),
);
export const GRADE = new Words(
  '绩效分级',
  record(GRADES, {
    leading: ['引领性'],
    A: ['A', 'A级'],
    B: ['B', 'B级'],
    C: ['C', 'C级'],
    'non-graded': ['非分级'],
    ungraded: ['未分级'],
  }),
);
export const POSITION = new Words('排放口位置', { outlet: ['出口', '排口'], inlet: ['进口'] });
export const STATION_CLASS = new Words(
  '站点级别',
  record(STATION_CLASSES, {
    national: ['国控', '国控站'],
    provincial: ['省控', '省控站'],
    township: ['乡镇', '乡镇站'],
    micro: ['微站', '微型站'],
    roadside: ['路边站', '交通站'],
    park: ['园区站', '园区'],
  }),
);
export const ONBOARDING = new Words(
  '建设状态',
  record(ONBOARDING_STATES, { obligated: ['应安装'], installed: ['已安装'], accepted: ['已验收'], networked: ['已联网'] }),
);
export const DEPARTMENT = new Words(
  '主管部门',
  record(DEPARTMENTS, {
    housing: ['住建', '住建局', '住房和城乡建设局', '住房城乡建设'],
    transport: ['交通', '交通局', '交通运输局'],
    water: ['水务', '水务局', '水利局'],
    'urban-management': ['城管', '城管局', '城市管理综合执法局', '城市管理局'],
    'market-regulation': ['市场监管', '市场监管局', '市场监督管理局'],
    'natural-resources': ['自然资源', '自然资源局'],
  }),
);
export const EARTHWORK_PHASE = new Words(
  '施工阶段',
  record(EARTHWORK_PHASES, {
    demolition: ['拆除'],
    earthwork: ['土方', '土石方'],
    foundation: ['基础', '地基基础'],
    structure: ['主体', '主体结构'],
    finishing: ['装饰装修', '装修'],
    suspended: ['停工'],
  }),
);
export const PURIFIER_TYPE = new Words(
  '净化器类型',
  record(PURIFIER_TYPES, {
    electrostatic: ['静电式', '静电'],
    mechanical: ['机械式', '机械'],
    composite: ['复合式', '复合'],
    wet: ['湿式', '湿式（运水烟罩）', '运水烟罩'],
    uv: ['光解式', 'UV光解'],
    other: ['其他'],
  }),
);
export const SEAL = new Words('旁路铅封', { sealed: ['已铅封'], broken: ['铅封破损'], unsealed: ['未铅封'] });
export const CAPACITY_UNIT = new Words('容量单位', { 't/h': ['t/h', '蒸吨/小时', '吨/小时'], MW: ['MW', '兆瓦'] });
export const FACILITY_KIND = new Words(
  '设施类型',
  record(FACILITY_KINDS, { 'production-line': ['生产线', '生产设施'], treatment: ['治理设施'], 'power-meter': ['电表', '用电监控表'] }),
);
const SEVERITY = new Words<Severity>(
  '报警级别',
  record(SEVERITIES, { info: ['提示'], warning: ['预警'], major: ['重要'], critical: ['严重'] }),
);

/** Factor codes and names as the workbook writes them: `氮氧化物 a21002 (mg/m³)`. */
export function factorLabel(code: string): string {
  const f = catalog.get(code);
  return f ? `${f.zh} ${code}${f.unit ? ` (${f.unit})` : ''}` : code;
}

/** The factor a label names: a catalog code anywhere in it, else its Chinese name; undefined if none. */
export function factorOfLabel(label: string): string | undefined {
  for (const token of label.match(/[A-Za-z][A-Za-z0-9]{3,6}/g) ?? []) {
    if (catalog.has(token.toLowerCase())) return token.toLowerCase();
  }
  const name = norm(label.replace(/\(.*\)$/, '').replace(/（.*）$/, ''));
  return catalog.all().find((f) => norm(f.zh) === name)?.code;
}

/**
 * A limit cell: `50` (upper limit), `≥850` (lower), `1.0~1.2` (range), then optional words:
 * `折算` (judge the value converted to reference O2) and a severity (提示/预警/重要/严重; default 重要).
 */
export function limitOf(cell: Cell, what: string): Limit {
  const parts = textOf(cell)
    .split(/[\s,，;；]+/)
    .filter(Boolean);
  const [range = '', ...words] = parts;
  const limit: Limit = { o2Converted: false, severity: 'major' };
  const num = (s: string) => numberOf(s, what);
  const between = /^(.+?)(?:~|～|至)(.+)$/.exec(range);
  if (between) {
    limit.min = num(between[1] as string);
    limit.max = num(between[2] as string);
  } else if (/^(≥|>=|＞=|不低于)/.test(range)) limit.min = num(range.replace(/^(≥|>=|＞=|不低于)/, ''));
  else limit.max = num(range.replace(/^(≤|<=|＜=|不高于)/, ''));
  for (const w of words) {
    if (w === '折算') limit.o2Converted = true;
    else if (w === '实测') limit.o2Converted = false;
    else limit.severity = SEVERITY.read(w);
  }
  if (limit.min !== undefined && limit.max !== undefined && limit.min >= limit.max) refuse(`${what}的下限须小于上限`);
  return limit;
}

/** A limit as its cell reads: the inverse of limitOf. */
export function writeLimit(l: Limit): string {
  const range = l.min !== undefined && l.max !== undefined ? `${l.min}~${l.max}` : l.min !== undefined ? `≥${l.min}` : String(l.max);
  return [range, ...(l.o2Converted ? ['折算'] : []), ...(l.severity !== 'major' ? [SEVERITY.write(l.severity)] : [])].join(' ');
}
