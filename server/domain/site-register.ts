/**
 * Register words of the issue-16 kinds: catering kitchens (餐饮油烟) and construction sites (施工扬尘).
 * These sites are overseen by other departments than the bureau (PLANS §9 "Owners"): each names its
 * owner department, whose read-only users see them (the `department` role, access.ts). No zod here:
 * the dashboard imports the names.
 */

/** Departments that oversee catering kitchens and construction sites (行业主管部门). */
export const DEPARTMENTS = ['housing', 'transport', 'water', 'urban-management', 'market-regulation', 'natural-resources'] as const;
export type Department = (typeof DEPARTMENTS)[number];
export const DEPARTMENT_NAMES: Record<Department, { zh: string; en: string }> = {
  housing: { zh: '住房和城乡建设局', en: 'Housing and urban-rural development' },
  transport: { zh: '交通运输局', en: 'Transport' },
  water: { zh: '水务局', en: 'Water affairs' },
  'urban-management': { zh: '城市管理综合执法局', en: 'Urban management' },
  'market-regulation': { zh: '市场监督管理局', en: 'Market regulation' },
  'natural-resources': { zh: '自然资源局', en: 'Natural resources' },
};

/** A construction site's phase (施工阶段); `suspended`: work stopped (停工, e.g. under a heavy-pollution warning). */
export const EARTHWORK_PHASES = ['demolition', 'earthwork', 'foundation', 'structure', 'finishing', 'suspended'] as const;
export type EarthworkPhase = (typeof EARTHWORK_PHASES)[number];
export const EARTHWORK_PHASE_NAMES: Record<EarthworkPhase, { zh: string; en: string }> = {
  demolition: { zh: '拆除', en: 'Demolition' },
  earthwork: { zh: '土方', en: 'Earthwork' },
  foundation: { zh: '基础', en: 'Foundations' },
  structure: { zh: '主体', en: 'Main structure' },
  finishing: { zh: '装饰装修', en: 'Finishing' },
  suspended: { zh: '停工', en: 'Suspended' },
};

/** A kitchen's fume purifier (油烟净化器) type. */
export const PURIFIER_TYPES = ['electrostatic', 'mechanical', 'composite', 'wet', 'uv', 'other'] as const;
export type PurifierType = (typeof PURIFIER_TYPES)[number];
export const PURIFIER_TYPE_NAMES: Record<PurifierType, { zh: string; en: string }> = {
  electrostatic: { zh: '静电式', en: 'Electrostatic' },
  mechanical: { zh: '机械式', en: 'Mechanical' },
  composite: { zh: '复合式', en: 'Composite' },
  wet: { zh: '湿式（运水烟罩）', en: 'Wet (water-wash hood)' },
  uv: { zh: '光解式', en: 'UV photolysis' },
  other: { zh: '其他', en: 'Other' },
};

/** Source kinds whose sites belong to an owner department (the department role reads only these). */
export const DEPARTMENT_KINDS = ['catering', 'dust'] as const;

/** A kitchen's or a site's register facts as the dashboard shows them (the sources list and a source's page). */
export interface SiteFacts {
  ownerDepartment?: Department;
  siteAreaM2?: number;
  earthworkPhase?: EarthworkPhase;
  purifierType?: PurifierType;
  cookingRanges?: number;
  floorAreaM2?: number;
}
const SITE_KEYS = ['ownerDepartment', 'siteAreaM2', 'earthworkPhase', 'purifierType', 'cookingRanges', 'floorAreaM2'] as const;

/** The facts a source has of these (undefined when none). */
export function siteFactsOf(source: SiteFacts): SiteFacts | undefined {
  const facts: Record<string, unknown> = {};
  for (const k of SITE_KEYS) if (source[k] !== undefined) facts[k] = source[k];
  return Object.keys(facts).length > 0 ? (facts as SiteFacts) : undefined;
}

/** The department that oversees a source: a kitchen's or a construction site's `ownerDepartment`; none for other kinds. */
export function overseerOf(source: { kind: string; ownerDepartment?: Department | undefined }): Department | undefined {
  return (DEPARTMENT_KINDS as readonly string[]).includes(source.kind) ? source.ownerDepartment : undefined;
}

/**
 * Does a department oversee this source: a kitchen or a construction site whose owner department it
 * is. The basis of the department read role (server/domain/access.ts `sourceInScope`): such a user
 * reads exactly these sources, their data and their alerts, nothing of any other kind (an
 * enterprise's CEMS) nor of another department.
 */
export function departmentOversees(department: Department, source: { kind: string; ownerDepartment?: Department | undefined }): boolean {
  return overseerOf(source) === department;
}
