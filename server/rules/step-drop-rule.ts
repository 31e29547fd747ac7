/**
 * step-drop (suspected falsification, issue 19 / plans A9): right after an alert opens on a source,
 * the mean of a limited factor over the next `windowS` (default 1 h) is more than `dropPct` (default
 * 50 %) below its mean over the `windowS` before the alert: values that fall in a step as soon as
 * the bureau has noticed (an analyser re-zeroed, a probe diluted, a number typed). A legitimate
 * correction looks the same, so it is only a sign (default warning) for an officer to compare with
 * what the enterprise says it did; the evidence gives the alert it followed and both means.
 * An "alert opens" is a finding of any other rule raising a condition (factor + rule) not raised
 * before, as the engine sees its own findings; the start of an on-site inspection is not known to
 * the engine yet (left for the inspection records of issue 19). One alert at a time: a second alert
 * within the window of the first does not restart it.
 * Means are of the value the factor's limit compares (converted where the limit says so), valid
 * (flag N) samples only, each side needing `minSamples`; the hour before is kept as 12 buckets of
 * windowS / 12 (counts and sums per limited factor, updated in place: bounded, O(1) amortised per
 * sample, no allocation once a factor has its ring). The
 * finding is an event: it clears with the factor's next sample, and the alert stays open until
 * acknowledged.
 */
