// Request and response schemas of the HTTP API, in zod with OpenAPI metadata: the validators of the routes and
// the OpenAPI document (GET /openapi.json) come from the same definitions. Limits are documented in README.md ("API").
import { FORMALITIES } from '../core/register.js';
import { z } from '@hono/zod-openapi';
import { LENGTH_ALPHA } from '../core/decode.js';
import { MAX_BEAM, REVERSE_WEIGHT } from '../core/translation.js';
import { ANNOTATION_KINDS } from '../core/annotation.js';
import { EXAMPLES } from './examples.js';

// What one request may ask for. A request's work is bounded by its sentences: each is cut to at most the model's
// source.maxLength tokens (50) and decodes at most 2 * 50 + 10 steps of `beam` rows, so `sentences` x beam rows of
// 60 steps is the most one request can cost.
export const LIMITS = {
  textChars: 5000, // longest accepted text, in UTF-16 code units (a few pages of prose, a subtitle file's part)
  batch: 64, // most texts in one POST (decoded together)
  requestChars: 30_000, // most characters in all texts of one request (413 too_much_text beyond)
  sentences: 1000, // most sentences in all texts of one request, after splitting (413 too_much_text beyond)
  bodyBytes: 1024 * 1024, // largest POST body (30,000 characters of JSON-escaped Japanese fit); larger is 413 before parsing
  beamMin: 1,
  beamMax: MAX_BEAM,
} as const;

const TEXT_ERRORS = {
  required: 'required (a string)',
  type: 'must be a string',
  empty: 'must not be empty or only whitespace',
  long: `must be at most ${LIMITS.textChars} characters`,
};

/** A text as written: its whitespace and line breaks are part of it (they come back in the translation). */
export const Text = z
  .string({ error: (issue) => (issue.input === undefined ? TEXT_ERRORS.required : TEXT_ERRORS.type) })
  .max(LIMITS.textChars, { error: TEXT_ERRORS.long })
  .superRefine((text, ctx) => {
    if (text.trim() === '')
      ctx.addIssue({
        code: 'too_small',
        origin: 'string',
        minimum: 1,
        inclusive: true,
        input: text,
        message: TEXT_ERRORS.empty,
      });
  })
  .openapi({ example: 'I like green tea.', maxLength: LIMITS.textChars });

/** A batch of texts (every API face shares these limits). */
export const Texts = z
  .array(Text, { error: `must be an array of 1 to ${LIMITS.batch} strings` })
  .min(1, { error: 'must contain at least one text' })
  .max(LIMITS.batch, { error: `must contain at most ${LIMITS.batch} texts` });

const BEAM_ERROR = `must be an integer from ${LIMITS.beamMin} to ${LIMITS.beamMax}`;
const Beam = z
  .number({ error: BEAM_ERROR })
  .int({ error: BEAM_ERROR })
  .min(LIMITS.beamMin, { error: BEAM_ERROR })
  .max(LIMITS.beamMax, { error: BEAM_ERROR })
  .openapi({ description: 'Beam width; 1 is greedy decoding. Default 4 (configurable per deployment).', example: 4 });

const Direction = z
  .string({ error: 'must be a string such as "en-ja" or "auto"' })
  .regex(/^(?:auto|[a-z]{2,3}-[a-z]{2,3})$/, { error: 'must be "auto" or look like "en-ja"' })
  .openapi({
    description:
      'Translation direction among those the deployment serves, or "auto" (the default): each sentence goes the way its letters are written (kana and kanji, each counted twice, against the other letters).',
    example: 'en-ja',
  });

const NBEST_ERROR = 'must be an integer from 1 to the beam width';
const Nbest = z
  .number({ error: NBEST_ERROR })
  .int({ error: NBEST_ERROR })
  .min(1, { error: NBEST_ERROR })
  .max(LIMITS.beamMax, { error: NBEST_ERROR })
  .openapi({
    description: 'Also return the `nbest` best outputs with their scores, best first (at most `beam`).',
    example: 3,
  });

const flag = (description: string) => z.boolean({ error: 'must be true or false' }).openapi({ description });

export const SplitSentences = z
  .enum(['on', 'nonewlines', 'off'], { error: 'must be "on", "nonewlines" or "off"' })
  .openapi({
    description:
      'How texts are split into sentences: "on" (default) at sentence ends and line breaks, "nonewlines" at sentence ends only (a sentence may span lines), "off" not at all (the text is one sentence). Line breaks and whitespace between sentences always come back where they were.',
  });

export const Format = z.enum(['text', 'html', 'xml'], { error: 'must be "text", "html" or "xml"' }).openapi({
  description:
    'Plain text (default), or markup: tags are kept and carried onto the translation, attributes byte for byte.',
});

