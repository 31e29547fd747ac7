/**
 * A refusal with an HTTP status and a stable code, thrown by any stage that answers requests (the
 * HTTP routers, the auth routers); server/http/errors.ts turns it into the JSON answer.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
