// The DeepL API v2 face, mounted at /v2: POST /v2/translate here, GET|POST /v2/languages and /v2/usage in
// ./deepl-languages.ts, documents and glossaries beside them, so DeepL clients (the official deepl-node with
// `serverUrl`, SDKs, browser extensions) work against this Worker unchanged.
// Requests become ../http/translate-texts.ts calls like the native face's, with the deployment's default beam; errors
// are DeepL's `{"message": "..."}` (deeplErrors, mounted in ../app.ts in front of every other middleware). Each route
// is documented in GET /openapi.json with the schemas it validates with (serveDocumented).
//
// POST /v2/translate follows DeepL's documentation (developers.deepl.com/api-reference/translate) where this service
// can, and says where it cannot:
// - Each text's `detected_source_language` is its own: `source_lang`, or the language its script reads as. A text
//   already in the target language comes back as written (DeepL returns and bills such a text too).
// - `split_sentences` 1 (default), 0, nonewlines; with tag_handling=html the default is nonewlines, as DeepL's.
//   `preserve_formatting` keeps a lower-case start and a missing final stop. `tag_handling` html|xml with
//   `ignore_tags`, `splitting_tags`, `non_splitting_tags` (comma-separated, or arrays in JSON), `outline_detection`:
//   ../core/document/translate-markup.ts. `translate="no"` is honoured in html.
// - `formality`: JA, when the live en-ja model was trained with registers (GET /v2/languages: supports_formality),
//   "more" is polite and "less" plain Japanese (../core/register.ts); for a target without them, as DeepL answers,
//   "more" and "less" are 400 and "prefer_more"/"prefer_less" fall back to the default. `context` and other options
//   are accepted and ignored.
// - `glossary_id`: a glossary of the key's (./glossaries.ts, v2 or v3) whose source_lang -> target_lang dictionary is
//   applied (../http/glossary.ts); as DeepL, it needs source_lang ("Use of a glossary requires the source_lang
//   parameter to be specified."), and a glossary without that pair is a 400.
// - `model_type` quality_optimized (or prefer_quality_optimized) reranks the beam's outputs with the other
//   direction's model (Rerank in ../core/translation.ts: better translations, about twice the decoding time);
//   latency_optimized does not, and decodes with the first model of an ensemble alone (GET /models `ensemble`);
//   absent, neither (the service's default). `model_type_used` says which, when model_type was given.
// - `billed_characters` (with show_billed_characters, which deepl-node always sends): the text's Unicode code points,
//   without its tags under tag_handling, as DeepL counts (support.deepl.com/hc/en-us/articles/360020685720).
// - Errors use DeepL's wording (DeepLcom/deepl-mock index.js, and the live API's), followed by this server's detail:
//   "Parameter 'text' not specified.", "Value for 'target_lang' not supported.", "'formality' is not supported for
//   given 'target_lang'.", "Unsupported language pair: 'JA' => 'FR'.", "Parameter 'tag_handling' is invalid.".
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import type { SplitSentences } from '../core/document/translate-documents.js';
import { sourceLanguage, targetLanguage } from '../core/language.js';
import { FormalityError } from '../core/register.js';
import { REVERSE_WEIGHT } from '../core/translation.js';
import { characterCount, type MarkupOptions } from '../core/segment/markup.js';
import { ApiError, invalidRequest } from '../http/errors.js';
import { SourceLanguage, TargetLanguage, routeTexts } from '../http/languages.js';
import { TRANSLATE_ERRORS, translateRouted } from '../http/translate-texts.js';
import { errorResponses, faceErrors } from '../http/face-errors.js';
import { asArray, fieldsBody, readFields, serveDocumented, type Fields } from '../http/fields.js';
import { Formality as NativeFormality, MarkupFields, Texts } from '../http/schemas.js';
import { namedGlossary } from '../http/glossary.js';

export const deepl = new OpenAPIHono<AppEnv>();

/** The tag of these operations in GET /openapi.json (/docs groups by it). */
export const DEEPL_TAG = {
  name: 'DeepL API v2',
  description:
    'For DeepL clients: the key as `Authorization: DeepL-Auth-Key <key>` when the deployment has an API_KEY; errors are `{"message": "..."}`.',
};

export const DeepLError = z.object({ message: z.string(), detail: z.string().optional() }).openapi('DeepLError', {
  example: { message: "Value for 'target_lang' not supported. This server translates into EN-GB, EN-US, JA." },
});

export const deeplErrors = faceErrors(
  ({ message, detail }) => ({ message, ...(detail !== undefined && { detail }) }) satisfies z.input<typeof DeepLError>,
);

export const FORBIDDEN =
  'The deployment has keys (API_KEY, `npm run keys`) and the request does not present one as `Authorization: DeepL-Auth-Key <key>`';

/**
 * The fields as `schema` reads them, or a 400 in DeepL's words: "Parameter 'x' not specified." for a missing one,
 * else DeepL's sentence for the parameter followed by what this server wants (`invalidRequest`'s message).
 */
