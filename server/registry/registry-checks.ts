/**
 * Checks across records of a merged registry, in the words an operator reads (the same rules as
 * registrySchema's, which stays the final judge), and the Chinese reading of that schema's messages.
 */
import type { Facility, Source } from '../domain/registry';

/** Why an outlet's inlet is wrong (Chinese), or undefined. */
export function checkInlet(s: Source, sources: ReadonlyMap<string, Source>): string | undefined {
  if (s.inletMn === undefined) return undefined;
  if (s.position !== 'outlet') return '只有出口可以填写进口MN（本行是进口）';
  const inlet = sources.get(s.inletMn);
  if (!inlet) return `进口MN「${s.inletMn}」未登记`;
  if (inlet.position !== 'inlet') return `进口MN「${s.inletMn}」所指的排口不是进口`;
  if (inlet.enterpriseId !== s.enterpriseId) return `进口MN「${s.inletMn}」属于企业「${inlet.enterpriseId}」，不是本企业`;
  return undefined;
}

/** What is wrong with a facility's links (Chinese, with the column), or undefined. */
export function checkFacility(
  f: Facility,
  sources: ReadonlyMap<string, Source>,
  facilities: ReadonlyMap<string, Facility>,
): { reason: string; column: string } | undefined {
  for (const mn of f.outletMns ?? []) {
    const s = sources.get(mn);
    if (!s) return { reason: `关联排口MN「${mn}」未登记`, column: '关联排口MN' };
    if (s.enterpriseId !== f.enterpriseId)
      return { reason: `关联排口MN「${mn}」属于企业「${s.enterpriseId}」，不是本企业`, column: '关联排口MN' };
  }
  if (f.serves !== undefined) {
    const served = facilities.get(f.serves);
    if (!served) return { reason: `服务对象编号「${f.serves}」未登记`, column: '服务对象编号' };
    if (served.id === f.id || served.enterpriseId !== f.enterpriseId)
      return { reason: `服务对象「${f.serves}」不是本企业的另一设施`, column: '服务对象编号' };
  }
  return undefined;
}

const MESSAGES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^unknown enterprise "(.*)"$/, (m) => `未知企业编号「${m[1]}」`],
  [/^duplicate MN "(.*)"$/, (m) => `数采仪MN「${m[1]}」重复`],
  [/^duplicate enterprise "(.*)"$/, (m) => `企业编号「${m[1]}」重复`],
  [/^duplicate facility "(.*)"$/, (m) => `设施编号「${m[1]}」重复`],
  [/^unknown inlet MN "(.*)"$/, (m) => `进口MN「${m[1]}」未登记`],
  [/^only an outlet names an inlet/, () => '只有出口可以填写进口MN'],
  [/^source "(.*)" is not an inlet/, (m) => `排口「${m[1]}」不是进口`],
  [/^inlet "(.*)" belongs to enterprise "(.*)", not/, (m) => `进口「${m[1]}」属于企业「${m[2]}」`],
  [/^unknown MN "(.*)"$/, (m) => `关联排口MN「${m[1]}」未登记`],
  [/^source "(.*)" belongs to enterprise "(.*)"$/, (m) => `排口「${m[1]}」属于企业「${m[2]}」`],
  [/^unknown facility "(.*)"$/, (m) => `设施「${m[1]}」未登记`],
  [/^facility "(.*)" is not another facility/, (m) => `「${m[1]}」不是本企业的另一设施`],
  [/^unknown factor "(.*)"$/, (m) => `未知监测因子「${m[1]}」`],
  [/^an industry code/, () => '行业代码应为 GB/T 4754 代码（如 C3011）'],
  [/^a date is YYYY-MM-DD/, () => '日期应为 YYYY-MM-DD'],
  [/^a video URL/, () => '视频地址须以 http://、https:// 或 rtsp:// 开头'],
  [/^pw must/, () => '数采仪密码只能含可打印 ASCII 字符，且不能含空格 ; , & ='],
  [/^Too small: expected string to have >=(\d+)/, (m) => `长度至少 ${m[1]} 个字符`],
  [/^Too big: expected string to have <=(\d+)/, (m) => `长度不能超过 ${m[1]} 个字符`],
  [/^Too small: expected array to have >=1/, () => '至少需要一条'],
];

/** A zod message of the registry schema in Chinese (an unknown one is kept, marked as such). */
export function translateIssue(message: string): string {
  for (const [re, say] of MESSAGES) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return `数据不合法（${message}）`;
}

/** Structural equality of plain data (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
