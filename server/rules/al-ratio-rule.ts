/**
 * al-ratio: vapour recovery (GB 20952-2020, DOMAIN §6). Per nozzle factor, the daily mean of its
 * A/L values while fuelling (a nozzle not fuelling sends no value or 0: no A/L that day). At the
 * local day's close, a mean outside the range (1.0–1.2) adds a consecutive day, inside resets the
 * count and clears; `warnDays` in a row → warning, `alarmDays` → major (alarm). A day without A/L
 * neither counts nor resets. Days close on a sample of a later day or at tick() after end + grace.
 */
import type { Finding } from '../domain/alert';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { DAY_MS, dayStartOf } from '../domain/local-time';
import { breachedBound, exceeded, normal, type RuleContext, type Step, NO_FINDINGS } from './rule-context';
import type { AlDay, NozzleState } from './rule-state';

export const AL_RATIO_RULE = RULE_IDS.alRatio;

function closeNozzle(mn: string, factor: string, z: NozzleState, day: number, ctx: RuleContext): { z: NozzleState; finding?: Finding } {
  const p = ctx.params.alRatio;
  if (z.n === 0) return { z };
  const mean = z.sum / z.n;
  const bound = breachedBound(mean, p.range);
  if (bound === undefined) {
    const cleared: NozzleState = { n: 0, sum: 0, outDays: 0, level: null };
    return z.level ? { z: cleared, finding: normal(mn, factor, AL_RATIO_RULE, mean, day) } : { z: cleared };
  }
  const outDays = z.outDays + 1;
  const level = outDays >= p.alarmDays ? 'major' : outDays >= p.warnDays ? 'warning' : null;
  const next: NozzleState = { n: 0, sum: 0, outDays, level };
  if (!level) return { z: next };
  const finding = exceeded(mn, {
    factor,
    rule: AL_RATIO_RULE,
    severity: level,
    value: mean,
    limit: bound,
    ts: day,
    evidence: { consecutiveDays: outDays, day, samples: z.n, rangeMin: p.range.min ?? null, rangeMax: p.range.max ?? null },
  });
  return { z: next, finding };
}

function closeDay(al: AlDay, ctx: RuleContext): Step<AlDay> {
  if (al.start === null) return { state: al, findings: NO_FINDINGS };
  const nozzles: AlDay['nozzles'] = {};
  let findings: Finding[] | undefined;
  for (const [factor, z] of Object.entries(al.nozzles)) {
    const r = closeNozzle(ctx.source.mn, factor, z, al.start, ctx);
    nozzles[factor] = r.z;
    if (r.finding) (findings ??= []).push(r.finding);
  }
  return { state: { start: null, closedUntil: al.start + DAY_MS, nozzles }, findings: findings ?? NO_FINDINGS };
}

/** At tick: the open day closes once now ≥ its end + the window grace (limitHour.graceS). */
export function alRatioTick(al: AlDay, now: number, ctx: RuleContext): Step<AlDay> {
  if (al.start === null || now < al.start + DAY_MS + ctx.params.limitHour.graceS * 1000) return { state: al, findings: NO_FINDINGS };
  return closeDay(al, ctx);
}

/** Whether the reading carries a nozzle's A/L (a loop: asked for every sample of every source). */
function hasNozzle(reading: Reading, factors: readonly string[]): boolean {
  for (const f of factors) if (reading.factors[f] !== undefined) return true;
  return false;
}

/** One sample reading: closes an earlier open day, then adds the nozzles' A/L values while fuelling. */
export function alRatioStep(al: AlDay, reading: Reading, ctx: RuleContext): Step<AlDay> {
  // No open day and no nozzle in the reading (every source but a station's): nothing to close or add.
  if (al.start === null && !hasNozzle(reading, ctx.params.alRatio.factors)) return { state: al, findings: NO_FINDINGS };
  const day = dayStartOf(reading.ts, ctx.utcOffsetMinutes);
  if (day < al.closedUntil || (al.start !== null && day < al.start)) return { state: al, findings: NO_FINDINGS };
  const closed = al.start !== null && day > al.start ? closeDay(al, ctx) : { state: al, findings: NO_FINDINGS };
  let next = closed.state;
  for (const factor of ctx.params.alRatio.factors) {
    const fv = reading.factors[factor];
    const v = fv && isValidFlag(fv.flag) ? primaryValue(reading.cn, fv) : undefined;
    if (v === undefined || v <= 0) continue;
    const z = next.nozzles[factor] ?? { n: 0, sum: 0, outDays: 0, level: null };
    next = { ...next, start: day, nozzles: { ...next.nozzles, [factor]: { ...z, n: z.n + 1, sum: z.sum + v } } };
  }
  return { state: next, findings: closed.findings };
}