export function deeplFields<T extends z.ZodType>(schema: T, fields: Fields): z.output<T> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const native = invalidRequest(result.error);
  const name = result.error.issues[0]?.path[0];
  if (typeof name !== 'string') throw native;
  if (fields[name] === undefined) throw new ApiError(400, native.code, `Parameter '${name}' not specified.`);
  throw new ApiError(400, native.code, `${INVALID[name] ?? `Value for '${name}' not supported.`} ${native.message}`);
}

/** DeepL's words for these parameters (the live API's for tag_handling, DeepLcom/deepl-mock's for type). */
const INVALID: Record<string, string> = {
  tag_handling: "Parameter 'tag_handling' is invalid.",
  type: "Parameter 'type' is invalid.",
};

// Form bodies carry flags as "0"/"1", JSON bodies as booleans.
const Flag = (description: string) =>
  z
    .union([z.enum(['0', '1', 'false', 'true']), z.boolean()], { error: 'must be 0 or 1 (false or true in JSON)' })
    .transform((value) => value === true || value === '1' || value === 'true')
    .openapi({ description });

const SPLIT: Record<string, SplitSentences> = { '0': 'off', '1': 'on', nonewlines: 'nonewlines' };

const SplitSentencesField = z
  .union([z.enum(['0', '1', 'nonewlines']), z.literal(0), z.literal(1)], { error: 'must be 0, 1 or "nonewlines"' })
  .transform((value) => SPLIT[String(value)]!)
  .openapi({
    description:
      '1 (default; nonewlines with tag_handling=html): split at sentence ends and line breaks; nonewlines: at sentence ends only; 0: not at all (each text is one sentence). Line breaks come back where they were.',
  });

/** The native API's formality (../http/schemas.ts), described as this face means it. */
export const Formality = NativeFormality.openapi({
  description:
    'JA with a model trained with registers (GET /v2/languages: supports_formality): "more" polite, "less" plain. Elsewhere "more" and "less" are 400, "prefer_more" and "prefer_less" fall back to the default.',
});

/** A list of tag names: comma-separated (forms; DeepL's format) or an array (JSON). */
const TagsField = (description: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: 'must be tag names, comma-separated or as an array' })
    .transform((value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean)
        : value,
    )
    .pipe(MarkupFields.ignoreTags.unwrap())
    .openapi({ description: `${description} Comma-separated (DeepL's form), or an array in JSON.` });

const TranslateFields = z
  .object({
    text: z.preprocess(asArray, Texts).openapi({
      description: 'The texts, translated in order: a form repeats the field; JSON gives an array (or one string).',
    }),
    source_lang: SourceLanguage.optional(),
    target_lang: TargetLanguage,
    split_sentences: SplitSentencesField.optional(),
    preserve_formatting: Flag(
      '1: keep a lower-case start and a missing final punctuation mark as the source has them.',
    ).optional(),
    formality: Formality.optional(),
    tag_handling: z.enum(['html', 'xml'], { error: 'must be "html" or "xml"' }).optional().openapi({
      description:
        'The texts are HTML or XML: tags are kept around the words they wrap, attributes byte for byte; malformed XML is 400, HTML is read as a browser reads it.',
    }),
    tag_handling_version: z
      .enum(['v1', 'v2'], { error: 'must be "v1" or "v2"' })
      .optional()
      .openapi({ description: 'Accepted; one tag handling serves both.' }),
    outline_detection: Flag('xml: 0 turns off finding the splitting elements; only splitting_tags split.').optional(),
    splitting_tags: TagsField('Elements that always start a new segment.').optional(),
    non_splitting_tags: TagsField('Elements that never split a sentence.').optional(),
    ignore_tags: TagsField('Elements whose content is not translated.').optional(),
    show_billed_characters: Flag('1: each translation says its billed_characters.').optional(),
    model_type: z
      .enum(['latency_optimized', 'quality_optimized', 'prefer_quality_optimized'], {
        error: 'must be latency_optimized, quality_optimized or prefer_quality_optimized',
      })
      .optional()
      .openapi({
        description:
          "quality_optimized: the beam's outputs are reranked by the other direction's model (about twice the decoding time); latency_optimized: not, and an ensemble model decodes with its first model alone; absent: no reranking.",
      }),
    context: z.string({ error: 'must be a string' }).optional().openapi({ description: 'Accepted and not used.' }),
    glossary_id: z.string({ error: 'must be a glossary id' }).optional().openapi({
      description:
        "A glossary's id (POST /v2/glossaries or /v3/glossaries): its source_lang -> target_lang terms are applied. Needs source_lang.",
    }),
  })
  .openapi('DeepLTranslateRequest', { example: EXAMPLES.deeplTranslateRequest });