const TagList = z
  .array(z.string().regex(/^[A-Za-z][\w:.-]*$/, { error: 'must be a tag name' }), {
    error: 'must be an array of tag names',
  })
  .max(100, { error: 'must list at most 100 tags' });

/** The markup options (DeepL's, in camel case): only with `format` "html" or "xml". */
export const MarkupFields = {
  ignoreTags: TagList.optional().openapi({
    description: 'Elements whose content is not translated (as `translate="no"`).',
  }),
  splittingTags: TagList.optional().openapi({ description: 'Elements that always start a new segment.' }),
  nonSplittingTags: TagList.optional().openapi({ description: 'Elements that never split a sentence.' }),
  outlineDetection: flag(
    'xml: detect the structure automatically (default true); false: only `splittingTags` split.',
  ).optional(),
};

/** A glossary for one request: a stored glossary's id (DeepL's glossary API), or terms given inline. */
const Glossary = z
  .union(
    [
      z.string().openapi({
        description:
          "A glossary's id (POST /v2/glossaries or /v3/glossaries): each sentence uses its dictionary of the sentence's direction.",
      }),
      z.strictObject({
        terms: z
          .record(z.string(), z.string({ error: 'must be a string (the target term)' }), {
            error: 'must be an object of "source term": "target term"',
          })
          .refine((terms) => Object.keys(terms).length <= 1000, {
            error: 'must have at most 1000 terms (store a larger glossary: POST /v3/glossaries)',
          })
          .openapi({
            description: 'Source term -> target term, for this request only, in every direction.',
            example: { 'green tea': '緑茶' },
          }),
      }),
    ],
    { error: 'must be a glossary id or {"terms": {"source": "target", ...}}' },
  )
  .openapi({
    description:
      'Terms to apply: each source term found in a sentence (whole words, English plurals too; lower-case letters match either case) comes back as its target term. `glossaryTerms` in the response lists those applied.',
  });

/** DeepL's formality, for Japanese output (src/core/register.ts); its values in any case. */
export const Formality = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.toLowerCase() : value),
    z.enum(FORMALITIES, { error: `must be one of ${FORMALITIES.join(', ')}` }),
  )
  .openapi({
    description:
      'Japanese output: "more" polite (です/ます), "less" plain (だ/る form), "default" the model\'s choice; "prefer_more"/"prefer_less" ask the same and fall back to the default where the model has no registers, where "more"/"less" are 400 (GET /v2/languages?type=target: supports_formality).',
    example: 'more',
  });

/** POST /translate: one `text`, or a batch of `texts`; unknown fields are rejected (400 unknown_field). */
export const TranslateBody = z
  .strictObject({
    text: Text.optional(),
    texts: Texts.optional(),
    beam: Beam.optional(),
    direction: Direction.optional(),
    nbest: Nbest.optional(),
    alignment: flag(
      'Also return the attention matrix between source and target tokens (models with attention).',
    ).optional(),
    replaceUnknown: flag(
      'Default true. Let the model emit <unk> for a word its vocabulary lacks and replace it by the source word it attended to most (models with attention). false: <unk> is never emitted.',
    ).optional(),
    rerank: flag(
      "Default false. Rank the beam's outputs again with the other direction's model (how well each translation says what the source said), when both directions are served and beam > 1: better translations, about twice the decoding time.",
    ).optional(),
    ensemble: flag(
      'Default true. With a model that is an ensemble (GET /models: `ensemble`), decode with all of its models: better translations, each model adds its decoding time. false: its first model alone.',
    ).optional(),
    splitSentences: SplitSentences.optional(),
    format: Format.optional(),
    glossary: Glossary.optional(),
    formality: Formality.optional(),
    ...MarkupFields,
  })
  .refine((body) => (body.text === undefined) !== (body.texts === undefined), {
    message: 'give exactly one of "text" (a string) or "texts" (an array of strings)',
    path: ['text'],
  })
  .refine(
    (body) => body.format === 'html' || body.format === 'xml' || Object.keys(MarkupFields).every((k) => !(k in body)),
    {
      message:
        'the markup options (ignoreTags, splittingTags, nonSplittingTags, outlineDetection) need "format": "html" or "xml"',
      path: ['format'],
    },
  )
  .openapi('TranslateRequest', { example: EXAMPLES.translateRequest });

/** GET /translate?text=...&beam=...&direction=...: the single form, as query parameters (all strings). */
export const TranslateQuery = z
  .strictObject({
    text: Text,
    beam: z
      .string({ error: BEAM_ERROR })
      .regex(/^\d{1,3}$/, { error: BEAM_ERROR })
      .transform(Number)
      .pipe(Beam)
      .optional()
      .openapi({ param: { name: 'beam', in: 'query' }, type: 'integer', example: '4' }),
    direction: Direction.optional(),
  })
  .openapi('TranslateQuery');

