// The DeepL API v2 face, mounted at /v2: POST /v2/translate, GET|POST /v2/languages, GET|POST /v2/usage, so DeepL
// clients (the official deepl-node with `serverUrl`, SDKs, browser extensions) work against this Worker unchanged.
// Requests become ../translation.ts calls like the native face's, with the deployment's default beam; errors are
// DeepL's `{"message": "..."}` (deeplErrors, mounted in ../app.ts in front of every other middleware). Each route is
// documented in GET /openapi.json with the schemas it validates with (serveDocumented).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { apiKeyMatches } from '../http/api-key.js';
import { sourceLanguage } from '../core/language.js';
import { ApiError } from '../http/errors.js';
import { SourceLanguage, TargetLanguage, directionFor, languagesOf, liveDirections } from '../http/languages.js';
import { translateTexts } from '../http/translate-texts.js';
import { errorResponses, faceErrors } from '../http/face-errors.js';
import { asArray, fieldsBody, parseFields, readFields, serveDocumented } from '../http/fields.js';
import { Texts } from '../http/schemas.js';

export const deepl = new OpenAPIHono<AppEnv>();

/** The tag of these operations in GET /openapi.json (/docs groups by it). */
export const DEEPL_TAG = {
  name: 'DeepL API v2',
  description:
    'For DeepL clients: the key as `Authorization: DeepL-Auth-Key <key>` when the deployment has an API_KEY; errors are `{"message": "..."}`.',
};

const DeepLError = z
  .object({ message: z.string() })
  .openapi('DeepLError', { example: { message: 'target_lang: must be a language code such as "en", "JA" or "EN-US"' } });

export const deeplErrors = faceErrors(({ message }) => ({ message }) satisfies z.input<typeof DeepLError>);

const FORBIDDEN = 'The deployment has an API_KEY and the request does not present it as `Authorization: DeepL-Auth-Key <key>`';

const AUTHORIZATION = /^DeepL-Auth-Key +(\S+) *$/i;

// Every DeepL endpoint wants the key, as DeepL's own do; without a configured API_KEY any key (or none) passes.
deepl.use(async (c, next) => {
  const presented = c.req.header('Authorization')?.match(AUTHORIZATION)?.[1];
  if (!(await apiKeyMatches(c.env.API_KEY, presented))) {
    throw new ApiError(403, 'forbidden', 'Authorization failure: send the key as "Authorization: DeepL-Auth-Key <key>"');
  }
  await next();
});

// DeepL's other parameters (formality, split_sentences, preserve_formatting, context, ...) only tune the style of
// its own models and are ignored; markup handling is refused rather than translated as if it were prose.
const TranslateFields = z
  .object({
    text: z.preprocess(asArray, Texts).openapi({ description: 'The texts, translated in order: a form repeats the field; JSON gives an array (or one string).' }),
    source_lang: SourceLanguage.optional(),
    target_lang: TargetLanguage,
    tag_handling: z
      .undefined({ error: 'is not supported: this service translates plain text only' })
      .optional()
      .openapi({ type: 'string', not: {}, description: 'Refused (400): only plain text is translated.' }),
  })
  .openapi('DeepLTranslateRequest');

const Translations = z
  .object({
    translations: z.array(
      z.object({
        detected_source_language: z.string().openapi({ description: 'The source language of the model that translated the text.', example: 'EN' }),
        text: z.string().openapi({ example: '私は緑茶が好きです。' }),
      }),
    ),
  })
  .openapi('DeepLTranslations');

