// The LibreTranslate face, mounted at /libretranslate: POST /libretranslate/translate and GET /libretranslate/languages,
// so LibreTranslate clients work with this Worker's URL + "/libretranslate" as their server. A prefix rather than the
// root: the native POST /translate rejects unknown fields (so a typo never passes silently) and answers errors in its
// own shape, which telling bodies apart by their fields would have to give up. Requests become ../translation.ts calls
// like the native face's, with the deployment's default beam; errors are `{"error": "..."}` (libreErrors, ../app.ts).
// Each route is documented in GET /openapi.json with the schemas it validates with (serveDocumented).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { apiKeyMatches } from '../http/api-key.js';
import { sourceLanguage } from '../core/language.js';
import { ApiError } from '../http/errors.js';
import { SourceLanguage, TargetLanguage, directionFor, languagesOf, liveDirections } from '../http/languages.js';
import { translateTexts } from '../http/translate-texts.js';
import { errorResponses, faceErrors } from '../http/face-errors.js';
import { asArray, fieldsBody, parseFields, readFields, serveDocumented } from '../http/fields.js';
import { Texts } from '../http/schemas.js';

export const libretranslate = new OpenAPIHono<AppEnv>();

/** The tag of these operations in GET /openapi.json (/docs groups by it). */
export const LIBRETRANSLATE_TAG = {
  name: 'LibreTranslate',
  description:
    'For LibreTranslate clients, with `<this server>/libretranslate` as their server: the key as `api_key` when the deployment has one; errors are `{"error": "..."}`.',
};

const LibreError = z.object({ error: z.string() }).openapi('LibreTranslateError', { example: { error: 'Invalid API key' } });

export const libreErrors = faceErrors(({ message }) => ({ error: message }) satisfies z.input<typeof LibreError>);

// Other LibreTranslate parameters (alternatives, ...) are ignored, as LibreTranslate ignores what it does not know.
const TranslateFields = z
  .object({
    q: z.preprocess(asArray, Texts).openapi({ description: 'One text (a string), or an array of texts translated in order.' }),
    source: SourceLanguage.optional(),
    target: TargetLanguage,
    format: z.literal('text', { error: 'only "text" is supported (this service does not translate HTML)' }).optional(),
    api_key: z.string().optional().openapi({ description: 'The key, when the deployment has an API_KEY; checked before any other field.' }),
  })
  .openapi('LibreTranslateRequest');

const DetectedLanguage = z.object({
  language: z.string().openapi({ example: 'en' }),
  confidence: z.number().openapi({ description: '100, or 0 for a text (of a batch) whose script is not the language translated from.' }),
});

const Translation = z
  .object({
    translatedText: z.string().or(z.array(z.string())).openapi({ description: 'In kind with `q`: a string, or an array in order.' }),
    detectedLanguage: DetectedLanguage.or(z.array(DetectedLanguage))
      .optional()
      .openapi({ description: 'Without a source (or with "auto"): the language of the model that read each text, in kind with `q`.' }),
  })
  .openapi('LibreTranslateTranslation');

serveDocumented(
  libretranslate,
  {
    method: 'post',
    path: '/translate',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'Translate a text or texts',
    request: { body: fieldsBody(TranslateFields, true) },
    responses: {
      200: { description: 'The translation, in kind with `q`', content: { 'application/json': { schema: Translation } } },
      ...errorResponses(LibreError, {
        400: 'A field is invalid (the message names it), the language pair is not served, or the body is not JSON',
        403: '"Invalid API key": the deployment has an API_KEY and `api_key` is not it',
        413: 'The body is over 256 KiB',
        415: 'The body is neither JSON, form-encoded nor multipart',
        503: "The direction's model cannot be loaded right now (Retry-After)",
      }),
    },
  },
  async (c) => {
    const fields = await readFields(c);
    // The key is checked before anything else is read, so a client without it learns nothing about the request.
    if (!(await apiKeyMatches(c.env.API_KEY, typeof fields.api_key === 'string' ? fields.api_key : undefined))) {
      throw new ApiError(403, 'forbidden', 'Invalid API key');
    }
    const { q, source, target } = parseFields(TranslateFields, fields);
    const direction = directionFor(source, target, q, c.var.config.directions);
    const results = await translateTexts(c, q, { direction, beam: c.var.config.defaultBeam });
    const translatedText = results.map((r) => r.translation);
    // Detection reads the script: certain when the text's script is the language translated from, wrong otherwise
    // (then translateTexts warned).
    const detectedLanguage = results.map((r) => ({ language: sourceLanguage(direction), confidence: r.warnings ? 0 : 100 }));
    const single = !Array.isArray(fields.q);
    return c.json({
      translatedText: single ? translatedText[0] : translatedText,
      ...(source === undefined && { detectedLanguage: single ? detectedLanguage[0] : detectedLanguage }),
    } satisfies z.input<typeof Translation>);
  },
);

const Languages = z
  .array(
    z.object({
      code: z.string().openapi({ example: 'en' }),
      name: z.string().openapi({ example: 'English' }),
      targets: z.array(z.string()).openapi({ description: 'The languages it translates into.', example: ['ja'] }),
    }),
  )
  .openapi('LibreTranslateLanguages');

serveDocumented(
  libretranslate,
  {
    method: 'get',
    path: '/languages',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'The languages of the live models',
    responses: {
      200: { description: 'Each language with the languages it translates into', content: { 'application/json': { schema: Languages } } },
      ...errorResponses(LibreError, {}),
    },
  },
  async (c) => c.json(languagesOf(await liveDirections(c)) satisfies z.input<typeof Languages>),
);
