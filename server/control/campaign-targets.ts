/**
 * Who a campaign affects, resolved at activation (and stored, so later registry changes do not
 * rewrite history): the explicitly listed enterprises, plus every enterprise that has a source of
 * one of the listed kinds and/or lies in one of the listed districts (both filters, when both are
 * given). Enterprises with nothing but ambient stations (the monitoring centre) are never matched
 * by a filter. Pure; the registry's order.
 */
import type { CampaignTarget } from '../domain/campaign';
import type { Registry } from '../domain/registry';
import { sourcesOf } from '../domain/registry';

export function resolveAffected(target: CampaignTarget, registry: Registry): string[] {
  const explicit = new Set(target.enterpriseIds);
  const filtering = target.kinds.length > 0 || target.districts.length > 0;
  return registry.enterprises
    .filter((e) => {
      if (explicit.has(e.id)) return true;
      if (!filtering) return false;
      const sources = sourcesOf(registry.sources, e.id).filter((s) => s.kind !== 'ambient');
      if (sources.length === 0) return false;
      if (target.kinds.length > 0 && !sources.some((s) => target.kinds.includes(s.kind))) return false;
      return target.districts.length === 0 || target.districts.includes(e.district);
    })
    .map((e) => e.id);
}
