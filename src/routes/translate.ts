// POST /translate {"text"} or {"texts": [...]} and GET /translate?text=... (cacheable).
// Every translation leases the live model from the store for exactly the time it runs, reports its stages in
// Server-Timing (tokenize, encode, decode; load when this request had to wait for a model) and releases it.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from '../app.js';
import { ApiError } from '../errors.js';
import type { Translator } from '../translator.js';
import { jsonBody } from './json-body.js';
import { BatchTranslation, ErrorResponse, LIMITS, SingleTranslation, TranslateBody, TranslateQuery } from './schemas.js';

export const translate = new OpenAPIHono<AppEnv>();

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorResponse } } },
  503: { description: 'No model can be served right now', content: { 'application/json': { schema: ErrorResponse } } },
};

translate.openapi(
  createRoute({
    method: 'post',
    path: '/',
    middleware: [jsonBody({ maxBytes: LIMITS.bodyBytes })],
    request: { body: { required: true, content: { 'application/json': { schema: TranslateBody } } } },
    responses: {
      200: {
        description: 'The translation of `text`, or of each of `texts` in order',
        content: { 'application/json': { schema: SingleTranslation.or(BatchTranslation) } },
      },
      ...errors,
      413: { description: 'Body too large', content: { 'application/json': { schema: ErrorResponse } } },
      415: { description: 'Body is not JSON', content: { 'application/json': { schema: ErrorResponse } } },
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const direction = directionOf(c, body.direction);
    const beam = body.beam ?? c.var.config.defaultBeam;
    if (body.texts) {
      const { translations, model } = await run(c, direction, undefined, body.texts.map(normalise), beam);
      return c.json({ translations, model }, 200);
    }
    // The schema guarantees `text` when `texts` is absent.
    const { translations, model } = await run(c, direction, undefined, [normalise(body.text ?? '')], beam);
    return c.json({ ...first(translations), model }, 200);
  },
);

translate.openapi(
  createRoute({
    method: 'get',
    path: '/',
    request: { query: TranslateQuery },
    responses: {
      200: { description: 'The translation of `text` (cacheable per model version)', content: { 'application/json': { schema: SingleTranslation } } },
      ...errors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const direction = directionOf(c, query.direction);
    const beam = query.beam ?? c.var.config.defaultBeam;
    const text = normalise(query.text);
    const version = await c.var.store.liveVersion(direction);
    const cacheControl = `public, max-age=${c.var.config.cacheMaxAgeSeconds}`;
    // The key names the model version, so a new upload never serves an old translation from this cache.
    const key = new Request(`https://translate.cache/${direction}/${version}?beam=${beam}&text=${encodeURIComponent(text)}`);
    const cache = await caches.open('translations');
    const hit = await cache.match(key);
    if (hit) {
      setMetric(c, 'cache', 'hit');
      return c.json(await hit.json<SingleTranslationBody>(), 200, { 'Cache-Control': cacheControl, 'X-Cache': 'HIT' });
    }
    const { translations, model } = await run(c, direction, version, [text], beam);
    const body: SingleTranslationBody = { ...first(translations), model };
    const stored = Response.json(body, { headers: { 'Cache-Control': cacheControl } });
    afterResponse(c, cache.put(key, stored));
    return c.json(body, 200, { 'Cache-Control': cacheControl, 'X-Cache': 'MISS' });
  },
);

type Translations = ReturnType<Translator['translate']>['translations'];
type SingleTranslationBody = Translations[number] & { model: string };

/** Translates with a leased model and records the stage timings; the lease is released whatever happens. */
async function run(c: Context<AppEnv>, direction: string, version: string | undefined, texts: string[], beam: number) {
  const lease = await c.var.store.lease(direction, version);
  try {
    if (lease.loadMs !== undefined) setMetric(c, 'load', lease.loadMs, 'model load');
    const { translations, timings } = lease.translator.translate(texts, { beam });
    setMetric(c, 'tokenize', timings.tokenizeMs, undefined, 2);
    setMetric(c, 'encode', timings.encodeMs, undefined, 2);
    setMetric(c, 'decode', timings.decodeMs, undefined, 2);
    return { translations: translations.map(pick), model: lease.translator.id };
  } finally {
    lease.release();
  }
}

// Only the documented fields, in a stable order, whatever else the translator returns.
const pick = ({ translation, tokens, score, unknownWords }: Translations[number]) => ({ translation, tokens, score, unknownWords });

function first<T>(items: T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error('the translator returned no translation');
  return item;
}

/** Collapses runs of whitespace and applies NFC, so equivalent inputs translate (and cache) identically. */
export const normalise = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The direction a request asked for, or the default; 400 if this deployment does not serve it. */
function directionOf(c: Context<AppEnv>, requested: string | undefined): string {
  const { directions } = c.var.config;
  if (requested === undefined) return directions[0] ?? 'en-ja';
  if (directions.includes(requested)) return requested;
  throw new ApiError(400, 'unsupported_direction', `direction "${requested}" is not served here; use one of: ${directions.join(', ')}`);
}

/** Work that may finish after the response (waitUntil when the runtime gives us a context). */
function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  const done = work.catch((err: unknown) => console.warn('cache put failed', err));
  try {
    c.executionCtx.waitUntil(done);
  } catch {
    // app.request() without an execution context: let it run on its own
  }
}
