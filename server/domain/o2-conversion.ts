/**
 * Conversion to reference oxygen (基准氧含量折算, DOMAIN §5):
 *   C_converted = C_measured × (21 − O2_ref) / (21 − O2_measured)
 * O2_measured is capped (start-up, air ingress) so the factor cannot explode near 21 %.
 */
export const DEFAULT_O2_CAP = 19;

export function convertToReferenceO2(
  measured: number,
  o2Measured: number,
  o2Reference: number,
  o2Cap: number = DEFAULT_O2_CAP,
): number {
  const o2 = Math.min(Math.max(o2Measured, 0), o2Cap);
  return (measured * (21 - o2Reference)) / (21 - o2);
}
