/**
 * A reading mirrors one HJ 212 upload: one source (MN), one data kind (CN), one instant, and per
 * factor code its rtd / avg / min / max / zs / cou values and its data flag.
 */
import type { SourceKind } from './source-kinds';

/** HJ 212 data kinds: real-time, minute, hour, day. */
export const DATA_KINDS = ['2011', '2051', '2061', '2031'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** HJ 212 data flags (DOMAIN §3): N normal, F stopped, M maintenance, S manual, D fault,
 * C calibration, T above range, B logger–instrument communication failure. */
export const DATA_FLAGS = ['N', 'F', 'M', 'S', 'D', 'C', 'T', 'B'] as const;
export type DataFlag = (typeof DATA_FLAGS)[number];

export const FACTOR_FIELDS = ['rtd', 'avg', 'min', 'max', 'zs', 'cou'] as const;
export type FactorField = (typeof FACTOR_FIELDS)[number];

export type FactorValue = { [F in FactorField]?: number } & { flag: DataFlag };

/** One stored point of a factor's series (GET /api/sources/:mn/series → {items}): its instant and values. */
export type SeriesPoint = FactorValue & { ts: number };

export interface Reading {
  mn: string;
  enterpriseId: string;
  kind: SourceKind;
  cn: DataKind;
  /** Epoch ms: the sampling instant (2011) or the start of the interval (2051/2061/2031). */
  ts: number;
  factors: Record<string, FactorValue>;
  /**
   * 'import': delivered later by a file import (the grid company's power data): stored like any
   * reading, but historical, so the live facility engine leaves it to the import's own judgement.
   */
  origin?: 'import';
}

/** Only N-flagged values count as valid data for compliance (DOMAIN §3). */
export function isValidFlag(flag: DataFlag): boolean {
  return flag === 'N';
}

/** The value that represents a factor for this data kind: rtd for real-time, avg for aggregates. */
export function primaryValue(cn: DataKind, v: FactorValue): number | undefined {
  return cn === '2011' ? (v.rtd ?? v.avg) : (v.avg ?? v.rtd);
}