const Translations = z
  .object({
    translations: z.array(
      z.object({
        detected_source_language: z
          .string()
          .openapi({ description: "The text's language: source_lang, or the one its script reads as.", example: 'EN' }),
        text: z.string().openapi({ example: '私は緑茶が好きです。' }),
        billed_characters: z.number().int().optional().openapi({
          description:
            "With show_billed_characters: the text's Unicode code points, without its tags under tag_handling.",
        }),
        model_type_used: z
          .string()
          .optional()
          .openapi({ description: 'With model_type.', example: 'latency_optimized' }),
      }),
    ),
  })
  .openapi('DeepLTranslations', { example: EXAMPLES.deeplTranslations });

serveDocumented(
  deepl,
  {
    method: 'post',
    path: '/translate',
    tags: [DEEPL_TAG.name],
    summary: 'Translate texts',
    request: { body: fieldsBody(TranslateFields, true) },
    responses: {
      200: {
        description: 'The translation of each text, in order',
        content: { 'application/json': { schema: Translations } },
      },
      ...errorResponses(DeepLError, {
        400: "A parameter is missing or invalid (the message names it, in DeepL's words), the language pair is not served, the markup is malformed, or the body is not JSON",
        403: FORBIDDEN,
        ...TRANSLATE_ERRORS,
      }),
    },
  },
  async (c) => {
    const fields = deeplFields(TranslateFields, await readFields(c));
    const { text: texts, source_lang: source, target_lang: target, tag_handling: tagHandling } = fields;
    const served = c.var.config.directions;
    checkLanguages(source, target, served);
    if (fields.glossary_id !== undefined && source === undefined)
      throw new ApiError(
        400,
        'invalid_request',
        'Use of a glossary requires the source_lang parameter to be specified.',
      );
    const glossary =
      fields.glossary_id === undefined ? undefined : namedGlossary(fields.glossary_id, [`${source}-${target}`], true);
    const routes = routeTexts(source, target, texts, served, (from) =>
      badRequest(
        `Unsupported language pair: '${from.toUpperCase()}' => '${target.toUpperCase()}'. Served directions: ${served.join(', ')}.`,
      ),
    );
    const markup: MarkupOptions | undefined = tagHandling && {
      mode: tagHandling,
      ignoreTags: fields.ignore_tags,
      splittingTags: fields.splitting_tags,
      nonSplittingTags: fields.non_splitting_tags,
      outlineDetection: fields.outline_detection,
    };
    const quality = fields.model_type !== undefined && fields.model_type !== 'latency_optimized';
    const results = await translateRouted(c, texts, routes, {
      beam: c.var.config.defaultBeam,
      reverseWeight: quality ? REVERSE_WEIGHT : 0,
      ensemble: fields.model_type !== 'latency_optimized', // asked for by name: the first model of an ensemble alone
      replaceUnknown: true, // as the native face decodes by default
      splitSentences: fields.split_sentences ?? (tagHandling === 'html' ? 'nonewlines' : 'on'),
      preserveFormatting: fields.preserve_formatting,
      markup,
      glossary,
      formality: fields.formality,
    }).catch(inDeepLWords);
    const translations = results.map(({ translation }, i) => ({
      detected_source_language: routes[i]!.language.toUpperCase(),
      text: translation,
      ...(fields.show_billed_characters && { billed_characters: characterCount(texts[i]!, tagHandling) }),
      ...(fields.model_type && { model_type_used: quality ? 'quality_optimized' : 'latency_optimized' }),
    }));
    return c.json({ translations } satisfies z.input<typeof Translations>);
  },
);

const badRequest = (message: string) => new ApiError(400, 'unsupported_direction', message);

/** 400 for a target, or a source, that no served direction has, in DeepL's words and with the languages served. */
export function checkLanguages(source: string | undefined, target: string, served: readonly string[]): void {
  const targets = [...new Set(served.map(targetLanguage))].sort();
  if (!targets.includes(target))
    throw badRequest(
      `Value for 'target_lang' not supported. This server translates into ${deeplTargets(targets).join(', ')}.`,
    );
  const sources = [...new Set(served.map(sourceLanguage))].sort();
  if (source !== undefined && source !== target && !sources.includes(source)) {
    throw badRequest(
      `Value for 'source_lang' not supported. This server translates from ${sources.map((l) => l.toUpperCase()).join(', ')}.`,
    );
  }
}

// DeepL names English targets by variant only, and its clients refuse a bare "EN" target; one model serves both.
const TARGET_VARIANTS: Record<string, { language: string; name: string }[]> = {
  en: [
    { language: 'EN-GB', name: 'English (British)' },
    { language: 'EN-US', name: 'English (American)' },
  ],
};

export const targetVariants = (code: string, name: string) =>
  TARGET_VARIANTS[code] ?? [{ language: code.toUpperCase(), name }];

/** DeepL's codes of target languages: "EN-GB", "EN-US", "JA". */
const deeplTargets = (codes: string[]): string[] =>
  codes.flatMap((code) => targetVariants(code, code).map((l) => l.language));

/** A formality the target's model has no registers for, in DeepL's words. */
function inDeepLWords(err: unknown): never {
  if (err instanceof FormalityError)
    throw new ApiError(400, 'invalid_request', "'formality' is not supported for given 'target_lang'.");
  throw err;
}
