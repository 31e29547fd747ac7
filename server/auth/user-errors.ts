/** Refusals of account operations, mapped to HTTP 4xx by the routers and to messages by the CLI. */
export type UserErrorCode = 'invalid_user' | 'username_taken' | 'weak_password' | 'not_found' | 'last_admin';

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
