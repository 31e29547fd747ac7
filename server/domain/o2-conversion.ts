/**
 * Conversion to reference oxygen (基准氧含量折算, DOMAIN §5):
 *   C_converted = C_measured × (21 − O2_ref) / (21 − O2_measured)
 * O2_measured is capped (start-up, air ingress) so the factor cannot explode near 21 %: the cap is
 * a rule-pack setting (`o2Conversion.measuredCap`, default DEFAULT_O2_CAP), read by rules and reports.
 *
 * A value is converted only from what is valid: the logger's own zs, or the record's O2 flagged N.
 * Without either it cannot be converted — it is not a valid converted value, never the measured
 * value in disguise (convertedValue returns undefined).
 */
import { O2_FACTOR } from './catalog';
import { isValidFlag, primaryValue, type DataKind, type FactorValue } from './reading';

/** The default cap of measured O2 in %, when the rule pack does not set one. */
export const DEFAULT_O2_CAP = 19;

export function convertToReferenceO2(measured: number, o2Measured: number, o2Reference: number, o2Cap: number = DEFAULT_O2_CAP): number {
  const o2 = Math.min(Math.max(o2Measured, 0), o2Cap);
  return (measured * (21 - o2Reference)) / (21 - o2);
}

/** How a source's values are converted: its reference O2 (undefined: only a logger's zs converts) and the cap. */
export interface ConversionSettings {
  o2Ref: number | undefined;
  o2Cap: number;
}

/** A converted value and where it came from. */
export interface Converted {
  value: number;
  /** The logger sent it (zs); false: computed here from the record's O2. */
  fromLogger: boolean;
  /** The measured O2 (%) it was computed from, before capping; null when it is the logger's zs. */
  o2: number | null;
}

/**
 * One factor of one record converted to reference O2: the logger's zs when sent, else computed
 * from the record's O2 when that is flagged N and the source has a reference O2; else undefined.
 * `measured` is the factor's primary value; the factor's own flag is the caller's business.
 */
export function convertedValue(
  cn: DataKind,
  factors: Readonly<Record<string, FactorValue>>,
  factor: string,
  measured: number,
  c: ConversionSettings,
): Converted | undefined {
  const zs = factors[factor]?.zs;
  if (zs !== undefined) return { value: zs, fromLogger: true, o2: null };
  if (factor === O2_FACTOR || c.o2Ref === undefined) return undefined;
  const o2 = factors[O2_FACTOR];
  const o2Value = o2 && isValidFlag(o2.flag) ? primaryValue(cn, o2) : undefined;
  if (o2Value === undefined) return undefined;
  return { value: convertToReferenceO2(measured, o2Value, c.o2Ref, c.o2Cap), fromLogger: false, o2: o2Value };
}
