/**
 * What a source card shows, from the source's latest values and the open alerts (pure):
 * - a value is red only when it is a valid (N) value with an alert on its size (not a suspected-
 *   falsification finding such as near-limit: a value parked under its limit is not over it); a flagged value
 *   (M, D, C, …) is never an exceedance (DOMAIN §3): grey, with the flag's name;
 * - a stack's pollutant concentrations say what they are: measured (实测) and, when the logger
 *   sent one, the value converted to reference O2 (折算);
 * - a source with an emergency bypass shows the bypass state (open with its flow, or closed), from
 *   its latest bypass flow or, when that reading has none, from its open bypass alert.
 */
import type { Alert } from '@domain/alert';
import { catalog } from '@domain/catalog';
import type { SourceView } from '@domain/events';
import { primaryValue, type DataFlag } from '@domain/reading';
import { FLAG_RULES, RULE_IDS, SUSPECT_RULES } from '@domain/rule-ids';
import { STACK_KINDS } from '@domain/source-kinds';

/** Flow on an emergency bypass (m³/s): any flow means the bypass is open. */
export const BYPASS_FACTOR = 'abp01';
const BYPASS_RULE = RULE_IDS.bypass;
const CONCENTRATION_UNIT = 'mg/m³';

export type ValueTone = 'normal' | 'exceeding' | 'flagged';

export interface CardValue {
  code: string;
  /** The value as measured (real-time, or the interval's mean). */
  measured: number;
  /** The value converted to reference O2, when the logger sent it. */
  converted?: number;
  flag: DataFlag;
  tone: ValueTone;
  /** Label the values measured / converted (stack concentrations). */
  marked: boolean;
}

export interface BypassState {
  open: boolean;
  /** The bypass flow (m³/s), or null when only an alert says it is open. */
  value: number | null;
}

type CardAlert = Pick<Alert, 'mn' | 'factor' | 'rule' | 'state' | 'closedAt' | 'value'>;
const openActive = (a: CardAlert, mn: string) => a.mn === mn && a.state === 'active' && a.closedAt === null;

/** The card's values, the main factor first, the bypass flow left to `bypassState`. */
export function cardValues(source: Pick<SourceView, 'mn' | 'kind' | 'latest'>, alerts: readonly CardAlert[], main: string): CardValue[] {
  const latest = source.latest;
  if (!latest) return [];
  const sized = new Set(
    alerts.filter((a) => openActive(a, source.mn) && !FLAG_RULES.includes(a.rule) && !SUSPECT_RULES.includes(a.rule)).map((a) => a.factor),
  );
  return Object.entries(latest.factors)
    .filter(([code]) => code !== BYPASS_FACTOR)
    .flatMap(([code, fv]): CardValue[] => {
      const measured = primaryValue(latest.cn, fv);
      if (measured === undefined) return [];
      const tone: ValueTone = fv.flag !== 'N' ? 'flagged' : sized.has(code) ? 'exceeding' : 'normal';
      const marked = fv.zs !== undefined || (STACK_KINDS.includes(source.kind) && catalog.get(code)?.unit === CONCENTRATION_UNIT);
      return [{ code, measured, ...(fv.zs !== undefined ? { converted: fv.zs } : {}), flag: fv.flag, tone, marked }];
    })
    .sort((a, b) => Number(b.code === main) - Number(a.code === main));
}

/** The bypass state, or null for a source that reports no bypass. */
export function bypassState(source: Pick<SourceView, 'mn' | 'latest'>, alerts: readonly CardAlert[]): BypassState | null {
  const alert = alerts.find((a) => openActive(a, source.mn) && a.rule === BYPASS_RULE);
  const fv = source.latest?.factors[BYPASS_FACTOR];
  const flow = fv && source.latest ? primaryValue(source.latest.cn, fv) : undefined;
  if (flow !== undefined) return { open: flow > 0 || alert !== undefined, value: flow };
  return alert ? { open: true, value: alert.value } : null;
}

/** The same items in the same order (by identity): a list recomputed but unchanged. */
export const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
