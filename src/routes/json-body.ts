// Reads a JSON request body defensively, before any schema sees it:
//   wrong Content-Type -> 415, declared or actual size over the limit -> 413, not JSON -> 400.
// The parsed value is left in Hono's body cache, where the zod validator of the route picks it up.
import type { MiddlewareHandler } from 'hono';
import { ApiError, bodyTooLarge } from '../errors.js';

export interface JsonBodyOptions {
  maxBytes: number;
}

export const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function jsonBody({ maxBytes }: JsonBodyOptions): MiddlewareHandler {
  return async function jsonBody(c, next) {
    const mediaType = mediaTypeOf(c.req.header('Content-Type'));
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError(415, 'unsupported_media_type', `Content-Type must be application/json, got "${mediaType || '(none)'}"`);
    }
    const declared = Number(c.req.header('Content-Length') ?? '0');
    if (declared > maxBytes) throw bodyTooLarge(maxBytes);
    const bytes = await readAtMost(c.req.raw.body, maxBytes);
    c.req.bodyCache.json = Promise.resolve(parseJson(bytes));
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

/** The whole body, or a 413 as soon as more than `maxBytes` arrive (Content-Length can be absent or wrong). */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {}); // stop the upload; nothing more is read
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
