/**
 * offline: a source that has sent nothing for `missedIntervals` × its reporting interval is
 * offline — a source-level finding (factor `*`), raised by tick(now) and cleared by the next
 * reading. Time is the engine's clock on both sides (arrival, not the logger's DataTime, which
 * may be skewed or backfilled). Silence counts from the engine's start at the earliest: a source
 * not seen since, or last seen before a restart (the engine was not listening meanwhile).
 */
import type { Finding } from '../domain/alert';
import { RULE_IDS, type RuleParams } from '../domain/rule-pack';
import { exceeded, normal, type RuleContext, type Step } from './rule-context';

export const OFFLINE_RULE = RULE_IDS.offline;
/** The factor of source-level findings. */
export const SOURCE_FACTOR = '*';

export interface OfflineState {
  lastSeenAt: number | null;
  offline: boolean;
  /** The open offline finding was raised critical (offline ≥ criticalAfterS); absent: false. */
  offlineCritical?: boolean;
}

export const offlineThresholdMs = (ctx: RuleContext): number => ctx.params.offline.missedIntervals * ctx.source.intervalS * 1000;

/** Outage tiers (issue 19, PLANS A7): an outage this long is due a rectification case. */
export const outageCaseDue = (since: number, now: number, p: Pick<RuleParams['offline'], 'caseAfterS'>): boolean =>
  now - since >= p.caseAfterS * 1000;

/**
 * At tick: raises once the silence reaches the threshold (major), and again, critical, once it
 * reaches offline.criticalAfterS (the open alert turns critical: the escalation chain takes it).
 */
export function offlineTick(state: OfflineState, now: number, startedAt: number, ctx: RuleContext): Step<OfflineState> {
  // Monitoring still to be installed or connected (onboarding obligated / installed) has no logger
  // to miss until it first reports.
  const status = ctx.source.onboarding?.status;
  if (state.lastSeenAt === null && (status === 'obligated' || status === 'installed')) return { state, findings: [] };
  const since = Math.max(state.lastSeenAt ?? startedAt, startedAt);
  const silentMs = now - since;
  const limitMs = offlineThresholdMs(ctx);
  const criticalAfterS = ctx.params.offline.criticalAfterS;
  const critical = silentMs >= criticalAfterS * 1000;
  const raise = !state.offline || (critical && state.offlineCritical !== true);
  if (silentMs < limitMs || !raise) return { state, findings: [] };
  const finding: Finding = exceeded(ctx.source.mn, {
    factor: SOURCE_FACTOR,
    rule: OFFLINE_RULE,
    severity: critical ? 'critical' : 'major',
    value: Math.round(silentMs / 1000),
    limit: limitMs / 1000,
    unit: 's',
    ts: now,
    evidence: { lastSeenAt: state.lastSeenAt, countedFrom: since, ...(critical ? { criticalAfterS } : {}) },
  });
  return { state: { ...state, offline: true, offlineCritical: critical }, findings: [finding] };
}

/** Any reading: the source is seen now; back from offline, the condition clears. */
export function offlineOnReading(state: OfflineState, now: number, mn: string): Step<OfflineState> {
  const findings = state.offline ? [normal(mn, SOURCE_FACTOR, OFFLINE_RULE, 0, now)] : [];
  return { state: { lastSeenAt: now, offline: false, offlineCritical: false }, findings };
}
