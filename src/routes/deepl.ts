// The DeepL API v2 face, mounted at /v2: POST /v2/translate, GET|POST /v2/languages, GET|POST /v2/usage, so DeepL
// clients (the official deepl-node with `serverUrl`, SDKs, browser extensions) work against this Worker unchanged.
// Requests become ../translation.ts calls like the native face's, with the deployment's default beam; errors are
// DeepL's `{"message": "..."}` (deeplErrors, mounted in ../app.ts in front of every other middleware).
import { z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { apiKeyMatches } from '../auth.js';
import { sourceLanguage } from '../direction.js';
import { ApiError } from '../errors.js';
import { SourceLanguage, TargetLanguage, directionFor, languagesOf, liveDirections } from '../languages.js';
import { translateTexts } from '../translation.js';
import { faceErrors } from './face-errors.js';
import { asArray, parseFields, readFields } from './fields.js';
import { LIMITS, Texts } from './schemas.js';

export const deepl = new Hono<AppEnv>();

export const deeplErrors = faceErrors(({ message }) => ({ message }));

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
const TranslateFields = z.object({
  text: z.preprocess(asArray, Texts),
  source_lang: SourceLanguage.optional(),
  target_lang: TargetLanguage,
  tag_handling: z.undefined({ error: 'is not supported: this service translates plain text only' }).optional(),
});

deepl.post('/translate', async (c) => {
  const fields = parseFields(TranslateFields, await readFields(c, LIMITS.bodyBytes));
  const direction = directionFor(fields.source_lang, fields.target_lang, fields.text, c.var.config.directions);
  const results = await translateTexts(c, fields.text, { direction, beam: c.var.config.defaultBeam });
  const detected = sourceLanguage(direction).toUpperCase();
  return c.json({ translations: results.map(({ translation }) => ({ detected_source_language: detected, text: translation })) });
});

// DeepL names English targets by variant only, and its clients refuse a bare "EN" target; one model serves both.
const TARGET_VARIANTS: Record<string, { language: string; name: string }[]> = {
  en: [
    { language: 'EN-GB', name: 'English (British)' },
    { language: 'EN-US', name: 'English (American)' },
  ],
};

const LanguagesFields = z.object({
  type: z.enum(['source', 'target'], { error: 'must be "source" or "target"' }).default('source'),
});

deepl.on(['GET', 'POST'], '/languages', async (c) => {
  const { type } = parseFields(LanguagesFields, await readFields(c, LIMITS.bodyBytes));
  const languages = languagesOf(await liveDirections(c));
  if (type === 'source') {
    return c.json(languages.filter((l) => l.targets.length > 0).map((l) => ({ language: l.code.toUpperCase(), name: l.name })));
  }
  const targets = new Set(languages.flatMap((l) => l.targets));
  return c.json(
    languages
      .filter((l) => targets.has(l.code))
      .flatMap((l) => TARGET_VARIANTS[l.code] ?? [{ language: l.code.toUpperCase(), name: l.name }])
      .map((l) => ({ ...l, supports_formality: false })),
  );
});

// Nothing is metered here: report no use against the limit DeepL gives accounts without one.
const UNLIMITED = 1_000_000_000_000;

deepl.on(['GET', 'POST'], '/usage', (c) => c.json({ character_count: 0, character_limit: UNLIMITED }));
