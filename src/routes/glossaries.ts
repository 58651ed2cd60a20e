// DeepL's glossary API, v2 (mounted at /v2) and v3 (at /v3), so DeepL clients manage their terms here unchanged.
// Every glossary belongs to the key that made it (../http/owner.ts); another key's reads as absent: 404 "Glossary not
// found". Storage: ../store/glossaries.ts (D1, atomic writes); entries: ../core/glossary/entries.ts (TSV/CSV, DeepL's
// rules and limits); errors are DeepL's `{"message", "detail"}` (deeplErrors in ../app.ts).
//
// - v2: POST/GET /glossaries, GET/DELETE /glossaries/{id}, GET /glossaries/{id}/entries (TSV),
//   GET /glossary-language-pairs. A v2 glossary has one dictionary; v2 lists only glossaries with exactly one, and
//   reading one with several (made through v3) through v2 is a 400 that says to use v3.
// - v3: POST/GET /glossaries, GET/PATCH/DELETE /glossaries/{id}, PUT /glossaries/{id}/dictionaries (replace one),
//   GET /glossaries/{id}/entries?source_lang&target_lang, DELETE /glossaries/{id}/dictionaries?source_lang&target_lang.
//   PATCH renames, and merges the entries of at most one dictionary into it (a given source term replaces its entry).
//   A v2 glossary is a v3 glossary with one dictionary, as DeepL's.
// - Language pairs: the directions this deployment serves (GET /v2/glossary-language-pairs), codes in lower case and
//   without region ("EN-US" is "en"); any other pair is "Unsupported glossary source and target language pair".
// - Fields come as JSON, form-encoded or multipart (../http/fields.ts); v3 forms spell dictionaries as deepl-node does,
//   `dictionaries[0].source_lang=...`.
import { OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { MAX_GLOSSARY_BYTES, MAX_TERM_BYTES, parseEntries, toTsv, utf8Bytes } from '../core/glossary/entries.js';
import { sourceLanguage, targetLanguage } from '../core/language.js';
import { ApiError } from '../http/errors.js';
import { errorResponses } from '../http/face-errors.js';
import { fieldsBody, readFields, serveDocumented, type Fields } from '../http/fields.js';
import { GLOSSARY_ID } from '../http/glossary.js';
import { TargetLanguage } from '../http/languages.js';
import { ownerOf } from '../http/owner.js';
import { GlossaryStore, MAX_GLOSSARIES, type Dictionary, type GlossaryInfo } from '../store/glossaries.js';
import { DeepLError, deeplFields, FORBIDDEN } from './deepl.js';

export const glossariesV2 = new OpenAPIHono<AppEnv>();
export const glossariesV3 = new OpenAPIHono<AppEnv>();

/** Paths whose bodies may carry a whole glossary (../http/limits.ts), and how large: 10 MiB of terms, form-encoded. */
export const GLOSSARY_PATHS = /^\/v[23]\/glossaries(?:\/|$)/;
export const GLOSSARY_BODY_BYTES = 3 * MAX_GLOSSARY_BYTES + 1024 * 1024;

/** The tag of these operations in GET /openapi.json. */
export const GLOSSARIES_TAG = {
  name: 'DeepL glossaries',
  description: `DeepL's v2 and v3 glossary endpoints; each glossary belongs to the key that made it. A term is at most ${MAX_TERM_BYTES} UTF-8 bytes, a glossary at most 10 MiB, a key has at most ${MAX_GLOSSARIES} glossaries.`,
};

const Language = TargetLanguage; // any case, region dropped: "EN-US" -> "en"

const Name = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .refine((name) => utf8Bytes(name) <= MAX_TERM_BYTES, { error: `must be at most ${MAX_TERM_BYTES} UTF-8 bytes` })
  .openapi({ description: "The glossary's name (need not be unique).", example: 'My Glossary' });

const EntriesFormat = z.enum(['tsv', 'csv'], { error: 'must be "tsv" or "csv"' }).default('tsv').openapi({
  description:
    '"tsv" (default): source<TAB>target a line; "csv": source,target[,source_lang,target_lang] a line, RFC 4180 quoting.',
});

const Entries = z
  .string({ error: 'must be a string' })
  .openapi({ description: 'The entries, one a line, in entries_format.', example: 'Hello\tこんにちは' });

const DictionaryFields = z.object({
  source_lang: Language,
  target_lang: Language,
  entries: Entries,
  entries_format: EntriesFormat,
});

/** A dictionary in DeepL's responses (v3). */
const DictionaryInfo = z.object({
  source_lang: z.string().openapi({ example: 'en' }),
  target_lang: z.string().openapi({ example: 'ja' }),
  entry_count: z.number().int(),
});

const V2Glossary = z
  .object({
    glossary_id: z.string().openapi({ example: 'def3a26b-3e84-45b3-84ae-0c0aaf3525f7' }),
    name: z.string(),
    ready: z.boolean().openapi({ description: 'Always true: a glossary can be used as soon as it is made.' }),
    source_lang: z.string().openapi({ example: 'en' }),
    target_lang: z.string().openapi({ example: 'ja' }),
    creation_time: z.string().openapi({ example: '2026-12-01T12:00:00.000Z' }),
    entry_count: z.number().int(),
  })
  .openapi('DeepLGlossary', { example: EXAMPLES.glossary });

const V3Glossary = z
  .object({
    glossary_id: z.string().openapi({ example: 'def3a26b-3e84-45b3-84ae-0c0aaf3525f7' }),
    name: z.string(),
    dictionaries: z.array(DictionaryInfo),
    creation_time: z.string().openapi({ example: '2026-12-01T12:00:00.000Z' }),
  })
  .openapi('DeepLMultilingualGlossary', { example: EXAMPLES.multilingualGlossary });

const GlossaryIdParam = z.object({
  glossary_id: z
    .string()
    .openapi({ param: { name: 'glossary_id', in: 'path' }, example: 'def3a26b-3e84-45b3-84ae-0c0aaf3525f7' }),
});
const PairQuery = z.object({ source_lang: Language, target_lang: Language });

const store = (c: Context<AppEnv>) => new GlossaryStore(c.env.DB);

/** The path's glossary id; not a UUID is DeepL's 400, so only a well-formed id can be "not found". */
function glossaryId(c: Context<AppEnv>): string {
  const id = c.req.param('glossary_id') ?? '';
  if (!GLOSSARY_ID.test(id))
    throw new ApiError(
      400,
      'invalid_request',
      "Value for 'glossary_id' not supported.",
      {},
      `"${id}" is not a glossary id`,
    );
  return id;
}

/** The served pair of `fields`, or DeepL's 400 for a pair this deployment has no direction for. */
function pairOf(c: Context<AppEnv>, source: string, target: string): { source: string; target: string } {
  if (!c.var.config.directions.includes(`${source}-${target}`)) {
    throw new ApiError(
      400,
      'unsupported_glossary_pair',
      'Unsupported glossary source and target language pair',
      {},
      `${source} -> ${target}; glossaries here are for ${pairsOf(c)
        .map((p) => `${p.source_lang} -> ${p.target_lang}`)
        .join(', ')}`,
    );
  }
  return { source, target };
}

const pairsOf = (c: Context<AppEnv>) =>
  c.var.config.directions.map((d) => ({ source_lang: sourceLanguage(d), target_lang: targetLanguage(d) }));

function dictionaryOf(c: Context<AppEnv>, fields: z.output<typeof DictionaryFields>): Dictionary {
  const pair = pairOf(c, fields.source_lang, fields.target_lang);
  return {
    sourceLang: pair.source,
    targetLang: pair.target,
    entries: parseEntries(fields.entries, fields.entries_format, pair),
  };
}

const v3Info = (g: GlossaryInfo): z.input<typeof V3Glossary> => ({
  glossary_id: g.id,
  name: g.name,
  dictionaries: g.dictionaries.map((d) => ({
    source_lang: d.sourceLang,
    target_lang: d.targetLang,
    entry_count: d.entryCount,
  })),
  creation_time: g.createdAt,
});

/** A glossary as v2 shows it: it must have exactly one dictionary. */
function v2Info(g: GlossaryInfo): z.input<typeof V2Glossary> {
  const [only] = g.dictionaries;
  if (!only || g.dictionaries.length > 1) {
    throw new ApiError(
      400,
      'multilingual_glossary',
      `Glossary ${g.id} has ${g.dictionaries.length} dictionaries; v2 shows glossaries of one: use GET /v3/glossaries/${g.id}.`,
    );
  }
  return {
    glossary_id: g.id,
    name: g.name,
    ready: true,
    source_lang: only.sourceLang,
    target_lang: only.targetLang,
    creation_time: g.createdAt,
    entry_count: only.entryCount,
  };
}

/** Documents and serves one operation of `app`, under the glossaries tag with DeepL's error shape. */
function operation(
  app: OpenAPIHono<AppEnv>,
  route: Omit<RouteConfig, 'responses' | 'tags'>,
  ok: RouteConfig['responses'],
  errors: Record<number, string>,
  handler: Handler<AppEnv>,
): void {
  serveDocumented(
    app,
    {
      ...route,
      tags: [GLOSSARIES_TAG.name],
      responses: { ...ok, ...errorResponses(DeepLError, { 403: FORBIDDEN, ...errors }) },
    },
    handler,
  );
}

/** DELETE /glossaries/{glossary_id}: the same in v2 and v3. */
function deleteGlossary(app: OpenAPIHono<AppEnv>): void {
  operation(
    app,
    {
      method: 'delete',
      path: '/glossaries/{glossary_id}',
      summary: 'Delete a glossary',
      request: { params: GlossaryIdParam },
    },
    noContent,
    { 400: 'The id is not a glossary id', ...NOT_FOUND },
    async (c) => {
      await store(c).delete(ownerOf(c), glossaryId(c));
      return c.body(null, 204);
    },
  );
}

const json = (description: string, schema: z.ZodType) => ({
  200: { description, content: { 'application/json': { schema } } },
});
const created = (schema: z.ZodType) => ({
  201: { description: 'Created', content: { 'application/json': { schema } } },
});
const noContent = { 204: { description: 'Deleted' } };
const NOT_FOUND = { 404: 'No glossary of that id for this key ("Glossary not found")' };
const BAD_ENTRIES =
  'A field is missing or invalid, the pair is not served, or an entry breaks a rule (message "Invalid glossary entries provided", detail naming the entry)';
const TOO_LARGE = { 413: 'The glossary would be over 10 MiB' };

// ---- v2 ----

operation(
  glossariesV2,
  {
    method: 'get',
    path: '/glossary-language-pairs',
    summary: 'The language pairs glossaries can have: the directions served',
  },
  json(
    'The pairs',
    z
      .object({ supported_languages: z.array(z.object({ source_lang: z.string(), target_lang: z.string() })) })
      .openapi('DeepLGlossaryLanguagePairs', { example: EXAMPLES.glossaryPairs }),
  ),
  {},
  (c) => c.json({ supported_languages: pairsOf(c) }),
);

const V2Create = z
  .object({ name: Name, source_lang: Language, target_lang: Language, entries: Entries, entries_format: EntriesFormat })
  .openapi('DeepLGlossaryCreate', { example: EXAMPLES.glossaryCreate });

operation(
  glossariesV2,
  {
    method: 'post',
    path: '/glossaries',
    summary: 'Create a glossary of one language pair',
    request: { body: fieldsBody(V2Create, true) },
  },
  created(V2Glossary),
  { 400: BAD_ENTRIES, ...TOO_LARGE },
  async (c) => {
    const fields = deeplFields(V2Create, await readFields(c));
    const glossary = await store(c).create(ownerOf(c), fields.name, [dictionaryOf(c, fields)]);
    return c.json(v2Info(glossary), 201);
  },
);

operation(
  glossariesV2,
  { method: 'get', path: '/glossaries', summary: "The key's glossaries of one language pair" },
  json('Oldest first', z.object({ glossaries: z.array(V2Glossary) }).openapi({ example: EXAMPLES.glossaries })),
  {},
  async (c) =>
    c.json({ glossaries: (await store(c).list(ownerOf(c))).filter((g) => g.dictionaries.length === 1).map(v2Info) }),
);

operation(
  glossariesV2,
  {
    method: 'get',
    path: '/glossaries/{glossary_id}',
    summary: "A glossary's details",
    request: { params: GlossaryIdParam },
  },
  json('The glossary', V2Glossary),
  { 400: 'The id is not a glossary id, or the glossary has several dictionaries (use v3)', ...NOT_FOUND },
  async (c) => c.json(v2Info(await store(c).get(ownerOf(c), glossaryId(c)))),
);

operation(
  glossariesV2,
  {
    method: 'get',
    path: '/glossaries/{glossary_id}/entries',
    summary: "A glossary's entries as TSV",
    request: { params: GlossaryIdParam },
  },
  { 200: { description: 'One entry a line', content: { 'text/tab-separated-values': { schema: z.string() } } } },
  {
    400: 'The id is not a glossary id, or the glossary has several dictionaries (use v3)',
    ...NOT_FOUND,
    415: 'The Accept header excludes text/tab-separated-values',
  },
  async (c) => {
    const accept = c.req.header('Accept');
    if (accept && !/text\/tab-separated-values|text\/\*|\*\/\*/.test(accept))
      throw new ApiError(415, 'unsupported_media_type', 'No supported media type specified in Accept header');
    const id = glossaryId(c);
    const glossary = v2Info(await store(c).get(ownerOf(c), id));
    const entries = await store(c).entries(ownerOf(c), id, glossary.source_lang, glossary.target_lang);
    return c.body(toTsv(entries), 200, { 'Content-Type': 'text/tab-separated-values; charset=UTF-8' });
  },
);

deleteGlossary(glossariesV2);

// ---- v3 ----

/** v3 dictionaries as JSON sends them (an array) or as forms spell them (`dictionaries[0].source_lang`). */
function withDictionaries(fields: Fields): Fields {
  const indexed = new Map<number, Fields>();
  for (const [key, value] of Object.entries(fields)) {
    const match = key.match(/^dictionaries\[(\d+)\]\.(\w+)$/);
    if (match) indexed.set(Number(match[1]), { ...indexed.get(Number(match[1])), [match[2]!]: value });
  }
  if (indexed.size === 0) return fields;
  return { ...fields, dictionaries: [...indexed].sort(([a], [b]) => a - b).map(([, d]) => d) };
}

const V3Create = z
  .object({
    name: Name,
    dictionaries: z.array(DictionaryFields, { error: 'must be an array of dictionaries' }).default([]),
  })
  .openapi('DeepLMultilingualGlossaryCreate', { example: EXAMPLES.multilingualGlossaryCreate });

const V3Patch = z
  .object({
    name: Name.optional(),
    dictionaries: z
      .array(DictionaryFields, { error: 'must be an array of dictionaries' })
      .max(1, { error: 'at most one dictionary can be changed at a time' })
      .default([]),
  })
  .openapi('DeepLMultilingualGlossaryPatch', { example: EXAMPLES.multilingualGlossaryPatch });

operation(
  glossariesV3,
  {
    method: 'post',
    path: '/glossaries',
    summary: 'Create a glossary of any number of dictionaries',
    request: { body: fieldsBody(V3Create, true) },
  },
  created(V3Glossary),
  { 400: `${BAD_ENTRIES}, or two dictionaries of one pair`, ...TOO_LARGE },
  async (c) => {
    const fields = deeplFields(V3Create, withDictionaries(await readFields(c)));
    const dictionaries = fields.dictionaries.map((d) => dictionaryOf(c, d));
    const pairs = new Set(dictionaries.map((d) => `${d.sourceLang}-${d.targetLang}`));
    if (pairs.size < dictionaries.length)
      throw new ApiError(
        400,
        'invalid_request',
        "Value for 'dictionaries' not supported.",
        {},
        'two dictionaries have the same language pair',
      );
    return c.json(v3Info(await store(c).create(ownerOf(c), fields.name, dictionaries)), 201);
  },
);

operation(
  glossariesV3,
  { method: 'get', path: '/glossaries', summary: "The key's glossaries" },
  json(
    'Oldest first',
    z.object({ glossaries: z.array(V3Glossary) }).openapi({ example: EXAMPLES.multilingualGlossaries }),
  ),
  {},
  async (c) => c.json({ glossaries: (await store(c).list(ownerOf(c))).map(v3Info) }),
);

operation(
  glossariesV3,
  {
    method: 'get',
    path: '/glossaries/{glossary_id}',
    summary: "A glossary's details and dictionaries",
    request: { params: GlossaryIdParam },
  },
  json('The glossary', V3Glossary),
  { 400: 'The id is not a glossary id', ...NOT_FOUND },
  async (c) => c.json(v3Info(await store(c).get(ownerOf(c), glossaryId(c)))),
);

operation(
  glossariesV3,
  {
    method: 'patch',
    path: '/glossaries/{glossary_id}',
    summary: 'Rename a glossary, or merge entries into one of its dictionaries',
    request: { params: GlossaryIdParam, body: fieldsBody(V3Patch, true) },
  },
  json('The glossary as changed', V3Glossary),
  { 400: BAD_ENTRIES, ...NOT_FOUND, ...TOO_LARGE },
  async (c) => {
    const id = glossaryId(c);
    const fields = deeplFields(V3Patch, withDictionaries(await readFields(c)));
    const [dictionary] = fields.dictionaries.map((d) => dictionaryOf(c, d));
    return c.json(v3Info(await store(c).update(ownerOf(c), id, { name: fields.name, dictionary })));
  },
);

deleteGlossary(glossariesV3);

const PutDictionary = DictionaryFields.openapi('DeepLGlossaryDictionary', { example: EXAMPLES.dictionary });

operation(
  glossariesV3,
  {
    method: 'put',
    path: '/glossaries/{glossary_id}/dictionaries',
    summary: "Replace (or add) a glossary's dictionary of one pair",
    request: { params: GlossaryIdParam, body: fieldsBody(PutDictionary, true) },
  },
  json('The dictionary', DictionaryInfo.openapi('DeepLGlossaryDictionaryInfo', { example: EXAMPLES.dictionaryInfo })),
  { 400: BAD_ENTRIES, ...NOT_FOUND, ...TOO_LARGE },
  async (c) => {
    const id = glossaryId(c);
    const dictionary = dictionaryOf(c, deeplFields(PutDictionary, await readFields(c)));
    const info = await store(c).putDictionary(ownerOf(c), id, dictionary);
    return c.json({ source_lang: info.sourceLang, target_lang: info.targetLang, entry_count: info.entryCount });
  },
);

operation(
  glossariesV3,
  {
    method: 'get',
    path: '/glossaries/{glossary_id}/entries',
    summary: "A dictionary's entries",
    request: { params: GlossaryIdParam, query: PairQuery },
  },
  json(
    'The dictionary of that pair, entries as TSV',
    z
      .object({
        dictionaries: z.array(
          z.object({
            source_lang: z.string(),
            target_lang: z.string(),
            entries: z.string(),
            entries_format: z.literal('tsv'),
          }),
        ),
      })
      .openapi('DeepLGlossaryEntries', { example: EXAMPLES.glossaryEntries }),
  ),
  {
    400: 'The id is not a glossary id, or source_lang/target_lang is missing',
    404: 'No glossary of that id for this key, or it has no dictionary of that pair',
  },
  async (c) => {
    const id = glossaryId(c);
    const { source_lang, target_lang } = deeplFields(PairQuery, await readFields(c));
    const entries = await store(c).entries(ownerOf(c), id, source_lang, target_lang);
    return c.json({
      dictionaries: [{ source_lang, target_lang, entries: toTsv(entries), entries_format: 'tsv' as const }],
    });
  },
);

operation(
  glossariesV3,
  {
    method: 'delete',
    path: '/glossaries/{glossary_id}/dictionaries',
    summary: "Delete a glossary's dictionary of one pair",
    request: { params: GlossaryIdParam, query: PairQuery },
  },
  noContent,
  {
    400: 'The id is not a glossary id, or source_lang/target_lang is missing',
    404: 'No glossary of that id for this key, or it has no dictionary of that pair',
  },
  async (c) => {
    const id = glossaryId(c);
    const { source_lang, target_lang } = deeplFields(PairQuery, await readFields(c));
    await store(c).deleteDictionary(ownerOf(c), id, source_lang, target_lang);
    return c.body(null, 204);
  },
);
