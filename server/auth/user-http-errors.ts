/** UserError → HttpError (400 invalid/weak, 404, 409 taken / last admin); anything else unchanged. */
import { HttpError } from '../domain/errors';
import { UserError, type UserErrorCode } from './user-errors';

const STATUS: Record<UserErrorCode, number> = {
  invalid_user: 400,
  weak_password: 400,
  not_found: 404,
  username_taken: 409,
  last_admin: 409,
};

export function httpErrorOf(err: unknown): unknown {
  return err instanceof UserError ? new HttpError(STATUS[err.code], err.code, err.message) : err;
}
