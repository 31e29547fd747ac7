/**
 * What a registry sheet's record still lacks once its columns are read: a missing required field or
 * a half-given pair (capacity value and unit, industry code and name), as a Chinese reason.
 */
export type Draft = Record<string, unknown>;

export function enterpriseGaps(d: Draft): string | undefined {
  const industry = d['industry'] as Draft | undefined;
  if (industry && Object.keys(industry).length === 0) delete d['industry'];
  else if (industry && (!industry['code'] || !industry['name'])) return '行业代码与行业名称须同时填写';
  if (Array.isArray(d['contacts']) && d['contacts'].length === 0) delete d['contacts'];
  return missing(d, [
    ['name', '企业名称'],
    ['district', '区县'],
  ]);
}

export function sourceGaps(d: Draft): string | undefined {
  const cap = d['capacity'] as Draft | undefined;
  if (cap && cap['value'] === undefined && cap['unit'] === undefined) delete d['capacity'];
  else if (cap && (cap['value'] === undefined || cap['unit'] === undefined)) return '额定容量与容量单位须同时填写';
  const ob = d['onboarding'] as Draft | undefined;
  const due = ob?.['due'] as Draft | undefined;
  if (due && Object.keys(due).length === 0) delete ob?.['due'];
  if (ob && ob['status'] === undefined) {
    if (ob['due']) return '填写了期限但未填写建设状态';
    delete d['onboarding'];
  }
  return missing(d, [
    ['enterpriseId', '所属企业编号'],
    ['name', '排口名称'],
    ['kind', '类型'],
    ['lon', '经度'],
    ['lat', '纬度'],
  ]);
}

export function facilityGaps(d: Draft): string | undefined {
  if (Array.isArray(d['outletMns']) && d['outletMns'].length === 0) delete d['outletMns'];
  return missing(d, [
    ['enterpriseId', '所属企业编号'],
    ['kind', '设施类型'],
    ['name', '设施名称'],
  ]);
}

function missing(d: Draft, required: [string, string][]): string | undefined {
  const gaps = required.filter(([k]) => d[k] === undefined || d[k] === '').map(([, h]) => h);
  return gaps.length > 0 ? `缺少必填项：${gaps.join('、')}` : undefined;
}
