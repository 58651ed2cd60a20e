// The native API's key check: when the Worker secret API_KEY is set, a request must carry
// `Authorization: Bearer <key>`, else 401 with `WWW-Authenticate: Bearer`. The comparison is ../auth.ts (constant
// time). Mounted per native route in ../app.ts, so the other API faces keep their own way of presenting the key.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app.js';
import { apiKeyMatches } from '../auth.js';
import { ApiError } from '../errors.js';

const BEARER = /^Bearer +(\S+) *$/i;

export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async function requireApiKey(c, next) {
    const header = c.req.header('Authorization');
    const presented = header?.match(BEARER)?.[1];
    if (!(await apiKeyMatches(c.env.API_KEY, presented))) {
      const message = header === undefined ? 'this API needs a key: send Authorization: Bearer <key>' : 'the API key is missing or wrong (Authorization: Bearer <key>)';
      throw new ApiError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="edge-translator"' });
    }
    await next();
  };
}
