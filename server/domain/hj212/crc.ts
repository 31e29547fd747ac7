/**
 * The HJ 212-2017 CRC (DOMAIN §3): over the data segment's UTF-8 bytes only; the register starts
 * at 0xFFFF; per byte, register = (register >> 8) XOR byte, then 8 right shifts, XOR 0xA001 after
 * each shift that pushed out a 1. It is NOT CRC-16/MODBUS (which XORs the byte into the low byte
 * without the first shift). Printed as 4 uppercase hex digits; lowercase is accepted on input.
 *
 * A weakness worth knowing: after each byte the register is STEP[(previous >> 8) ^ byte], so only
 * 8 bits of state carry from byte to byte. A single changed byte is always caught (the high bytes
 * of STEP are a permutation), but a random corruption passes about once in 256, not once in
 * 65,536 — which is why the length field, the structure and the values are checked as strictly.
 */

/** The 8-shift step depends only on the low byte: step(r) = (r >> 8) ^ STEP[r & 0xFF]. */
const STEP = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let r = b;
  for (let i = 0; i < 8; i++) r = r & 1 ? (r >>> 1) ^ 0xa001 : r >>> 1;
  STEP[b] = r;
}

/** The CRC of bytes[start, end). */
export function hj212Crc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let r = 0xffff;
  for (let i = start; i < end; i++) {
    r = (r >>> 8) ^ (bytes[i] as number);
    r = (r >>> 8) ^ (STEP[r & 0xff] as number);
  }
  return r;
}

/** The bit-by-bit definition, kept as the reference the table version is tested against. */
export function hj212CrcReference(bytes: Uint8Array): number {
  let r = 0xffff;
  for (const byte of bytes) {
    r = (r >>> 8) ^ byte;
    for (let i = 0; i < 8; i++) {
      const out = r & 1;
      r >>>= 1;
      if (out) r ^= 0xa001;
    }
  }
  return r;
}

const HEX = '0123456789ABCDEF';

/** 4 uppercase hex digits. */
export function crcHex(crc: number): string {
  return HEX[(crc >>> 12) & 15]! + HEX[(crc >>> 8) & 15]! + HEX[(crc >>> 4) & 15]! + HEX[crc & 15]!;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The 4 hex digits at bytes[at, at + 4) as a number (either case), or -1 if they are not hex. */
export function readCrcField(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) return -1;
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const h = hexValue(bytes[i] as number);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}
