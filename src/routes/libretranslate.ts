// The LibreTranslate face, mounted at /libretranslate: POST /libretranslate/translate and GET /libretranslate/languages,
// so LibreTranslate clients work with this Worker's URL + "/libretranslate" as their server. A prefix rather than the
// root: the native POST /translate rejects unknown fields (so a typo never passes silently) and answers errors in its
// own shape, which telling bodies apart by their fields would have to give up. Requests become ../http/translate-texts.ts
// calls like the native face's, with the deployment's default beam; errors are `{"error": "..."}` (libreErrors,
// ../app.ts). Each route is documented in GET /openapi.json with the schemas it validates with (serveDocumented).
//
// As LibreTranslate does (LibreTranslate/LibreTranslate libretranslate/app.py): with source "auto" each text of a
// batch is detected on its own and `detectedLanguage` says each one's; a text already in the target language comes
// back as written (Argos's identity translation); `format: "html"` translates the text of the markup and keeps its
// tags (../core/document/translate-markup.ts); HTML that is not well-formed is read as a browser reads it.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { admit } from '../http/api-key.js';
import type { DocumentTranslation } from '../core/document/translate-documents.js';
import { ApiError } from '../http/errors.js';
import {
  SourceLanguage,
  TargetLanguage,
  languagesOf,
  liveDirections,
  routeTexts,
  unservedPair,
} from '../http/languages.js';
import { TRANSLATE_ERRORS, translateRouted } from '../http/translate-texts.js';
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

export const LibreError = z
  .object({ error: z.string() })
  .openapi('LibreTranslateError', { example: { error: 'Invalid API key' } });

export const libreErrors = faceErrors(({ message }) => ({ error: message }) satisfies z.input<typeof LibreError>);

// Other LibreTranslate parameters (alternatives, ...) are ignored, as LibreTranslate ignores what it does not know.
const TranslateFields = z
  .object({
    q: z
      .preprocess(asArray, Texts)
      .openapi({ description: 'One text (a string), or an array of texts translated in order.' }),
    source: SourceLanguage.optional(),
    target: TargetLanguage,
    format: z.enum(['text', 'html'], { error: 'must be "text" or "html"' }).optional().openapi({
      description:
        '"text" (default), or "html": the tags are kept around the words they wrap, attributes byte for byte.',
    }),
    api_key: z
      .string()
      .optional()
      .openapi({ description: 'The key, when the deployment has an API_KEY; checked before any other field.' }),
  })
  .openapi('LibreTranslateRequest', { example: EXAMPLES.libreTranslateRequest });

const DetectedLanguage = z.object({
  language: z.string().openapi({ example: 'en' }),
  confidence: z
    .number()
    .openapi({ description: "The share (0-100) of the text's sentences written in that language's script." }),
});

const Translation = z
  .object({
    translatedText: z
      .string()
      .or(z.array(z.string()))
      .openapi({ description: 'In kind with `q`: a string, or an array in order.' }),
    detectedLanguage: DetectedLanguage.or(z.array(DetectedLanguage)).optional().openapi({
      description: 'Without a source (or with "auto"): the language each text is written in, in kind with `q`.',
    }),
  })
  .openapi('LibreTranslateTranslation', { example: EXAMPLES.libreTranslation });

serveDocumented(
  libretranslate,
  {
    method: 'post',
    path: '/translate',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'Translate a text or texts',
    request: { body: fieldsBody(TranslateFields, true) },
    responses: {
      200: {
        description: 'The translation, in kind with `q`',
        content: { 'application/json': { schema: Translation } },
      },
      ...errorResponses(LibreError, {
        400: 'A field is invalid (the message names it), the language pair is not served, the markup is past the markup limits, or the body is not JSON',
        403: '"Invalid API key": the deployment has an API_KEY and `api_key` is not it',
        ...TRANSLATE_ERRORS,
      }),
    },
  },
  async (c) => {
    const fields = await readFields(c);
    // The key is checked before anything else is read, so a client without it learns nothing about the request.
    if (!(await admit(c, typeof fields.api_key === 'string' ? fields.api_key : undefined)))
      throw new ApiError(403, 'forbidden', 'Invalid API key');
    const { q, source, target, format } = parseFields(TranslateFields, fields);
    const served = c.var.config.directions;
    const routes = routeTexts(source, target, q, served, (from) => unservedPair(from, target, served));
    const markup = format === 'html' ? { mode: 'html' as const } : undefined;
    const results = await translateRouted(c, q, routes, {
      beam: c.var.config.defaultBeam,
      replaceUnknown: true /* as the native face */,
      markup,
    });
    const translatedText = results.map((r) => r.translation);
    const detectedLanguage = results.map((r, i) => ({
      language: routes[i]!.language,
      confidence: confidenceOf(r.document),
    }));
    const single = !Array.isArray(fields.q);
    return c.json({
      translatedText: single ? translatedText[0] : translatedText,
      ...(source === undefined && { detectedLanguage: single ? detectedLanguage[0] : detectedLanguage }),
    } satisfies z.input<typeof Translation>);
  },
);

/**
 * How sure the detection is: the share of the text's sentences in the script of the language it was read as (a
 * sentence in the other script was translated with a warning). Markup keeps no sentences: 100, or 0 if it warned.
 */
function confidenceOf(document: DocumentTranslation | undefined): number {
  if (!document) return 100; // in the target language: written in its script
  const { sentences, warnings } = document;
  if (sentences.length === 0) return warnings ? 0 : 100;
  return Math.round((100 * sentences.filter((s) => !s.warnings).length) / sentences.length);
}

const Languages = z
  .array(
    z.object({
      code: z.string().openapi({ example: 'en' }),
      name: z.string().openapi({ example: 'English' }),
      targets: z.array(z.string()).openapi({ description: 'The languages it translates into.', example: ['ja'] }),
    }),
  )
  .openapi('LibreTranslateLanguages', { example: EXAMPLES.libreLanguages });

serveDocumented(
  libretranslate,
  {
    method: 'get',
    path: '/languages',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'The languages of the live models',
    responses: {
      200: {
        description: 'Each language with the languages it translates into',
        content: { 'application/json': { schema: Languages } },
      },
      ...errorResponses(LibreError, {}),
    },
  },
  async (c) => c.json(languagesOf(await liveDirections(c)) satisfies z.input<typeof Languages>),
);
