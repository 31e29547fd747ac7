/** Refusals of a registry change, with their HTTP status (the REST routers let them through as they are). */
import { HttpError } from '../domain/errors';

const STATUS = {
  not_found: 404,
  duplicate: 409,
  in_use: 409,
  version_conflict: 409,
  grade_reason_required: 400,
} as const;
export type RegistryErrorCode = keyof typeof STATUS;

export class RegistryError extends HttpError {
  constructor(
    readonly reason: RegistryErrorCode,
    message: string,
  ) {
    super(STATUS[reason], reason, message);
  }
}
