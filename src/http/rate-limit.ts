// Per-client rate limiting with Cloudflare's rate-limiting binding (RATE_LIMITER, `[[ratelimits]]` in wrangler.toml):
// over the limit is 429 `rate_limited` with Retry-After. The client is its CF-Connecting-IP, which Cloudflare's edge
// sets on every request. A presented API key is not used as the key: it is not verified at this point (each API face
// checks its own), so a client could mint fresh counters by sending made-up keys.
// No binding (a deployment without [[ratelimits]]), RATE_LIMIT = "off" (`npm start`: a local user doing bulk work,
// an evaluation script, a document of hundreds of lines) or no CF-Connecting-IP (service bindings, tests) = no limiting.
// A failing binding lets the request through: the limiter guards capacity, its outage must not become ours.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

export interface RateLimitOptions {
  /** Retry-After of a 429: the binding's window (`simple.period` in wrangler.toml), the longest a client waits. */
  retryAfterSeconds: number;
}

export function rateLimit({ retryAfterSeconds }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limiter = c.env.RATE_LIMIT === 'off' ? undefined : c.env.RATE_LIMITER;
    const client = c.req.header('CF-Connecting-IP');
    if (limiter && client && !(await allowed(limiter, client))) {
      throw new ApiError(429, 'rate_limited', `too many requests from this client; retry in ${retryAfterSeconds} s`, {
        'Retry-After': String(retryAfterSeconds),
      });
    }
    await next();
  };
}

async function allowed(limiter: RateLimit, client: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key: `ip:${client}` })).success;
  } catch (err) {
    console.warn('rate limiter failed; request let through', err);
    return true;
  }
}
