// Rate limiting with Cloudflare's rate-limiting binding (RATE_LIMITER, `[[ratelimits]]` in wrangler.toml): over the
// limit is 429 `rate_limited` with Retry-After. Each key has its own window: a request that presents a valid key is
// counted under the key's owner (./api-key.ts `admit`, after the key is checked), wherever it comes from; any other
// request under its client, the CF-Connecting-IP Cloudflare's edge sets (the `rateLimit` middleware, in front of every
// route). A request with an Authorization header is left to `admit`: a made-up key is counted under its client there,
// so it cannot mint fresh windows. LibreTranslate clients send their key in the body, which the middleware does not
// read: they are counted under both their client and their key.
// No binding (a deployment without [[ratelimits]]), RATE_LIMIT = "off" (`npm start`: a local user doing bulk work,
// an evaluation script, a document of hundreds of lines) or no CF-Connecting-IP (service bindings, tests) = no limiting.
// A failing binding lets the request through: the limiter guards capacity, its outage must not become ours.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

/** The binding's window (`simple.period` in wrangler.toml): the Retry-After of a 429, the longest a client waits. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const client = c.req.header('CF-Connecting-IP');
    if (client && c.req.header('Authorization') === undefined) await limitRequest(c, `ip:${client}`);
    await next();
  };
}

/** 429 when `key` (`ip:<client>`, `owner:<id>`) is over its window; nothing without a limiter. */
export async function limitRequest(c: Context<AppEnv>, key: string): Promise<void> {
  const limiter = c.env.RATE_LIMIT === 'off' ? undefined : c.env.RATE_LIMITER;
  if (!limiter || (await allowed(limiter, key))) return;
  const who = key.startsWith('owner:') ? 'this API key' : 'this client';
  throw new ApiError(429, 'rate_limited', `too many requests from ${who}; retry in ${RATE_LIMIT_PERIOD_SECONDS} s`, {
    'Retry-After': String(RATE_LIMIT_PERIOD_SECONDS),
  });
}

async function allowed(limiter: RateLimit, key: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch (err) {
    console.warn('rate limiter failed; request let through', err);
    return true;
  }
}
