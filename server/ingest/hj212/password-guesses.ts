/**
 * Wrong HJ 212 passwords per TCP address and minute. Past `perMinute`, the processor sends no more
 * 9011 QnRtn=3 to learn from and cuts the connection: a six-character PW (HJ 212's C6) cannot be
 * tried through. A logger behind the same NAT with a wrong PW sends a few a minute, well under it.
 * Bounded: at most `maxAddresses` tracked (all forgotten at once past it: a count only restarts).
 * `perMinute` 0: no limit.
 */
export const PASSWORD_GUESSES_PER_MIN = 10;

export class PasswordGuesses {
  private readonly byAddress = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute = PASSWORD_GUESSES_PER_MIN,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Counts a wrong password from `address` at `at`; true when it is past the limit of its minute. */
  note(address: string, at: number): boolean {
    const g = this.byAddress.get(address);
    if (!g || at - g.start >= 60_000) {
      if (this.byAddress.size >= this.maxAddresses) this.byAddress.clear();
      this.byAddress.set(address, { start: at, count: 1 });
      return false;
    }
    return ++g.count > this.perMinute && this.perMinute > 0;
  }
}
