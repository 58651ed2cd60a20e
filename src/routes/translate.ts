// POST /translate {"text"} or {"texts": [...]} and GET /translate?text=... (cacheable). The work is done by
// ../translation.ts, shared with every other API face. This face replaces a target <unk> by the most-attended
// source word unless asked not to (`replaceUnknown: false`); GET always does.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from '../http/env.js';
import { AUTO, chooseDirection } from '../core/language.js';
import { normalizeText, type TranslationResult } from '../core/result.js';
import { translateTexts } from '../http/translate-texts.js';
import { jsonBody } from '../http/body.js';
import { BatchTranslation, ErrorResponse, SingleTranslation, TranslateBody, TranslateQuery } from '../http/schemas.js';

export const translate = new OpenAPIHono<AppEnv>();

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorResponse } } },
  503: { description: 'No model can be served right now for the direction', content: { 'application/json': { schema: ErrorResponse } } },
};

translate.openapi(
  createRoute({
    method: 'post',
    path: '/',
    middleware: [jsonBody()],
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
    const { text, texts, beam = c.var.config.defaultBeam, replaceUnknown = true, ...options } = c.req.valid('json');
    // The schema guarantees exactly one of `text` and `texts`.
    const translations = await translateTexts(c, texts ?? [text ?? ''], { ...options, beam, replaceUnknown });
    return texts ? c.json({ translations }, 200) : c.json(first(translations), 200);
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
    const beam = query.beam ?? c.var.config.defaultBeam;
    const text = normalizeText(query.text);
    const { direction } = chooseDirection(query.direction, text, c.var.config.directions);
    const version = await c.var.store.liveVersion(direction);
    const cacheControl = `public, max-age=${c.var.config.cacheMaxAgeSeconds}`;
    // The key names the model version, so a new upload never serves an old translation from this cache.
    const key = new Request(`https://translate.cache/${direction}/${version}?requested=${query.direction ?? AUTO}&beam=${beam}&text=${encodeURIComponent(text)}`);
    const cache = await caches.open('translations');
    const hit = await cache.match(key);
    if (hit) {
      setMetric(c, 'cache', 'hit');
      return c.json(await hit.json<TranslationResult>(), 200, { 'Cache-Control': cacheControl, 'X-Cache': 'HIT' });
    }
    const body = first(await translateTexts(c, [text], { direction: query.direction, beam, version, replaceUnknown: true }));
    afterResponse(c, cache.put(key, Response.json(body, { headers: { 'Cache-Control': cacheControl } })));
    return c.json(body, 200, { 'Cache-Control': cacheControl, 'X-Cache': 'MISS' });
  },
);

function first<T>(items: T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error('the translator returned no translation');
  return item;
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
