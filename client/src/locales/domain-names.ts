/** A domain enum's names (`{ zh, en }` per value, server/domain) as a locale's message table. */
export function namesOf<T extends string>(
  values: readonly T[],
  names: Record<T, { zh: string; en: string }>,
  lang: 'zh' | 'en',
): Record<T, string> {
  return Object.fromEntries(values.map((v) => [v, names[v][lang]])) as Record<T, string>;
}
