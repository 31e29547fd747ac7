/**
 * Every route declares its permission (server/domain/access.ts) when it is registered:
 *
 *   const r = routes();                        // wraps an express Router
 *   r.get('/', 'alerts.read', handler);        // 401 without a principal, 403 without the permission
 *   r.post('/login', 'public', handler);       // reachable without a session (sign-in only)
 *   r.get('/', 'alerts.read', { summary, query, response }, handler);  // described (domain/route-doc.ts)
 *
 * The permission is checked before the handlers (after those marked `authenticating`; scope — which enterprise — is the handlers'
 * business: another enterprise's things answer 404). `undeclaredRoutes` lists every route of a
 * router tree registered any other way; the HTTP app refuses to start with one (`assertDeclared`).
 * A `RouteDoc` given among the handlers is no handler: it rides on the permission check, and
 * `routeTable` reports it (the OpenAPI document is built from it, server/http/openapi.ts).
 */
import { Router, type RequestHandler, type Response } from 'express';
import { mayAs, type Permission } from '../domain/access';
import { HttpError } from '../domain/errors';
import type { RouteDoc } from '../domain/route-doc';
import { principalOf } from './auth-middleware';

/** 403 unless the caller's role has the permission (401 without a caller). */
export function requirePermission(res: Response, permission: Permission): void {
  const p = principalOf(res);
  if (!mayAs(p, permission))
    throw new HttpError(403, 'forbidden', `${p.token ? 'an API token' : `role "${p.role}"`} may not ${permission}`);
}

export type Declared = Permission | 'public';
const DECLARED = Symbol('o3s.permission');
const DESCRIBED = Symbol('o3s.doc');
type Gate = RequestHandler & { [DECLARED]: Declared; [DESCRIBED]?: RouteDoc };

function gate(declared: Declared, doc: RouteDoc | undefined): Gate {
  const check: RequestHandler =
    declared === 'public'
      ? (_req, _res, next) => next()
      : (_req, res, next) => {
          requirePermission(res, declared);
          next();
        };
  return Object.assign(check, { [DECLARED]: declared }, doc ? { [DESCRIBED]: doc } : {});
}

const AUTHENTICATES = Symbol('o3s.authenticates');

/** Marks a handler that sets the principal (a self-authenticating route of a public router): it runs before the permission check. */
export const authenticating = (h: RequestHandler): RequestHandler => Object.assign(h, { [AUTHENTICATES]: true });
const isAuthenticating = (h: RequestHandler): boolean => AUTHENTICATES in h;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Register = (path: string, permission: Declared, ...handlers: (RequestHandler | RouteDoc)[]) => Routes;
export type Routes = Record<Method, Register> & { readonly router: Router };

/** A router whose routes can only be registered with a permission. */
export function routes(router: Router = Router()): Routes {
  const r = { router } as Routes;
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    r[method] = (path, permission, ...given) => {
      const doc = given.find((h): h is RouteDoc => typeof h !== 'function');
      const handlers = given.filter((h): h is RequestHandler => typeof h === 'function');
      const lead = handlers.findIndex((h) => !isAuthenticating(h));
      const at = lead === -1 ? handlers.length : lead;
      router[method](path, ...handlers.slice(0, at), gate(permission, doc), ...handlers.slice(at));
      return r;
    };
  }
  return r;
}

export interface RouteEntry {
  method: string;
  path: string;
  /** null: registered without a permission. */
  permission: Declared | null;
  /** Its description, when it was registered with one. */
  doc?: RouteDoc;
}

interface LayerLike {
  handle?: ((...a: never[]) => unknown) & { stack?: LayerLike[]; [DECLARED]?: Declared; [DESCRIBED]?: RouteDoc };
  route?: { path: string; methods: Record<string, boolean>; stack: LayerLike[] };
}

/** Every route under a router (nested routers mounted with `use` included), with its declared permission. */
export function routeTable(router: { stack?: unknown }, prefix = ''): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const layer of (router.stack ?? []) as LayerLike[]) {
    if (layer.route) {
      const declaring = layer.route.stack.find((l) => l.handle?.[DECLARED] !== undefined)?.handle;
      const first = declaring?.[DECLARED] ?? null;
      const doc = declaring?.[DESCRIBED];
      const path = prefix + layer.route.path;
      for (const method of Object.keys(layer.route.methods)) {
        out.push({ method: method.toUpperCase(), path, permission: first, ...(doc ? { doc } : {}) });
      }
    } else if (layer.handle?.stack) {
      out.push(...routeTable(layer.handle, prefix)); // mounted without a path (e.g. raw frames beside sources)
    }
  }
  return out;
}

/** The routes of these mounts that declare no permission. */
export function undeclaredRoutes(mounts: Record<string, { stack?: unknown }>): RouteEntry[] {
  return Object.entries(mounts).flatMap(([path, router]) => routeTable(router, path).filter((e) => e.permission === null));
}

/** Throws when a mounted route declares no permission. */
export function assertDeclared(mounts: Record<string, { stack?: unknown }>): void {
  const missing = undeclaredRoutes(mounts);
  if (missing.length > 0) {
    throw new Error(`routes without a permission (server/domain/access.ts): ${missing.map((e) => `${e.method} ${e.path}`).join(', ')}`);
  }
}
