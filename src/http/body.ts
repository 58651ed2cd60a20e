// Reads a JSON request body defensively, before any schema sees it: wrong Content-Type -> 415, not JSON -> 400
// (a body over the size limit never gets here: ./limits.ts answers 413 in front of every route).
// The parsed value is left in Hono's body cache, where the zod validator of the route picks it up.
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors.js';

export const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function jsonBody(): MiddlewareHandler {
  return async function jsonBody(c, next) {
    const mediaType = mediaTypeOf(c.req.header('Content-Type'));
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Content-Type must be application/json, got "${mediaType || '(none)'}"`,
      );
    }
    c.req.bodyCache.json = Promise.resolve(parseJson(await readBody(c)));
    await next();
  };
}

/** "application/json" of "application/json; charset=utf-8"; empty when there is no Content-Type. */
export const mediaTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]?.trim() ?? '';

/** The value of a JSON body, or 400 invalid_json when it is not UTF-8 JSON. */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    const detail = err instanceof SyntaxError ? `: ${err.message}` : ' (not UTF-8)';
    throw new ApiError(400, 'invalid_json', `request body is not valid JSON${detail}`);
  }
}

/** The whole body: its size was already bounded by ./limits.ts, in front of every route. */
export const readBody = async (c: Context): Promise<Uint8Array> => new Uint8Array(await c.req.arrayBuffer());
