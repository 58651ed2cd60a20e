// The HTTP API: one Hono app, sub-apps by concern (translate, health, models), one error handler.
// Run it with `npm start` (wrangler dev on 127.0.0.1:8787, R2 seeded from model-artifacts/).
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { timing } from 'hono/timing';
import { invalidRequest, methodNotAllowed as methodNotAllowedResponse, notFound, onError } from './errors.js';
import { ModelStore } from './store/model-store.js';
import { health } from './routes/health.js';
import { models } from './routes/models.js';
import { translate } from './routes/translate.js';

/** Bindings and vars of wrangler.toml; vars arrive as strings and are checked once by `readConfig`. */
export interface Env {
  MODELS: R2Bucket;
  DIRECTIONS?: string; // comma-separated directions served ("en-ja,ja-en"); "auto" picks among them, else the first
  DEFAULT_BEAM?: string; // beam width when a request gives none (1..10, default 4)
  POINTER_TTL_SECONDS?: string; // how often an isolate re-reads current/<direction>.json (default 5; 0 = every request)
  CACHE_MAX_AGE_SECONDS?: string; // Cache-Control max-age of GET /translate (default 300)
  API_KEY?: string; // a secret; when set, every API request must present it (src/auth.ts)
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

/** A new app with its own model store (one per isolate: src/index.ts creates it once). */
export function createApp(): OpenAPIHono<AppEnv> {
  let services: { config: Config; store: ModelStore } | undefined;
  const app = new OpenAPIHono<AppEnv>({
    // Validation hook of every route (sub-apps inherit it): a failed parse is a 400 naming the field.
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error);
    },
  });

  app.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type'],
      exposeHeaders: ['Server-Timing', 'X-Cache', 'Retry-After'],
      maxAge: 86400,
    }),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(timing({ crossOrigin: true, totalDescription: 'total' }));
  app.use(async (c, next) => {
    if (!services) {
      const config = readConfig(c.env);
      services = { config, store: new ModelStore({ bucket: c.env.MODELS, pointerTtlMs: config.pointerTtlMs }) };
    }
    c.set('config', services.config);
    c.set('store', services.store);
    await next();
  });

  app.route('/translate', translate);
  app.route('/health', health);
  app.route('/models', models);
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
