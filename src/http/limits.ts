// Size limits of every request, checked before any route reads or parses anything: a URL over `maxUrlBytes` is
// 414, a body over `maxBodyBytes` (or the larger limit `largerBodies` gives some paths: a glossary's entries, an
// uploaded document) is 413
// (by Content-Length, or by counting the bytes when it is absent). Applies to every API face, and the only place that
// limits them (the body readers, ./body.ts, rely on it).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, bodyTooLarge } from './errors.js';

export interface RequestLimitsOptions {
  maxUrlBytes: number;
  maxBodyBytes: number;
  largerBodies?: { paths: RegExp; maxBytes: number }[]; // paths whose bodies may be larger (the first that matches)
}

export function requestLimits({ maxUrlBytes, maxBodyBytes, largerBodies }: RequestLimitsOptions): MiddlewareHandler {
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw bodyTooLarge(maxSize);
      },
    });
  const body = limit(maxBodyBytes);
  const larger = (largerBodies ?? []).map(({ paths, maxBytes }) => ({ paths, check: limit(maxBytes) }));
  return async function requestLimits(c, next) {
    // The URL arrives percent-encoded, so its length is its size in bytes.
    if (c.req.url.length > maxUrlBytes)
      throw new ApiError(414, 'uri_too_long', `the URL must be at most ${maxUrlBytes} bytes`);
    return (larger.find(({ paths }) => paths.test(c.req.path))?.check ?? body)(c, next);
  };
}
