// Request and response schemas of the HTTP API, in zod with OpenAPI metadata: the validators of the routes and
// the OpenAPI document (GET /openapi.json) come from the same definitions. Limits are documented in README.md ("API").
import { z } from '@hono/zod-openapi';
import { MAX_BEAM } from '../core/translator.js';

export const LIMITS = {
  textChars: 1000, // longest accepted text, in UTF-16 code units, after trimming
  batch: 64, // most texts in one POST (decoded together)
  bodyBytes: 256 * 1024, // largest POST body; larger is 413 before parsing
  beamMin: 1,
  beamMax: MAX_BEAM,
} as const;

const TEXT_ERRORS = {
  required: 'required (a string)',
  type: 'must be a string',
  empty: 'must not be empty or only whitespace',
  long: `must be at most ${LIMITS.textChars} characters`,
};

export const Text = z
  .string({ error: (issue) => (issue.input === undefined ? TEXT_ERRORS.required : TEXT_ERRORS.type) })
  .trim()
  .min(1, { error: TEXT_ERRORS.empty })
  .max(LIMITS.textChars, { error: TEXT_ERRORS.long })
  .openapi({ example: 'i like green tea .', maxLength: LIMITS.textChars });

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
    description: 'Translation direction among those the deployment serves, or "auto" (the default): Japanese script (kana, kanji) reads as ja, anything else as en.',
    example: 'en-ja',
  });

const NBEST_ERROR = 'must be an integer from 1 to the beam width';
const Nbest = z
  .number({ error: NBEST_ERROR })
  .int({ error: NBEST_ERROR })
  .min(1, { error: NBEST_ERROR })
  .max(LIMITS.beamMax, { error: NBEST_ERROR })
  .openapi({ description: 'Also return the `nbest` best outputs with their scores, best first (at most `beam`).', example: 3 });

const flag = (description: string) => z.boolean({ error: 'must be true or false' }).openapi({ description });

/** POST /translate: one `text`, or a batch of `texts`; unknown fields are rejected (400 unknown_field). */
export const TranslateBody = z
  .strictObject({
    text: Text.optional(),
    texts: Texts.optional(),
    beam: Beam.optional(),
    direction: Direction.optional(),
    nbest: Nbest.optional(),
    alignment: flag('Also return the attention matrix between source and target tokens (models with attention).').optional(),
    replaceUnknown: flag(
      'Default true. Let the model emit <unk> for a word its vocabulary lacks and replace it by the source word it attended to most (models with attention). false: <unk> is never emitted.',
    ).optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.texts === undefined), {
    message: 'give exactly one of "text" (a string) or "texts" (an array of strings)',
    path: ['text'],
  })
  .openapi('TranslateRequest');

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
    normalizedScore: z.number().openapi({ description: 'score / steps^0.6, what beam search ranks by (steps: tokens and </s>).' }),
  })
  .openapi('Alternative');

const Alignment = z
  .object({
    source: z.array(z.string()).openapi({ description: 'Source tokens: the columns.' }),
    target: z.array(z.string()).openapi({ description: 'Target tokens (as in `tokens`): the rows.' }),
    weights: z.array(z.array(z.number())).openapi({ description: '[target][source] attention weights; each row sums to 1.' }),
  })
  .openapi('Alignment');

const Translation = z.object({
  ...Output,
  unknownWords: z.array(z.string()).openapi({ description: 'Source words outside the vocabulary (read as <unk>).' }),
  model: z.string().openapi({ description: 'direction@version of the model that translated.', example: 'en-ja@20261128T0130Z-3f2a9c1d' }),
  warnings: z
    .array(z.string())
    .optional()
    .openapi({ description: 'Present when the text looks like another language than the direction translates from.' }),
  nbest: z.array(Alternative).optional().openapi({ description: 'When `nbest` was asked: the best outputs, this one first.' }),
  alignment: Alignment.optional().openapi({ description: 'When `alignment` was asked and the model has attention.' }),
});

export const SingleTranslation = Translation.openapi('Translation');
export const BatchTranslation = z.object({ translations: z.array(Translation) }).openapi('Translations');

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', { example: { error: { code: 'invalid_beam', message: 'beam: must be an integer from 1 to 10' } } });
