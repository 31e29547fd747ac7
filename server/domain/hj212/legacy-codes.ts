/**
 * HJ 212-2005 factor codes (`01` particulate, `02` SO2, `03` NOx, `B02` flow, `S01` O2, ...) map
 * to their 2017 codes through the catalog (DOMAIN §2). 2017 codes sent in upper case (`A21026`)
 * are lower-cased. A code the catalog does not know is returned as sent (non-standard codes exist).
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

export function normaliseFactorCode(sent: string): NormalisedCode {
  if (is2017Style(sent)) return { code: sent.toLowerCase(), legacy: false };
  const legacy = catalog.fromLegacy(sent) ?? catalog.fromLegacy(sent.toUpperCase());
  if (legacy) return { code: legacy.code, legacy: true };
  return { code: sent, legacy: false };
}
