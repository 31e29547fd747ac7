/**
 * limit-hour: the valid hourly mean against the limit (DOMAIN §5: limits apply to the hourly mean,
 * converted to reference O2 where the limit says so). An hour without a valid mean for a factor
 * (fewer than `minValidMinutes` valid minutes — valid converted minutes for a limit on converted
 * values) gives no finding at all: no judgement.
 */
import type { Finding } from '../domain/alert';
import { RULE_IDS } from '../domain/rule-pack';
import type { ClosedHour } from './hour-window';
import { breachedBound, exceeded, normal, type RuleContext } from './rule-context';

export const LIMIT_HOUR_RULE = RULE_IDS.limitHour;

/** Findings are stamped with the hour's start, like the DataTime of an HJ 212 hour upload. */
export function judgeHour(hour: ClosedHour, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const [factor, limit] of Object.entries(ctx.limits)) {
    const m = hour.means[factor];
    if (!m || m.meanC === null) continue;
    const bound = breachedBound(m.meanC, limit);
    findings.push(
      bound === undefined
        ? normal(ctx.source.mn, factor, LIMIT_HOUR_RULE, m.meanC, hour.start)
        : exceeded(ctx.source.mn, {
            factor,
            rule: LIMIT_HOUR_RULE,
            severity: limit.severity,
            value: m.meanC,
            limit: bound,
            ts: hour.start,
            evidence: {
              windowStart: hour.start,
              windowEnd: hour.end,
              validMinutes: m.validMinutesC,
              fromLogger: m.basis === 'logger-hour',
              basis: m.basis,
              o2Converted: limit.o2Converted,
              ...(limit.o2Converted && m.mean !== null ? { measuredMean: m.mean } : {}),
            },
          }),
    );
  }
  return findings;
}
