/**
 * Password hashing (Argon2id, @node-rs/argon2) and the password policy. Hashes are PHC strings
 * (`$argon2id$v=19$m=19456,t=2,p=1$…`) that carry their own parameters, so raising the cost later
 * still verifies old hashes.
 */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy';

/** `Algorithm.Argon2id`; the enum is an ambient const enum, which isolatedModules cannot read. */
const ARGON2ID = 2 as Algorithm;

export interface Argon2Params {
  /** KiB of memory per hash. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet's first Argon2id configuration: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the time of one verification and returns false: used when the username is unknown,
   * so the response time does not tell which usernames exist.
   */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(params: Argon2Params = DEFAULT_ARGON2): PasswordHasher {
  const options: Options = { algorithm: ARGON2ID, ...params };
  let dummy: Promise<string> | null = null;
  const verifyHash = async (passwordHash: string, password: string): Promise<boolean> => {
    if (password.length > PASSWORD_MAX_LENGTH) return false;
    try {
      return await verify(passwordHash, password);
    } catch (err) {
      // A malformed stored hash is a data problem, not a wrong password: surface it.
      throw new Error('stored password hash is not a valid Argon2 PHC string', { cause: err });
    }
  };
  return {
    hash: (password) => hash(password, options),
    verify: verifyHash,
    async verifyNothing(password) {
      dummy ??= hash('o3s-timing-equaliser', options);
      await verifyHash(await dummy, password.slice(0, PASSWORD_MAX_LENGTH));
      return false;
    },
  };
}

/** Every reason a new password is refused, in the user's terms; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`the password must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`the password must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) problems.push('the password must not be the username');
  if (password.trim().length === 0) problems.push('the password must not be blank');
  return problems;
}

export class PasswordPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'PasswordPolicyError';
  }
}

/** Throws PasswordPolicyError listing every problem. */
export function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new PasswordPolicyError(problems);
}
