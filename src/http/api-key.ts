// Who may use the API, and as whom. Three kinds of credential:
// - the API_KEY secret (`npx wrangler secret put API_KEY`): the operator's key; its owner is LOCAL_OWNER (./owner.ts);
// - keys made with `npm run keys -- add`, stored hashed in D1 (../store/keys.ts): each is its own owner, with its own
//   glossaries, usage and rate limit;
// - none: a deployment with neither the secret nor any key (ever made) serves every request as LOCAL_OWNER.
// Each API face asks for the key in its own way (native: `Authorization: Bearer <key>`, `requireApiKey` below, mounted
// per native route in ../app.ts; DeepL: `Authorization: DeepL-Auth-Key <key>`, `deeplKey`; LibreTranslate: `api_key`)
// and calls `admit`, which records the request's owner and applies the rate limit of the key it presented
// (./rate-limit.ts). The secret is compared in constant time: both sides are hashed first, so neither the length nor a
// matching prefix of the key shows in the timing; D1 keys are looked up by their hash.
import type { Context, MiddlewareHandler } from 'hono';
import { keyOwner, keysConfigured } from '../store/keys.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { LOCAL_OWNER, setOwner } from './owner.js';
import { limitRequest } from './rate-limit.js';

/** True when `presented` is the configured secret (false when there is none). */
export async function secretMatches(expected: string | undefined, presented: string | undefined): Promise<boolean> {
  if (!expected || presented === undefined) return false;
  const [a, b] = await Promise.all([digest(expected), digest(presented)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0); // no early exit
  return difference === 0;
}

const digest = async (text: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/**
 * Admits the request as the owner of the key it presents (or as LOCAL_OWNER on a deployment without keys), after the
 * rate limit of that key; false when it may not pass: the face answers in its own words.
 */
export async function admit(c: Context<AppEnv>, presented: string | undefined): Promise<boolean> {
  const owner = await presentedOwner(c, presented);
  if (owner !== undefined) {
    await limitRequest(c, `owner:${owner}`); // each key its own window, wherever its requests come from
    setOwner(c, owner);
    return true;
  }
  if (c.req.header('Authorization') !== undefined) await ipLimit(c); // a wrong key costs its client's window
  if (await anyKeyConfigured(c)) return false;
  setOwner(c, LOCAL_OWNER);
  return true;
}

async function presentedOwner(c: Context<AppEnv>, presented: string | undefined): Promise<string | undefined> {
  if (presented === undefined) return undefined;
  if (await secretMatches(c.env.API_KEY, presented)) return LOCAL_OWNER;
  return keyOwner(c.env.DB, presented);
}

const anyKeyConfigured = async (c: Context<AppEnv>): Promise<boolean> =>
  !!c.env.API_KEY || (await keysConfigured(c.env.DB));

async function ipLimit(c: Context<AppEnv>): Promise<void> {
  const client = c.req.header('CF-Connecting-IP');
  if (client) await limitRequest(c, `ip:${client}`);
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The native face's check: `Authorization: Bearer <key>`, else 401 with WWW-Authenticate. */
export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async function requireApiKey(c, next) {
    const header = c.req.header('Authorization');
    if (!(await admit(c, header?.match(BEARER)?.[1]))) {
      const message =
        header === undefined
          ? 'this API needs a key: send Authorization: Bearer <key>'
          : 'the API key is missing or wrong (Authorization: Bearer <key>)';
      throw new ApiError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="edge-translator"' });
    }
    await next();
  };
}

const DEEPL_AUTHORIZATION = /^DeepL-Auth-Key +(\S+) *$/i;

/** The DeepL face's check (/v2 and /v3): `Authorization: DeepL-Auth-Key <key>`, else DeepL's 403. */
export function deeplKey(): MiddlewareHandler<AppEnv> {
  return async function deeplKey(c, next) {
    if (!(await admit(c, c.req.header('Authorization')?.match(DEEPL_AUTHORIZATION)?.[1]))) {
      throw new ApiError(
        403,
        'forbidden',
        'Authorization failure: send the key as "Authorization: DeepL-Auth-Key <key>"',
      );
    }
    await next();
  };
}