serveDocumented(
  deepl,
  {
    method: 'post',
    path: '/translate',
    tags: [DEEPL_TAG.name],
    summary: 'Translate texts',
    request: { body: fieldsBody(TranslateFields, true) },
    responses: {
      200: { description: 'The translation of each text, in order', content: { 'application/json': { schema: Translations } } },
      ...errorResponses(DeepLError, {
        400: 'A field is invalid (the message names it), the language pair is not served, or the body is not JSON',
        403: FORBIDDEN,
        413: 'The body is over 256 KiB',
        415: 'The body is neither JSON, form-encoded nor multipart',
        503: "The direction's model cannot be loaded right now (Retry-After)",
      }),
    },
  },
  async (c) => {
    const fields = parseFields(TranslateFields, await readFields(c));
    const direction = directionFor(fields.source_lang, fields.target_lang, fields.text, c.var.config.directions);
    const results = await translateTexts(c, fields.text, { direction, beam: c.var.config.defaultBeam });
    const detected = sourceLanguage(direction).toUpperCase();
    const translations = results.map(({ translation }) => ({ detected_source_language: detected, text: translation }));
    return c.json({ translations } satisfies z.input<typeof Translations>);
  },
);

// DeepL names English targets by variant only, and its clients refuse a bare "EN" target; one model serves both.
const TARGET_VARIANTS: Record<string, { language: string; name: string }[]> = {
  en: [
    { language: 'EN-GB', name: 'English (British)' },
    { language: 'EN-US', name: 'English (American)' },
  ],
};

const LanguagesFields = z.object({
  type: z
    .enum(['source', 'target'], { error: 'must be "source" or "target"' })
    .default('source')
    .openapi({ description: 'The languages translated from, or into.' }),
});

const Languages = z
  .array(
    z.object({
      language: z.string().openapi({ example: 'EN-GB' }),
      name: z.string().openapi({ example: 'English (British)' }),
      supports_formality: z.boolean().optional().openapi({ description: 'Targets only: always false.' }),
    }),
  )
  .openapi('DeepLLanguages');

const listLanguages: Handler<AppEnv> = async (c) => {
  const { type } = parseFields(LanguagesFields, await readFields(c));
  const languages = languagesOf(await liveDirections(c));
  if (type === 'source') {
    const sources = languages.filter((l) => l.targets.length > 0).map((l) => ({ language: l.code.toUpperCase(), name: l.name }));
    return c.json(sources satisfies z.input<typeof Languages>);
  }
  const targets = new Set(languages.flatMap((l) => l.targets));
  return c.json(
    languages
      .filter((l) => targets.has(l.code))
      .flatMap((l) => TARGET_VARIANTS[l.code] ?? [{ language: l.code.toUpperCase(), name: l.name }])
      .map((l) => ({ ...l, supports_formality: false })) satisfies z.input<typeof Languages>,
  );
};

const languagesRoute = {
  path: '/languages',
  tags: [DEEPL_TAG.name],
  summary: 'The languages of the live models',
  responses: {
    200: { description: 'English targets as EN-GB and EN-US (one model serves both)', content: { 'application/json': { schema: Languages } } },
    ...errorResponses(DeepLError, { 400: '`type` is neither "source" nor "target"', 403: FORBIDDEN }),
  },
};
serveDocumented(deepl, { ...languagesRoute, method: 'get', request: { query: LanguagesFields } }, listLanguages);
serveDocumented(deepl, { ...languagesRoute, method: 'post', request: { body: fieldsBody(LanguagesFields, false) } }, listLanguages);

// Nothing is metered here: report no use against the limit DeepL gives accounts without one.
const UNLIMITED = 1_000_000_000_000;

const Usage = z.object({ character_count: z.number().int(), character_limit: z.number().int() }).openapi('DeepLUsage');

const usageRoute = {
  path: '/usage',
  tags: [DEEPL_TAG.name],
  summary: 'Characters used and the limit: nothing is metered',
  responses: {
    200: { description: 'No use against an unreachable limit', content: { 'application/json': { schema: Usage } } },
    ...errorResponses(DeepLError, { 403: FORBIDDEN }),
  },
};
for (const method of ['get', 'post'] as const) {
  serveDocumented(deepl, { ...usageRoute, method }, (c) => c.json({ character_count: 0, character_limit: UNLIMITED } satisfies z.input<typeof Usage>));
}
