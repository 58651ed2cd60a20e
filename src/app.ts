// The HTTP API: one Hono app, sub-apps by concern (translate, health, models, and the DeepL and LibreTranslate faces
// that existing clients speak), one error handler.
// Run it with `npm start` (wrangler dev on 127.0.0.1:8787, R2 seeded from model-artifacts/).
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { timing } from 'hono/timing';
import { invalidRequest, methodNotAllowed as methodNotAllowedResponse, notFound, onError } from './errors.js';
import { requireApiKey } from './middleware/auth.js';
import { requestLimits } from './middleware/limits.js';
import { rateLimit } from './middleware/rate-limit.js';
import { LIMITS } from './routes/schemas.js';
import { ModelStore } from './store/model-store.js';
import { deepl, deeplErrors } from './routes/deepl.js';
import { health } from './routes/health.js';
import { libreErrors, libretranslate } from './routes/libretranslate.js';
import { modelFiles } from './routes/model-files.js';
import { models } from './routes/models.js';
import { openapi } from './routes/openapi.js';
import { page } from './routes/page.js';
import { translate } from './routes/translate.js';

/** Bindings and vars of wrangler.toml; vars arrive as strings and are checked once by `readConfig`. */
export interface Env {
  MODELS: R2Bucket;
  DIRECTIONS?: string; // comma-separated directions served ("en-ja,ja-en"); "auto" picks among them, else the first
  DEFAULT_BEAM?: string; // beam width when a request gives none (1..10, default 4)
  POINTER_TTL_SECONDS?: string; // how often an isolate re-reads current/<direction>.json (default 5; 0 = every request)
  CACHE_MAX_AGE_SECONDS?: string; // Cache-Control max-age of GET /translate (default 300)
  API_KEY?: string; // a secret; when set, every API request must present it (src/auth.ts)
  RATE_LIMITER?: RateLimit; // [[ratelimits]] binding; absent = no rate limiting (src/middleware/rate-limit.ts)
}

export interface Config {
  directions: string[];
  defaultBeam: number;
  pointerTtlMs: number;
  cacheMaxAgeSeconds: number;
}

export type AppEnv = { Bindings: Env; Variables: { config: Config; store: ModelStore } };

export function readConfig(env: Env): Config {
  const directions = (env.DIRECTIONS ?? 'en-ja').split(',').map((d) => d.trim()).filter(Boolean);
  if (directions.length === 0) throw new Error('DIRECTIONS must name at least one direction');
  return {
    directions,
    defaultBeam: numberVar('DEFAULT_BEAM', env.DEFAULT_BEAM, 4, 1, 10),
    pointerTtlMs: numberVar('POINTER_TTL_SECONDS', env.POINTER_TTL_SECONDS, 5, 0, 3600) * 1000,
    cacheMaxAgeSeconds: numberVar('CACHE_MAX_AGE_SECONDS', env.CACHE_MAX_AGE_SECONDS, 300, 0, 31_536_000),
  };
}

function numberVar(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Longest URL accepted (414 beyond): Cloudflare's own limit, and room for a 1000-character text percent-encoded. */
const MAX_URL_BYTES = 16 * 1024;

/** Window of the RATE_LIMITER binding (`simple.period` in wrangler.toml): the Retry-After of a 429. */
const RATE_LIMIT_PERIOD_SECONDS = 10;

/** A new app with its own model store (one per isolate: src/index.ts creates it once). */
export function createApp(): OpenAPIHono<AppEnv> {
  let services: { config: Config; store: ModelStore } | undefined;
  const app = new OpenAPIHono<AppEnv>({
    // Validation hook of every route (sub-apps inherit it): a failed parse is a 400 naming the field.
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error);
    },
  });

  // The client-compatible faces answer every error in their clients' shape, whichever middleware raised it.
  app.use('/v2/*', deeplErrors);
  app.use('/libretranslate/*', libreErrors);
  app.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization'],
      exposeHeaders: ['Server-Timing', 'X-Cache', 'Retry-After', 'WWW-Authenticate'],
      maxAge: 86400,
    }),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(timing({ crossOrigin: true, totalDescription: 'total' }));
  app.use(requestLimits({ maxUrlBytes: MAX_URL_BYTES, maxBodyBytes: LIMITS.bodyBytes }));
  app.use(rateLimit({ retryAfterSeconds: RATE_LIMIT_PERIOD_SECONDS }));
  app.use(async (c, next) => {
    if (!services) {
      const config = readConfig(c.env);
      services = { config, store: new ModelStore({ bucket: c.env.MODELS, pointerTtlMs: config.pointerTtlMs }) };
    }
    c.set('config', services.config);
    c.set('store', services.store);
    await next();
  });

  // The native routes take the key as a Bearer token; /health stays open for uptime checks (it reveals no text).
  for (const path of ['/translate', '/models']) app.use(`${path}/*`, requireApiKey());
  app.route('/translate', translate);
  app.route('/health', health);
  app.route('/models', models);
  app.route('/v2', deepl); // DeepL API v2: ./routes/deepl.ts
  app.route('/libretranslate', libretranslate); // LibreTranslate: ./routes/libretranslate.ts
  app.route('/models', modelFiles); // the live model's files, for the page's offline mode
  app.route('/', page); // GET / (the translation page) and GET /docs
  app.route('/', openapi(app)); // GET /openapi.json: after every other route, which it describes
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
