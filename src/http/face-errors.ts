// Error bodies in the shape of a client-compatible face (DeepL `{"message"}`, LibreTranslate `{"error"}`). Errors are
// still classified in one place, ./errors.ts (status, message, Retry-After, Allow, logging of bugs); this middleware,
// mounted in front of a face's paths before every other middleware, only rewrites the native body it produced. So
// errors raised before the face's routes run (body and URL limits, rate limit, unknown path, wrong method) get the
// face's shape too. `errorResponses` documents the shape in GET /openapi.json.
import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { ErrorBody } from './errors.js';

export type ErrorShape = (error: ErrorBody['error']) => unknown;

export function faceErrors(shape: ErrorShape): MiddlewareHandler {
  return async function faceErrors(c, next) {
    await next();
    if (c.res.status < 400 || !c.res.headers.get('Content-Type')?.startsWith('application/json')) return;
    const body: unknown = await c.res.clone().json();
    if (!isErrorBody(body)) return;
    // Setting c.res keeps the headers of the response it replaces (CORS, Server-Timing, Retry-After, Allow).
    c.res = Response.json(shape(body.error), { status: c.res.status });
  };
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body;
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string';
}

/**
 * The OpenAPI error responses of a face's operation: the statuses it answers for its own reasons, with what each
 * means, and the face's error shape as the `default` (every other error the app can give, in the same shape).
 */
export function errorResponses(schema: z.ZodType, statuses: Record<number, string>): RouteConfig['responses'] {
  const response = (description: string) => ({ description, content: { 'application/json': { schema } } });
  return {
    ...Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, response(description)])),
    default: response('Any other error of the app (404, 405, 429, 500, ...), in the same shape'),
  };
}