import type { Finding } from '../domain/alert';
import { isValidFlag, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { comparedValue } from './limit-rule';
import { exceeded, hasKeys, normal, type RuleContext, type Step, NO_FINDINGS } from './rule-context';
import type { StepDropState } from './rule-state';

export const STEP_DROP_RULE = RULE_IDS.stepDrop;
export const BUCKETS = 12;

export const emptyStepDrop = (): StepDropState => ({ raised: {}, buckets: {}, anchor: null });

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Adds a value to the factor's ring of buckets (the last `BUCKETS` of `bucketMs`). */
type Ring = StepDropState['buckets'][string];
/** Adds a value to a ring of buckets (the last `BUCKETS` of `bucketMs`), in place. */
function addToBuckets(ring: Ring, ts: number, value: number, bucketMs: number): void {
  const b = Math.floor(ts / bucketMs);
  if (b > ring.last) {
    for (let i = ring.last + 1; i <= Math.min(b, ring.last + BUCKETS); i++) {
      ring.n[i % BUCKETS] = 0;
      ring.sum[i % BUCKETS] = 0;
    }
    ring.last = b;
  }
  if (b <= ring.last - BUCKETS) return; // older than the ring: ignored
  const j = b % BUCKETS;
  ring.n[j] = (ring.n[j] ?? 0) + 1;
  ring.sum[j] = (ring.sum[j] ?? 0) + value;
}

/** Count and sum of the complete buckets before the one holding `ts` (the window before it). */
function before(ring: StepDropState['buckets'][string] | undefined, ts: number, bucketMs: number): { n: number; sum: number } {
  if (!ring) return { n: 0, sum: 0 };
  const b = Math.floor(ts / bucketMs);
  let n = 0;
  let sum = 0;
  for (let i = b - BUCKETS; i < b; i++) {
    if (i > ring.last || i <= ring.last - BUCKETS) continue;
    n += ring.n[((i % BUCKETS) + BUCKETS) % BUCKETS]!;
    sum += ring.sum[((i % BUCKETS) + BUCKETS) % BUCKETS]!;
  }
  return { n, sum };
}

/**
 * The engine's own findings (of every rule but this one): a condition raised that was not raised
 * anchors a window, unless one is already running; a normal forgets the condition.
 */
export function stepDropNote(state: StepDropState, findings: readonly Finding[], ctx: RuleContext): StepDropState {
  let next: StepDropState | undefined;
  for (const f of findings) {
    if (f.rule === STEP_DROP_RULE) continue;
    const key = `${f.factor}|${f.rule}`;
    const cur = next ?? state;
    if (f.type === 'normal') {
      if (!cur.raised[key]) continue;
      const raised = { ...cur.raised };
      delete raised[key];
      next = { ...cur, raised };
      continue;
    }
    if (cur.raised[key]) continue;
    const bucketMs = (ctx.params.stepDrop.windowS * 1000) / BUCKETS;
    const running = cur.anchor !== null && f.ts < cur.anchor.at + ctx.params.stepDrop.windowS * 1000;
    const anchor = running
      ? cur.anchor
      : {
          at: f.ts,
          rule: f.rule,
          factor: f.factor,
          base: Object.fromEntries(Object.keys(ctx.limits).map((k) => [k, before(cur.buckets[k], f.ts, bucketMs)])),
          after: {},
        };
    next = { ...cur, raised: { ...cur.raised, [key]: true }, anchor };
  }
  return next ?? state;
}

/** One sample reading: into the buckets and the window after an alert; judged once the window is over. */
export function stepDropStep(state: StepDropState, reading: Reading, ctx: RuleContext): Step<StepDropState> {
  const p = ctx.params.stepDrop;
  const windowMs = p.windowS * 1000;
  const bucketMs = windowMs / BUCKETS;
  const { mn } = ctx.source;
  let findings: Finding[] | undefined;
  let next: StepDropState = state;
  let anchor = state.anchor;
  if (anchor && reading.ts >= anchor.at + windowMs) {
    for (const [factor, base] of Object.entries(anchor.base)) {
      const after = anchor.after[factor];
      if (!after || base.n < p.minSamples || after.n < p.minSamples) continue;
      const meanBefore = base.sum / base.n;
      const meanAfter = after.sum / after.n;
      if (meanBefore <= 0 || meanAfter > meanBefore * (1 - p.dropPct / 100)) continue;
      (findings ??= []).push(
        exceeded(mn, {
          factor,
          rule: STEP_DROP_RULE,
          severity: p.severity,
          value: round(meanAfter),
          limit: round(meanBefore),
          ts: reading.ts,
          evidence: {
            alertAt: anchor.at,
            alertRule: anchor.rule,
            meanBefore: round(meanBefore),
            meanAfter: round(meanAfter),
            dropPct: round((1 - meanAfter / meanBefore) * 100),
            thresholdPct: p.dropPct,
            windowS: p.windowS,
          },
        }),
      );
      next = { ...next, raised: { ...next.raised, [`${factor}|${STEP_DROP_RULE}`]: true } };
    }
    anchor = null;
    next = { ...next, anchor: null };
  }
  // The rings are updated in place (the source's own, like copied-data's index: no copy of 24
  // numbers per factor per sample); snapshot() deep-copies the state.
  const buckets = next.buckets;
  let anyRaised = hasKeys(next.raised);
  for (const factor in ctx.limits) {
    const limit = ctx.limits[factor];
    const fv = reading.factors[factor];
    if (!limit || !fv || !isValidFlag(fv.flag)) continue;
    const compared = comparedValue(reading, factor, limit, ctx.source.o2Ref, ctx.params.o2Conversion.measuredCap);
    if (compared === undefined) continue;
    const key = anyRaised ? `${factor}|${STEP_DROP_RULE}` : '';
    if (anyRaised && next.raised[key] && !findings?.some((f) => f.factor === factor)) {
      const raised = { ...next.raised };
      delete raised[key];
      next = { ...next, raised };
      anyRaised = hasKeys(raised);
      (findings ??= []).push(normal(mn, factor, STEP_DROP_RULE, compared.value, reading.ts));
    }
    let ring = buckets[factor];
    if (!ring) buckets[factor] = ring = { last: Math.floor(reading.ts / bucketMs), n: Array(BUCKETS).fill(0), sum: Array(BUCKETS).fill(0) };
    addToBuckets(ring, reading.ts, compared.value, bucketMs);
    if (anchor && reading.ts >= anchor.at) {
      const a = anchor.after[factor] ?? { n: 0, sum: 0 };
      anchor = { ...anchor, after: { ...anchor.after, [factor]: { n: a.n + 1, sum: a.sum + compared.value } } };
      next = { ...next, anchor };
    }
  }
  return { state: next, findings: findings ?? NO_FINDINGS };
}
