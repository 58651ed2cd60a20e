// The HTTP API: one Hono app, sub-apps by concern (translate, health, models, and the DeepL and LibreTranslate faces
// that existing clients speak), one error handler.
// Run it with `npm start` (wrangler dev on 127.0.0.1:8787, R2 seeded from model-artifacts/).
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { timing } from 'hono/timing';
import { invalidRequest, methodNotAllowed as methodNotAllowedResponse, notFound, onError } from './http/errors.js';
import { deeplKey, requireApiKey } from './http/api-key.js';
import { requestLimits } from './http/limits.js';
import { rateLimit } from './http/rate-limit.js';
import { LIMITS } from './http/schemas.js';
import { DictionaryStore } from './store/dictionary-store.js';
import { ModelStore } from './store/model-store.js';
import { readConfig, type Config } from './http/config.js';
import type { AppEnv } from './http/env.js';
import { deepl, deeplErrors } from './routes/deepl.js';
import { dictionary } from './routes/dictionary.js';
import { deeplDocuments } from './routes/deepl-documents.js';
import { deeplLanguages } from './routes/deepl-languages.js';
import { DOCUMENT_LIMITS, UPLOAD_PATHS } from './http/documents.js';
import { GLOSSARY_BODY_BYTES, GLOSSARY_PATHS, glossariesV2, glossariesV3 } from './routes/glossaries.js';
import { health } from './routes/health.js';
import { libreErrors, libretranslate } from './routes/libretranslate.js';
import { libretranslateFiles } from './routes/libretranslate-files.js';
import { modelFiles } from './routes/model-files.js';
import { models } from './routes/models.js';
import { openapi } from './routes/openapi.js';
import { page } from './routes/page.js';
import { translate } from './routes/translate.js';

/** Longest URL accepted (414 beyond): Cloudflare's own limit, and room for a 1000-character text percent-encoded. */
const MAX_URL_BYTES = 16 * 1024;

/** A new app with its own model store (one per isolate: src/index.ts creates it once). */
export function createApp(): OpenAPIHono<AppEnv> {
  let services: { config: Config; store: ModelStore; dictionary: DictionaryStore } | undefined;
  const app = new OpenAPIHono<AppEnv>({
    // Validation hook of every route (sub-apps inherit it): a failed parse is a 400 naming the field.
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error);
    },
  });

  // The client-compatible faces answer every error in their clients' shape, whichever middleware raised it.
  app.use('/v2/*', deeplErrors);
  app.use('/v3/*', deeplErrors);
  app.use('/libretranslate/*', libreErrors);
  app.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization'],
      exposeHeaders: [
        'Server-Timing',
        'X-Cache',
        'X-Model',
        'X-Model-Degraded',
        'X-Model-Partial',
        'Retry-After',
        'WWW-Authenticate',
      ],
      maxAge: 86400,
    }),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(timing({ crossOrigin: true, totalDescription: 'total' }));
  app.use(
    requestLimits({
      maxUrlBytes: MAX_URL_BYTES,
      maxBodyBytes: LIMITS.bodyBytes,
      largerBodies: [
        { paths: GLOSSARY_PATHS, maxBytes: GLOSSARY_BODY_BYTES },
        { paths: UPLOAD_PATHS, maxBytes: DOCUMENT_LIMITS.uploadBytes },
      ],
    }),
  );
  app.use(rateLimit());
  app.use(async (c, next) => {
    if (!services) {
      const config = readConfig(c.env);
      const stores = { bucket: c.env.MODELS, pointerTtlMs: config.pointerTtlMs };
      services = { config, store: new ModelStore(stores), dictionary: new DictionaryStore(stores) };
    }
    c.set('config', services.config);
    c.set('store', services.store);
    c.set('dictionary', services.dictionary);
    await next();
  });

  // The native routes take the key as a Bearer token; /health stays open for uptime checks (it reveals no text).
  for (const path of ['/translate', '/models', '/dictionary']) app.use(`${path}/*`, requireApiKey());
  for (const path of ['/v2', '/v3']) app.use(`${path}/*`, deeplKey()); // every DeepL endpoint wants the key, as DeepL's do
  app.route('/translate', translate);
  app.route('/health', health);
  app.route('/models', models);
  app.route('/dictionary', dictionary); // look-ups, and the live dictionary's files for the page: ./routes/dictionary.ts
  app.route('/v2', deepl); // DeepL API v2: ./routes/deepl.ts
  app.route('/v2', deeplLanguages); // its languages and usage: ./routes/deepl-languages.ts
  app.route('/v2', deeplDocuments); // DeepL's document API: ./routes/deepl-documents.ts
  app.route('/v2', glossariesV2); // DeepL's glossaries, v2 and v3: ./routes/glossaries.ts
  app.route('/v3', glossariesV3);
  app.route('/libretranslate', libretranslate); // LibreTranslate: ./routes/libretranslate.ts
  app.route('/libretranslate', libretranslateFiles); // its /translate_file: ./routes/libretranslate-files.ts
  app.route('/models', modelFiles); // the live model's files, for the page's offline mode
  app.route('/', page); // GET / (the translation page) and GET /docs
  app.route('/', openapi(app)); // GET /openapi.json: after every other route, which it describes
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
