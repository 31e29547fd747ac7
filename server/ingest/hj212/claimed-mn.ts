/**
 * The MN a refused frame claims (`MN=…` in its first bytes), so the raw archive can list a
 * source's broken frames too. Best effort: letters, digits, `-` and `_`, at most 32 characters.
 */
const HEAD = 512;

export function claimedMn(bytes: Uint8Array): string | null {
  const end = Math.min(bytes.length, HEAD);
  for (let i = 0; i + 3 < end; i++) {
    if (bytes[i] !== 0x4d || bytes[i + 1] !== 0x4e || bytes[i + 2] !== 0x3d) continue; // MN=
    if (
      i > 0 &&
      bytes[i - 1] !== 0x3b &&
      bytes[i - 1] !== 0x2c &&
      bytes[i - 1] !== 0x23 &&
      !(bytes[i - 1]! >= 0x30 && bytes[i - 1]! <= 0x39)
    )
      continue;
    let mn = '';
    for (let j = i + 3; j < end && mn.length <= 32; j++) {
      const c = bytes[j] as number;
      const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
      if (!ok) break;
      mn += String.fromCharCode(c);
    }
    return mn.length > 0 && mn.length <= 32 ? mn : null;
  }
  return null;
}
