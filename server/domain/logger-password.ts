/**
 * HJ 212 logger passwords (PW) generated at registration: random, from an alphabet that is safe in
 * a frame (no `;` `,` `&` `=`) and easy to key into a logger's panel (no 0/O, 1/I/L). 24 characters
 * carry ~119 bits. HJ 212-2017 declares PW as six characters (C6); most loggers take longer ones,
 * but `length` can be lowered for one that does not. Pure: Web Crypto only (Node 20 and browsers).
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LOGGER_PASSWORD_LENGTH = 24;

export function generateLoggerPassword(length: number = LOGGER_PASSWORD_LENGTH): string {
  if (!Number.isInteger(length) || length < 6 || length > 64) throw new RangeError('a logger password has 6–64 characters');
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < length) {
    for (const b of globalThis.crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit && out.length < length) out.push(ALPHABET[b % ALPHABET.length] as string);
    }
  }
  return out.join('');
}
