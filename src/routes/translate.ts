// POST /translate {"text"} or {"texts": [...]} and GET /translate?text=... (cacheable). The work is done by
// ../http/translate-texts.ts, shared with every other API face. This face replaces a target <unk> by the most-attended
// source word unless asked not to (`replaceUnknown: false`); GET always does. `rerank: true` reranks the beam with the other direction (REVERSE_WEIGHT).
// `glossary` applies a stored glossary (its id) or inline terms (../http/glossary.ts); the response's `glossaryTerms` lists those applied.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from '../http/env.js';
import type { DocumentTranslation } from '../core/document/translate-documents.js';
import { AUTO } from '../core/language.js';
import { modelId } from '../core/layout.js';
import { REVERSE_WEIGHT } from '../core/translation.js';
import { translateTexts } from '../http/translate-texts.js';
import { inlineGlossary, namedGlossary, type GlossaryTerms, type NamedGlossary } from '../http/glossary.js';
import { jsonBody } from '../http/body.js';
import { BatchTranslation, ErrorResponse, SingleTranslation, TranslateBody, TranslateQuery } from '../http/schemas.js';

export const translate = new OpenAPIHono<AppEnv>();

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorResponse } } },
  503: {
    description: 'No model can be served right now for the direction',
    content: { 'application/json': { schema: ErrorResponse } },
  },
};

translate.openapi(
  createRoute({
    method: 'post',
    path: '/',
    summary: 'Translate a text or texts',
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
    const {
      text,
      texts,
      beam = c.var.config.defaultBeam,
      replaceUnknown = true,
      rerank = false,
      direction,
      format = 'text',
      ...rest
    } = c.req.valid('json');
    const { ignoreTags, splittingTags, nonSplittingTags, outlineDetection, glossary: named, ...options } = rest;
    const markup =
      format === 'text' ? undefined : { mode: format, ignoreTags, splittingTags, nonSplittingTags, outlineDetection };
    // The schema guarantees exactly one of `text` and `texts`.
    const requests = (texts ?? [text ?? '']).map((t) => ({ text: t, direction }));
    const glossary = named === undefined ? undefined : glossaryOf(c, named, direction);
    const translations = await translateTexts(c, requests, {
      ...options,
      beam,
      replaceUnknown,
      markup,
      glossary,
      reverseWeight: rerank ? REVERSE_WEIGHT : 0,
    });
    return texts ? c.json({ translations }, 200) : c.json(first(translations), 200);
  },
);

translate.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'Translate a text (cacheable)',
    request: { query: TranslateQuery },
    responses: {
      200: {
        description: 'The translation of `text` (cacheable per model version)',
        content: { 'application/json': { schema: SingleTranslation } },
      },
      ...errors,
    },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const beam = query.beam ?? c.var.config.defaultBeam;
    const text = query.text.normalize('NFC');
    // Every live direction's version is in the key ("auto" may send each sentence its own way), so a new
    // upload never serves an old translation from this cache.
    const live = await Promise.allSettled(
      c.var.config.directions.map(async (d) => [d, await c.var.store.liveVersion(d)] as const),
    );
    // A direction without a live model is left out: a sentence that needs it answers 503 when it asks for it.
    const versions = Object.fromEntries(live.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    const cacheControl = `public, max-age=${c.var.config.cacheMaxAgeSeconds}`;
    const models = Object.entries(versions)
      .map(([d, v]) => modelId(d, v))
      .join(',');
    const key = new Request(
      `https://translate.cache/${encodeURIComponent(models)}?requested=${query.direction ?? AUTO}&beam=${beam}&text=${encodeURIComponent(text)}`,
    );
    const cache = await caches.open('translations');
    const hit = await cache.match(key);
    if (hit) {
      setMetric(c, 'cache', 'hit');
      const cached = await hit.json<DocumentTranslation>();
      return c.json(cached, 200, { 'Cache-Control': cacheControl, 'X-Cache': 'HIT', 'X-Model': cached.model });
    }
    const body = first(
      await translateTexts(c, [{ text, direction: query.direction }], { beam, versions, replaceUnknown: true }),
    );
    // A fallback's answer (X-Model-Degraded) or an ensemble's first model's (X-Model-Partial) is not kept: once the
    // live version or the whole ensemble is loaded, it answers.
    if (!c.res.headers.has('X-Model-Degraded') && !c.res.headers.has('X-Model-Partial'))
      afterResponse(c, cache.put(key, Response.json(body, { headers: { 'Cache-Control': cacheControl } })));
    return c.json(body, 200, { 'Cache-Control': cacheControl, 'X-Cache': 'MISS' });
  },
);

/** A stored glossary's dictionary of the direction asked for (400 without one), or with "auto" of each it has; or inline terms. */
function glossaryOf(
  c: Context<AppEnv>,
  glossary: string | { terms: Record<string, string> },
  direction: string | undefined,
): GlossaryTerms | NamedGlossary {
  if (typeof glossary !== 'string') return inlineGlossary(glossary.terms);
  const explicit = direction !== undefined && direction !== AUTO;
  return namedGlossary(glossary, explicit ? [direction] : c.var.config.directions, explicit);
}

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