const Output = {
  translation: z.string().openapi({ example: '私は緑茶が好きです。' }),
  tokens: z.array(z.string()).openapi({ description: 'Target tokens, without start/end markers.' }),
  score: z.number().openapi({ description: 'Total log-probability of the output tokens (and of </s> when emitted).' }),
};

const Alternative = z
  .object({
    ...Output,
    normalizedScore: z
      .number()
      .openapi({ description: `score / steps^${LENGTH_ALPHA}, what beam search ranks by (steps: tokens and </s>).` }),
    reverseScore: z
      .number()
      .optional()
      .openapi({
        description:
          "With `rerank`: the other direction's mean log-probability per token of the source given this output; outputs are ranked by normalizedScore + " +
          `${REVERSE_WEIGHT} x reverseScore.`,
      }),
  })
  .openapi('Alternative');

const Alignment = z
  .object({
    source: z.array(z.string()).openapi({ description: 'Source tokens: the columns.' }),
    target: z.array(z.string()).openapi({ description: 'Target tokens (as in `tokens`): the rows.' }),
    weights: z
      .array(z.array(z.number()))
      .openapi({ description: '[target][source] attention weights; each row sums to 1.' }),
  })
  .openapi('Alignment');

const Span = z
  .object({ start: z.int(), end: z.int() })
  .openapi('Span', { description: '[start, end) in UTF-16 code units.' });

/** What came through a sentence by rule rather than by the model (src/core/annotation.ts). */
const Annotation = z
  .object({
    kind: z.enum(ANNOTATION_KINDS).openapi({
      description:
        "verbatim: kept character for character (URL, e-mail address, phone number, `code`, @handle, #hashtag, number; full-width digits made ASCII); entity: a time, date, price, quantity, percentage or ordinal written in the target's conventions; glossary: a glossary term; dictionary: a word the model cannot read, from the bilingual dictionary; transliteration: a name written in the target's script.",
    }),
    source: z.string().openapi({ description: 'The span as the source text has it.' }),
    target: z.string().openapi({ description: 'What the translation has in its place.' }),
  })
  .openapi('Annotation', { example: { kind: 'entity', source: '3:30 pm', target: '午後3時30分' } });

const translated = {
  ...Output,
  unknownWords: z
    .array(z.string())
    .openapi({ description: 'Source words the model cannot read (outside its vocabulary) and nothing else handled.' }),
  annotations: z.array(Annotation).openapi({
    description:
      'The spans of the source that came through by rule rather than by the model, in source order, each with what it became.',
  }),
  model: z.string().openapi({
    description: 'direction@version of the model that translated ("none": nothing needed translating).',
    example: 'en-ja@20261128T0130Z-3f2a9c1d',
  }),
  warnings: z.array(z.string()).optional().openapi({
    description: 'Present when a sentence looks like another language than the direction translates from.',
  }),
};

const GlossaryTerms = z
  .array(z.object({ source: z.string(), target: z.string() }))
  .optional()
  .openapi({
    description:
      "With `glossary`: the glossary's entries found in the text, each once; each target term is in `translation`.",
  });

const Sentence = z
  .object({
    ...translated,
    source: Span.openapi({ description: 'Where the sentence is in the text.' }),
    target: Span.openapi({ description: 'Where its translation is in `translation`.' }),
    nbest: z
      .array(Alternative)
      .optional()
      .openapi({ description: "When `nbest` was asked: the sentence's best outputs, this one first." }),
    alignment: Alignment.optional().openapi({ description: 'When `alignment` was asked and the model has attention.' }),
  })
  .openapi('Sentence');

const Translation = z.object({
  ...translated,
  tokens: Output.tokens.openapi({ description: "Every sentence's target tokens, in order." }),
  score: Output.score.openapi({ description: "The sum of the sentences' scores." }),
  annotations: translated.annotations.openapi({ description: "Every sentence's `annotations`, in order." }),
  nbest: z.array(Alternative).optional().openapi({
    description:
      'When `nbest` was asked and the text is one sentence: its best outputs (every sentence has its own in `sentences`).',
  }),
  alignment: Alignment.optional().openapi({
    description: 'When `alignment` was asked and the text is one sentence (every sentence has its own in `sentences`).',
  }),
  sentences: z.array(Sentence).openapi({
    description: "The text's sentences in order, each with its translation; markup (`format` html/xml) gives none.",
  }),
  glossaryTerms: GlossaryTerms,
});

export const SingleTranslation = Translation.openapi('Translation', { example: EXAMPLES.translation });
export const BatchTranslation = z
  .object({ translations: z.array(Translation) })
  .openapi('Translations', { example: EXAMPLES.translations });

/** A response body of bytes: a file downloaded as it is stored. */
export const BINARY_CONTENT = { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } };

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', { example: { error: { code: 'invalid_beam', message: 'beam: must be an integer from 1 to 10' } } });
