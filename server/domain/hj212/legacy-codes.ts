/**
 * HJ 212-2005 factor codes (`01` particulate, `02` SO2, `03` NOx, `B02` flow, `S01` O2, ...) map
 * to their 2017 codes through the catalog (DOMAIN §2). 2017 codes sent in upper case (`A21026`)
 * are lower-cased. A code the catalog does not know is returned as sent (non-standard codes exist).
 * Codes DOMAIN §2 does not list map by the code tables of HJ 212-2005 and HJ 212-2017 (OTHER_CODES).
 */
import { catalog } from '../catalog';

export interface NormalisedCode {
  code: string;
  /** The code was an HJ 212-2005 code. */
  legacy: boolean;
}

/** 2017 style: a letter and five digits. */
const is2017Style = (c: string): boolean => {
  if (c.length !== 6) return false;
  const first = c.charCodeAt(0) | 0x20;
  if (first < 97 || first > 122) return false;
  for (let i = 1; i < 6; i++) {
    const d = c.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
};

/**
 * Codes outside DOMAIN §2's table, by the standards' code tables: 2005 `06` fluoride (氟化物) →
 * a21018, `08` hydrogen chloride (氯化氢) → a21024, `S04` flue-gas dynamic pressure (烟气动压) →
 * a01017, `S07` flue cross-section (烟道截面积) → a01016; and `O3`, the name some ambient analysers
 * send instead of a05024 (not a 2005 code: `legacy` false).
 */
const OTHER_CODES = new Map<string, NormalisedCode>([
  ['06', { code: 'a21018', legacy: true }],
  ['08', { code: 'a21024', legacy: true }],
  ['S04', { code: 'a01017', legacy: true }],
  ['S07', { code: 'a01016', legacy: true }],
  ['O3', { code: 'a05024', legacy: false }],
]);

export function normaliseFactorCode(sent: string): NormalisedCode {
  if (is2017Style(sent)) return { code: sent.toLowerCase(), legacy: false };
  const legacy = catalog.fromLegacy(sent) ?? catalog.fromLegacy(sent.toUpperCase());
  if (legacy) return { code: legacy.code, legacy: true };
  const other = OTHER_CODES.get(sent.toUpperCase());
  if (other) return { ...other };
  return { code: sent, legacy: false };
}
