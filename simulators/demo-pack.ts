/**
 * The demo's rule parameters (`npm start` with the simulators, never a production deployment): the
 * rule pack as loaded, plus per-source overrides on the demo facilities' loggers (the pack's own
 * `sources.<MN>` mechanism, config/rules/rules.yaml), so every issue-16 rule can be seen within ten
 * minutes of start without changing a default:
 *
 *   - 朝阳示范热电's 工况 logger: reductant-stopped after 5 min (default 10) and declared-stop-running
 *     after 5 min (default 10), so those upsets fire at about 5:00;
 *   - 柳城示范化工's 工况 logger: unplanned-start-stop judged all year (default: the ozone season,
 *     May–September), so 合成车间's start at 1:30, which the demo's filed plan does not list, is
 *     unplanned whatever the month.
 *
 * A pack that already overrides one of these sources keeps its own values (they win, key by key).
 */
import type { Registry } from '../server/domain/registry';
import { effectiveRuleParams, type RuleOverrides, type RulePack } from '../server/domain/rule-pack';
import { DEMO_FACILITIES } from './scenarios';

/** The demo's shortened waits, s (the defaults are 600). */
export const DEMO_REDUCTANT_WAIT_S = 300;
export const DEMO_DECLARED_STOP_WAIT_S = 300;
/** The season the demo judges start/stop events in: the whole year. */
export const DEMO_START_STOP_SEASON = { from: '01-01', to: '12-31' } as const;

/** The demo's overrides keyed by MN (the facilities' loggers in `registry`; a facility not there is left out). */
export function demoRuleOverrides(registry: Registry): Record<string, RuleOverrides> {
  const loggerOf = (id: string) => registry.facilities?.find((f) => f.id === id)?.mn;
  const out: Record<string, RuleOverrides> = {};
  const add = (mn: string | undefined, o: RuleOverrides) => {
    if (mn !== undefined) out[mn] = { ...out[mn], ...o };
  };
  add(loggerOf(DEMO_FACILITIES.scr), { reductantStopped: { durationS: DEMO_REDUCTANT_WAIT_S } });
  add(loggerOf(DEMO_FACILITIES.stoppedUnit), { declaredStopRunning: { sustainS: DEMO_DECLARED_STOP_WAIT_S } });
  add(loggerOf(DEMO_FACILITIES.line), { unplannedStartStop: { season: DEMO_START_STOP_SEASON } });
  return out;
}

/** `pack` with the demo's overrides under `sources` (the pack's own values win); checked like any pack's. */
export function withDemoRulePack(pack: RulePack, registry: Registry): RulePack {
  const sources: Record<string, RuleOverrides> = { ...pack.sources };
  for (const [mn, demo] of Object.entries(demoRuleOverrides(registry))) {
    const own = (pack.sources[mn] ?? {}) as Record<string, object | undefined>;
    const merged: Record<string, object> = {};
    for (const [section, values] of Object.entries(demo)) merged[section] = { ...values, ...own[section] };
    sources[mn] = { ...own, ...merged } as RuleOverrides;
  }
  const out: RulePack = { ...pack, sources };
  for (const mn of Object.keys(sources)) effectiveRuleParams({ mn }, out); // throws RulePackError on a bad merge
  return out;
}
