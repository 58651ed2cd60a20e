// Request fields of the client-compatible faces (DeepL, LibreTranslate). Their clients send JSON, form-encoded or
// multipart bodies (the official DeepL client sends a form and repeats `text` for a batch), or query parameters;
// this reads any of them into one record for a zod schema. Bodies are bounded by ./limits.ts, as on the native API.
// The same schemas describe the faces in GET /openapi.json (`serveDocumented`, `fieldsBody`).
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context, Env, Handler } from 'hono';
import type { z } from 'zod';
import { ApiError, invalidRequest } from './errors.js';
import { JSON_MEDIA_TYPE, mediaTypeOf, parseJson, readBody } from './body.js';

export type Fields = Record<string, unknown>;

/** Query parameters, overridden by the fields of the body (if the method has one). */
export async function readFields(c: Context): Promise<Fields> {
  const query = collect(new URL(c.req.url).searchParams);
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return query;
  return { ...query, ...(await bodyFields(c.req.header('Content-Type') ?? '', await readBody(c))) };
}

async function bodyFields(contentType: string, bytes: Uint8Array): Promise<Fields> {
  const mediaType = mediaTypeOf(contentType).toLowerCase();
  if (JSON_MEDIA_TYPE.test(mediaType)) {
    const value = parseJson(bytes);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ApiError(400, 'invalid_request', 'the JSON body must be an object');
    return { ...value };
  }
  if (mediaType === 'application/x-www-form-urlencoded')
    return collect(new URLSearchParams(new TextDecoder().decode(bytes)));
  if (mediaType === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(bytes), { headers: { 'Content-Type': contentType } }).formData();
    return collect(form);
  }
  if (bytes.byteLength === 0) return {}; // e.g. POST /v2/usage with nothing to say
  throw new ApiError(
    415,
    'unsupported_media_type',
    `Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data, got "${mediaType || '(none)'}"`,
  );
}

/** URLSearchParams or FormData. */
interface Entries {
  forEach(callback: (value: unknown, name: string) => void): void;
}

/** Entries by name; a repeated name (`text=a&text=b`) becomes an array in order. */
function collect(entries: Entries): Fields {
  const fields: Fields = {};
  entries.forEach((value, name) => {
    const previous = fields[name];
    fields[name] = previous === undefined ? value : [previous, value].flat();
  });
  return fields;
}

/** The fields as `schema` reads them, or a 400 naming the first offending field (as on the native face). */
export function parseFields<T extends z.ZodType>(schema: T, fields: Fields): z.output<T> {
  const result = schema.safeParse(fields);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}

/** A field that may come as one string or as an array, as an array (DeepL `text`, LibreTranslate `q`). */
export const asArray = (value: unknown): unknown => (typeof value === 'string' ? [value] : value);

/**
 * Serves `handler` at the method and path of `route`, and documents `route` in the app's OpenAPI registry. The handler
 * validates with the schemas `route` documents (readFields + parseFields) rather than through OpenAPIHono's validators,
 * as a face reads a field from the query, JSON, a form or multipart alike.
 */
export function serveDocumented<E extends Env>(app: OpenAPIHono<E>, route: RouteConfig, handler: Handler<E>): void {
  app.openAPIRegistry.registerPath(route);
  app.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), handler); // OpenAPI's /a/{id} is Hono's /a/:id
}

/** An OpenAPI request body of `schema`'s fields in each media type `readFields` reads. */
export const fieldsBody = (schema: z.ZodType, required: boolean) => ({
  required,
  content: {
    'application/json': { schema },
    'application/x-www-form-urlencoded': { schema },
    'multipart/form-data': { schema },
  },
});
