import { describe, expect, it } from 'vitest';
import { crcHex, hj212Crc, hj212CrcReference, readCrcField } from './crc';
import { VECTORS } from './vectors';

const bytes = (s: string) => new TextEncoder().encode(s);

/** CRC-16/MODBUS, which the HJ 212 CRC is NOT: kept to show the two differ. */
function modbus(data: Uint8Array): number {
  let r = 0xffff;
  for (const b of data) {
    r ^= b;
    for (let i = 0; i < 8; i++) r = r & 1 ? (r >>> 1) ^ 0xa001 : r >>> 1;
  }
  return r;
}

describe('HJ 212 CRC', () => {
  it.each(VECTORS.map((v) => [v.slice(-4), v]))('the vector ending in %s has a matching CRC', (crc, frame) => {
    const data = bytes(frame.slice(6, -4));
    expect(crcHex(hj212Crc(data))).toBe(crc);
    expect(hj212CrcReference(data)).toBe(hj212Crc(data));
  });

  it('is not CRC-16/MODBUS', () => {
    const data = bytes(VECTORS[0].slice(6, -4));
    expect(modbus(data)).not.toBe(hj212Crc(data));
  });

  it('the table version equals the bit-by-bit definition on random data, UTF-8 included', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: next() % 300 }, () => next() & 0xff);
      expect(hj212Crc(data)).toBe(hj212CrcReference(data));
    }
    const chinese = bytes('a21026-Info=氨逃逸');
    expect(hj212Crc(chinese)).toBe(hj212CrcReference(chinese));
  });

  it('covers a sub-range', () => {
    const framed = bytes(VECTORS[1]);
    expect(crcHex(hj212Crc(framed, 6, framed.length - 4))).toBe('CC01');
  });

  it.each([
    ['1C80', 0x1c80],
    ['1c80', 0x1c80],
    ['abcd', 0xabcd],
    ['1C8G', -1],
    ['1C8', -1],
    ['  1C', -1],
  ])('reads the CRC field %s as %i', (text, value) => {
    expect(readCrcField(bytes(text), 0)).toBe(value);
  });
});
