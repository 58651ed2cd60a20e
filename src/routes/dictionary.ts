// GET /dictionary?word=...: a word's entries in the bilingual dictionary (../core/dictionary: EDICT, the EDRDG's, CC
// BY-SA), either way (the word's script says which, or `from`), with the credit line its licence asks for; and
// GET /dictionary/files/{path}: the live dictionary's files, for the page's offline mode, which verifies them against
// the manifest's sha256s as the Worker does (as GET /models/{direction}/files/{path} serves the models').
// A word no look-up is made for (over MAX_WORD characters, control characters) is a 400; one that finds nothing (an
// emoji, a word EDICT lacks) an empty list. No dictionary that loads: 503 dictionary_unavailable.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { DICTIONARY } from '../core/dictionary/artifact.js';
import { lookUp } from '../core/dictionary/look-up.js';
import { modelId, objectKey, parsePointer, pointerKey } from '../core/layout.js';
import type { AppEnv } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { BINARY_CONTENT, ErrorResponse } from '../http/schemas.js';
import { FilePath, fileOfVersion } from './model-files.js';

export const dictionary = new OpenAPIHono<AppEnv>();

const MAX_WORD = 64;

const Query = z.object({
  word: z
    .string()
    .min(1)
    .max(MAX_WORD)
    .refine((word) => !/[\p{Cc}\p{Cf}\p{Cs}]/u.test(word), { error: 'must have no control or format characters' })
    .openapi({
      param: { name: 'word', in: 'query' },
      example: 'スマートフォン',
      description: `a word, at most ${MAX_WORD} characters`,
    }),
  from: z
    .enum(['en', 'ja'])
    .optional()
    .openapi({ param: { name: 'from', in: 'query' }, description: "the word's language (default: its script's)" }),
});

const Entry = z.object({
  headword: z.string(),
  reading: z.string().optional(),
  common: z.boolean().openapi({ description: "EDICT's (P): a common word" }),
  senses: z.array(
    z.object({
      pos: z.array(z.string()).openapi({ description: "EDICT's part-of-speech tags" }),
      glosses: z.array(z.string()),
    }),
  ),
  translation: z
    .string()
    .optional()
    .openapi({ description: 'what a translation into the other language writes for the word (nouns only)' }),
});

const EXAMPLE = {
  word: 'スマートフォン',
  from: 'ja',
  to: 'en',
  entries: [
    {
      headword: 'スマートフォン',
      common: false,
      senses: [{ pos: ['n'], glosses: ['smartphone', 'smart phone'] }],
      translation: 'smartphone',
    },
  ],
  dictionary: 'dictionary@edict-2021.02.03-1-6f1249ec',
  credit:
    "Dictionary: EDICT and ENAMDICT, the property of the Electronic Dictionary Research and Development Group, used in conformance with the Group's licence (CC BY-SA 3.0, https://www.edrdg.org/edrdg/licence.html).",
};

const LookUp = z
  .object({
    word: z.string(),
    from: z.enum(['en', 'ja']),
    to: z.enum(['en', 'ja']),
    entries: z.array(Entry).openapi({ description: 'best first, at most 10' }),
    dictionary: z.string().openapi({ description: 'dictionary@version' }),
    credit: z.string().openapi({ description: "the dictionary's licence credit, to show with its entries" }),
  })
  .openapi('DictionaryLookUp', { example: EXAMPLE });

dictionary.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: "A word's entries in the bilingual dictionary (EDICT), English or Japanese",
    request: { query: Query },
    responses: {
      200: {
        description: 'The entries, best first (none: an empty list)',
        content: { 'application/json': { schema: LookUp } },
      },
      400: {
        description: 'No word, or one no look-up is made for',
        content: { 'application/json': { schema: ErrorResponse } },
      },
      503: {
        description: 'No dictionary can be loaded; GET /health says why',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    },
  }),
  async (c) => {
    const { word, from } = c.req.valid('query');
    const loaded = await c.var.dictionary.get();
    const status = c.var.dictionary.status;
    if (!loaded || !('licence' in status)) throw unavailable(status);
    const found = lookUp(loaded, word, from);
    return c.json({ ...found, dictionary: modelId(DICTIONARY, status.version), credit: status.licence.credit }, 200, {
      'Cache-Control': 'public, max-age=300',
    });
  },
);

function unavailable(status: { status: string; reason?: string }): ApiError {
  return new ApiError(
    503,
    'dictionary_unavailable',
    `the dictionary is unavailable${'reason' in status && status.reason ? `: ${status.reason}` : ''}`,
  );
}

const FileParams = z.object({
  path: FilePath.openapi({
    param: { name: 'path', in: 'path' },
    description: '"manifest.json" or a file it lists',
    example: 'manifest.json',
  }),
});

const fileRoute = createRoute({
  method: 'get',
  path: '/files/{path}',
  summary: "A file of the live dictionary (the page's in-browser translation)",
  request: { params: FileParams },
  responses: {
    200: { description: 'The file, as stored; `X-Dictionary-Version` names its version', content: BINARY_CONTENT },
    404: {
      description: 'Not a file of the live dictionary',
      content: { 'application/json': { schema: ErrorResponse } },
    },
    503: { description: 'No dictionary is published', content: { 'application/json': { schema: ErrorResponse } } },
  },
});

dictionary.openAPIRegistry.registerPath(fileRoute);
dictionary.openapi({ ...fileRoute, path: '/files/{path{.+}}', hide: true }, async (c) => {
  const { path } = c.req.valid('param');
  const pointer = await c.env.MODELS.get(pointerKey(DICTIONARY));
  if (!pointer) throw unavailable({ status: 'absent', reason: 'no dictionary has been uploaded' });
  let version: string;
  try {
    ({ version } = parsePointer(await pointer.text()));
  } catch {
    throw unavailable({ status: 'unavailable', reason: 'its live pointer is invalid' });
  }
  const manifest =
    path === 'manifest.json' ? undefined : await c.env.MODELS.get(objectKey(DICTIONARY, version, 'manifest.json'));
  if (manifest && !(path in ((await manifest.json<{ files?: Record<string, unknown> }>()).files ?? {})))
    throw new ApiError(404, 'not_found', `"${path}" is not a file of ${modelId(DICTIONARY, version)}`);
  const object = await c.env.MODELS.get(objectKey(DICTIONARY, version, path));
  if (!object) throw new ApiError(404, 'not_found', `"${path}" is not a file of ${modelId(DICTIONARY, version)}`);
  return fileOfVersion(c, object, path, { 'X-Dictionary-Version': version });
});
