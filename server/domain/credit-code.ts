/**
 * Check characters of the unified social credit code (统一社会信用代码, GB 32100-2015): 18
 * characters — registration authority, entity kind, 6-digit administrative division, the 9-character
 * organisation code (GB 11714: 8 characters and its own check character) and the code's check
 * character. The shape alone is `creditCodeSchema` (registry.ts); this tells a mistyped code apart.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 32100 check character of the first 17 characters. */
export function creditCodeCheck(first17: string): string {
  const sum = [...first17].reduce((s, c, i) => s + CHARSET.indexOf(c) * (WEIGHTS[i] as number), 0);
  return CHARSET[(31 - (sum % 31)) % 31] as string;
}

/** The GB 11714 check character of an organisation code's first 8 characters (digits and A–Z). */
export function orgCodeCheck(first8: string): string {
  const value = (c: string): number => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const c9 = 11 - ([...first8].reduce((s, c, i) => s + value(c) * (ORG_WEIGHTS[i] as number), 0) % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
}

/** What is wrong with a credit code's check characters, or undefined when both are right. */
export function creditCodeIssue(code: string): string | undefined {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return 'a credit code is 18 characters (GB 32100)';
  if (orgCodeCheck(code.slice(8, 16)) !== code[16]) return 'the organisation code (characters 9–17) fails its GB 11714 check character';
  if (creditCodeCheck(code.slice(0, 17)) !== code[17]) return 'the last character is not the GB 32100 check character';
  return undefined;
}
