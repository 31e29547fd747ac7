/**
 * A kitchen's or a construction site's register facts (issue 16) as [label, text] pairs for its
 * page: owner department, site area and phase, purifier, cooking ranges, floor area — every label
 * and enum value from the locale, areas with their unit. Pure: the caller passes the formatters.
 */
import type { SiteFacts } from '@domain/site-register';

export interface FactWords {
  t: (key: string) => string;
  withUnit: (value: number, unit: string) => string;
}

export function siteFactRows(site: SiteFacts | undefined, w: FactWords): [string, string][] {
  if (!site) return [];
  const rows: [string, string][] = [];
  const label = (f: keyof SiteFacts): string => w.t(`admin.field.${f}`);
  if (site.ownerDepartment) rows.push([label('ownerDepartment'), w.t(`admin.department.${site.ownerDepartment}`)]);
  if (site.siteAreaM2 !== undefined) rows.push([label('siteAreaM2'), w.withUnit(site.siteAreaM2, 'm²')]);
  if (site.earthworkPhase) rows.push([label('earthworkPhase'), w.t(`admin.earthworkPhase.${site.earthworkPhase}`)]);
  if (site.purifierType) rows.push([label('purifierType'), w.t(`admin.purifierType.${site.purifierType}`)]);
  if (site.cookingRanges !== undefined) rows.push([label('cookingRanges'), w.withUnit(site.cookingRanges, '')]);
  if (site.floorAreaM2 !== undefined) rows.push([label('floorAreaM2'), w.withUnit(site.floorAreaM2, 'm²')]);
  return rows;
}
