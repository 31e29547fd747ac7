/** Typed HTTP errors and the error middleware: every refusal is JSON with a message. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from '../domain/errors';
import type { Logger } from '../logger';
import { formatZodIssues } from '../domain/zod-issues';

export { HttpError };

export const notFound: RequestHandler = (req, _res, next) =>
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express knows error middleware by its four parameters
  return (err, req, res, _next) => {
    if (err instanceof z.ZodError) {
      res.status(400).json({
        error: 'bad_request',
        message: formatZodIssues(err, { root: 'request' }),
        issues: err.issues.map((i) => ({ path: i.path, message: i.message })),
      });
      return;
    }
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err, path: req.path }, 'request failed');
    res
      .status(status)
      .json({ error: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : String(err.message) });
  };
}
