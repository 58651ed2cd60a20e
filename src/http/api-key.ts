// The optional API key. When the Worker secret API_KEY is set (`npx wrangler secret put API_KEY`), every API face
// asks for it in its own way (native: `Authorization: Bearer <key>`, `requireApiKey` below, mounted per native route
// in ../app.ts; DeepL: `Authorization: DeepL-Auth-Key <key>`; LibreTranslate: `api_key`) and checks it with
// `apiKeyMatches`, in constant time: both sides are hashed first, so neither the length nor a matching prefix of the
// key shows in the timing.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { LOCAL_OWNER, setOwner } from './owner.js';

/** True when no key is configured, or when `presented` is the configured key. */
export async function apiKeyMatches(expected: string | undefined, presented: string | undefined): Promise<boolean> {
  if (!expected) return true;
  if (presented === undefined) return false;
  const [a, b] = await Promise.all([digest(expected), digest(presented)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0); // no early exit
  return difference === 0;
}

const digest = async (text: string): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

const BEARER = /^Bearer +(\S+) *$/i;

export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async function requireApiKey(c, next) {
    const header = c.req.header('Authorization');
    const presented = header?.match(BEARER)?.[1];
    if (!(await apiKeyMatches(c.env.API_KEY, presented))) {
      const message = header === undefined ? 'this API needs a key: send Authorization: Bearer <key>' : 'the API key is missing or wrong (Authorization: Bearer <key>)';
      throw new ApiError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="edge-translator"' });
    }
    setOwner(c, LOCAL_OWNER);
    await next();
  };
}
