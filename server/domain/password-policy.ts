/**
 * The password policy's rules, shared by the server (server/auth/password.ts enforces them) and the
 * dashboard (the change-password page shows each one as it is met).
 */
export const PASSWORD_MIN_LENGTH = 10;
/** Longer inputs are refused before hashing: they only cost CPU. */
export const PASSWORD_MAX_LENGTH = 256;

/** Each rule of a new password, met or not (`differs`: from the current one, on a self-service change). */
export interface PasswordRules {
  length: boolean;
  notUsername: boolean;
  differs: boolean;
}

export function passwordRules(password: string, username: string, current = ''): PasswordRules {
  const chars = [...password].length;
  return {
    length: chars >= PASSWORD_MIN_LENGTH && password.length <= PASSWORD_MAX_LENGTH && password.trim().length > 0,
    notUsername: password.trim().toLowerCase() !== username.trim().toLowerCase(),
    differs: password !== current,
  };
}
