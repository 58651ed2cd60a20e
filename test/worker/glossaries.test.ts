// DeepL's glossary API (v2 and v3) inside workerd on the real Miniflare D1: creating from TSV, CSV, JSON and forms
// (deepl-node's `dictionaries[0].x` spelling), reading, listing, entries, editing and deleting, DeepL's validation and
// limits with its wording, atomic writes, and translation applying the terms (/v2/translate glossary_id, /translate
// glossary), a change seen by the next request, and a delete racing translations giving 200 or 404 only. Keys and
// owners: keys.test.ts. Run: npx vitest run --project workers test/worker/glossaries.test.ts
import { SELF, env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TERM_BYTES } from '../../src/core/glossary/entries.js';
import { LOCAL_OWNER } from '../../src/http/owner.js';
import { GlossaryStore, MAX_GLOSSARIES } from '../../src/store/glossaries.js';
import { post, seedVersion, url } from './seed.js';

let words: string[]; // en-ja test model's in-vocabulary English words
let japaneseWords: string[];

beforeAll(async () => {
  ({ sourceWords: words } = await seedVersion('glossary-e1'));
  ({ sourceWords: japaneseWords } = await seedVersion('glossary-j1', { direction: 'ja-en' }));
});

afterEach(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM dictionary_chunks'),
    env.DB.prepare('DELETE FROM dictionaries'),
    env.DB.prepare('DELETE FROM glossaries'),
  ]);
});

const AUTH = { Authorization: 'DeepL-Auth-Key any:fx' };

const form = (method: string, path: string, fields: Record<string, string>) =>
  SELF.fetch(url(path), {
    method,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...AUTH },
    body: new URLSearchParams(fields),
  });
const json = (method: string, path: string, body: unknown) =>
  SELF.fetch(url(path), {
    method,
    headers: { 'Content-Type': 'application/json', ...AUTH },
    body: JSON.stringify(body),
  });
const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(url(path), { headers: { ...AUTH, ...headers } });
const del = (path: string) => SELF.fetch(url(path), { method: 'DELETE', headers: AUTH });

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

async function deeplError(res: Response, status: number, message: RegExp, detail?: RegExp): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = await res.json<{ message: string; detail?: string }>();
  expect(body.message).toMatch(message);
  if (detail) expect(body.detail).toMatch(detail);
}

interface V2Glossary {
  glossary_id: string;
  name: string;
  ready: boolean;
  source_lang: string;
  target_lang: string;
  creation_time: string;
  entry_count: number;
}
interface V3Glossary {
  glossary_id: string;
  name: string;
  dictionaries: { source_lang: string; target_lang: string; entry_count: number }[];
  creation_time: string;
}

const createV2 = async (entries: string, fields: Record<string, string> = {}) =>
  ok<V2Glossary>(
    await form('POST', '/v2/glossaries', {
      name: 'g',
      source_lang: 'en',
      target_lang: 'ja',
      entries,
      entries_format: 'tsv',
      ...fields,
    }),
    201,
  );

describe('v2 glossaries', () => {
  it('lists the served directions as the glossary language pairs', async () => {
    expect(await ok(await get('/v2/glossary-language-pairs'))).toEqual({
      supported_languages: [
        { source_lang: 'en', target_lang: 'ja' },
        { source_lang: 'ja', target_lang: 'en' },
      ],
    });
  });

  it('creates a glossary from TSV and reads it back: details, list, entries as TSV', async () => {
    const created = await createV2('Hello\tこんにちは\r\n\n  green tea \t 緑茶 \n', {
      name: 'My Glossary',
      target_lang: 'JA',
    });
    expect(created).toEqual({
      glossary_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'My Glossary',
      ready: true,
      source_lang: 'en',
      target_lang: 'ja',
      creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      entry_count: 2,
    });
    expect(await ok(await get(`/v2/glossaries/${created.glossary_id}`))).toEqual(created);
    expect(await ok(await get('/v2/glossaries'))).toEqual({ glossaries: [created] });
    const entries = await get(`/v2/glossaries/${created.glossary_id}/entries`, { Accept: 'text/tab-separated-values' });
    expect(entries.headers.get('Content-Type')).toBe('text/tab-separated-values; charset=UTF-8');
    expect(await entries.text()).toBe('Hello\tこんにちは\ngreen tea\t緑茶');
    await deeplError(
      await get(`/v2/glossaries/${created.glossary_id}/entries`, { Accept: 'application/json' }),
      415,
      /No supported media type/,
    );
  });

  it('creates from CSV with quotes, commas and language columns, and from JSON', async () => {
    const csv = await createV2('sourceEntry1,targetEntry1,en,ja\n"source""Entry","target,Entry",EN,JA', {
      entries_format: 'csv',
    });
    expect(await (await get(`/v2/glossaries/${csv.glossary_id}/entries`)).text()).toBe(
      'sourceEntry1\ttargetEntry1\nsource"Entry\ttarget,Entry',
    );
    const fromJson = await ok<V2Glossary>(
      await json('POST', '/v2/glossaries', { name: 'j', source_lang: 'ja', target_lang: 'en', entries: '猫\tcat' }),
      201,
    );
    expect(fromJson).toMatchObject({ source_lang: 'ja', target_lang: 'en', entry_count: 1 });
  });

  it('deletes: 204, then 404 "Glossary not found" for every operation', async () => {
    const { glossary_id: id } = await createV2('a\tb');
    expect((await del(`/v2/glossaries/${id}`)).status).toBe(204);
    await deeplError(await get(`/v2/glossaries/${id}`), 404, /^Glossary not found$/);
    await deeplError(await get(`/v2/glossaries/${id}/entries`), 404, /^Glossary not found$/);
    await deeplError(await del(`/v2/glossaries/${id}`), 404, /^Glossary not found$/);
    expect(await ok(await get('/v2/glossaries'))).toEqual({ glossaries: [] });
  });

  it('answers an id that is no glossary id with 400, and an unknown one with 404', async () => {
    await deeplError(await get('/v2/glossaries/invalid_glossary_id'), 400, /glossary_id/);
    await deeplError(await get('/v2/glossaries/96ab91fd-e715-41a1-adeb-5d701f84a483'), 404, /Glossary not found/);
  });

  it.each([
    [
      'a duplicate source term',
      'a\tb\nc\td\na\te',
      /Key with the index 2 \(starting at position 8\) duplicates key with the index 0 \(starting at position 0\)/,
    ],
    ['an entry without a tab', 'a\tb\nc d', /Key with the index 1 \(starting at position 4\) misses tab separator/],
    ['a tab inside a term', 'a\tb\tc', /more than one tab separator/],
    ['an empty source term', ' \tb', /the source term is empty/],
    ['an empty target term', 'a\t ', /the target term is empty/],
    ['a control character', 'a\u0007\tb', /control character U\+0007/],
    ['a line separator', 'a\u2028b\tc', /control character U\+2028/],
    [
      'a term over 1,024 UTF-8 bytes',
      `a\t${'語'.repeat(342)}`,
      new RegExp(`longer than ${MAX_TERM_BYTES} UTF-8 bytes`),
    ],
    ['no entries at all', '\n \n', /no entries/],
  ])("refuses %s with DeepL's message and a detail naming the entry", async (_, entries, detail) => {
    await deeplError(
      await form('POST', '/v2/glossaries', { name: 'g', source_lang: 'en', target_lang: 'ja', entries }),
      400,
      /^Invalid glossary entries provided$/,
      detail,
    );
    expect(await ok(await get('/v2/glossaries'))).toEqual({ glossaries: [] }); // nothing half-made
  });

  it('refuses a newline inside a quoted CSV term, and language columns of another pair', async () => {
    await deeplError(
      await form('POST', '/v2/glossaries', {
        name: 'g',
        source_lang: 'en',
        target_lang: 'ja',
        entries_format: 'csv',
        entries: '"a\nb",c',
      }),
      400,
      /Invalid glossary entries/,
      /U\+000A/,
    );
    await deeplError(
      await form('POST', '/v2/glossaries', {
        name: 'g',
        source_lang: 'en',
        target_lang: 'ja',
        entries_format: 'csv',
        entries: 'a,b,en,de',
      }),
      400,
      /Invalid glossary entries/,
      /en -> de/,
    );
  });

  it('refuses a pair that is not served, a missing or empty name, and an unknown entries format', async () => {
    await deeplError(
      await form('POST', '/v2/glossaries', {
        name: 'g',
        source_lang: 'en',
        target_lang: 'de',
        entries: 'Hello\tHallo',
      }),
      400,
      /^Unsupported glossary source and target language pair$/,
      /en -> ja, ja -> en/,
    );
    await deeplError(
      await form('POST', '/v2/glossaries', { name: 'g', source_lang: 'en', target_lang: 'xx', entries: 'a\tb' }),
      400,
      /Unsupported glossary source and target language pair/,
    );
    await deeplError(
      await form('POST', '/v2/glossaries', { source_lang: 'en', target_lang: 'ja', entries: 'a\tb' }),
      400,
      /Parameter 'name' not specified/,
    );
    await deeplError(
      await form('POST', '/v2/glossaries', { name: ' ', source_lang: 'en', target_lang: 'ja', entries: 'a\tb' }),
      400,
      /'name'.*must not be empty/,
    );
    await deeplError(
      await form('POST', '/v2/glossaries', {
        name: 'g',
        source_lang: 'en',
        target_lang: 'ja',
        entries: 'a\tb',
        entries_format: 'xlsx',
      }),
      400,
      /'entries_format'/,
    );
  });

  it('refuses the 1,001st glossary of an owner, and a glossary over 10 MiB with 413', async () => {
    const now = new Date().toISOString();
    const insert = env.DB.prepare('INSERT INTO glossaries (id, owner, name, created_at) VALUES (?1, ?2, ?3, ?4)');
    await env.DB.batch(
      Array.from({ length: MAX_GLOSSARIES }, (_, i) => insert.bind(crypto.randomUUID(), LOCAL_OWNER, `g${i}`, now)),
    );
    await deeplError(
      await form('POST', '/v2/glossaries', {
        name: 'one too many',
        source_lang: 'en',
        target_lang: 'ja',
        entries: 'a\tb',
      }),
      400,
      /at most 1000/,
    );
    await env.DB.prepare('DELETE FROM glossaries').run();
    const big = Array.from({ length: 11_000 }, (_, i) => `term${i}\t${'x'.repeat(1000)}`).join('\n'); // 11 MB
    await deeplError(
      await json('POST', '/v2/glossaries', { name: 'big', source_lang: 'en', target_lang: 'ja', entries: big }),
      413,
      /at most 10485760/,
    );
  });
});

describe('v3 glossaries', () => {
  const dictionary = (source_lang: string, target_lang: string, entries: string, entries_format = 'tsv') => ({
    source_lang,
    target_lang,
    entries,
    entries_format,
  });

  it("creates from a form in deepl-node's spelling, with several dictionaries, and reads it back", async () => {
    const res = await form('POST', '/v3/glossaries', {
      name: 'multi',
      'dictionaries[0].source_lang': 'en',
      'dictionaries[0].target_lang': 'ja',
      'dictionaries[0].entries': 'Hello\tこんにちは\nApple\tりんご',
      'dictionaries[0].entries_format': 'tsv',
      'dictionaries[1].source_lang': 'ja',
      'dictionaries[1].target_lang': 'en',
      'dictionaries[1].entries': 'こんにちは,Hello',
      'dictionaries[1].entries_format': 'csv',
    });
    const created = await ok<V3Glossary>(res, 201);
    expect(created.dictionaries).toEqual([
      { source_lang: 'en', target_lang: 'ja', entry_count: 2 },
      { source_lang: 'ja', target_lang: 'en', entry_count: 1 },
    ]);
    expect(await ok(await get(`/v3/glossaries/${created.glossary_id}`))).toEqual(created);
    expect(await ok(await get('/v3/glossaries'))).toEqual({ glossaries: [created] });
    expect(await ok(await get(`/v3/glossaries/${created.glossary_id}/entries?source_lang=EN&target_lang=ja`))).toEqual({
      dictionaries: [
        { source_lang: 'en', target_lang: 'ja', entries: 'Hello\tこんにちは\nApple\tりんご', entries_format: 'tsv' },
      ],
    });
    // Through v2: listed only when it has one dictionary; reading a multilingual one says to use v3.
    expect(await ok(await get('/v2/glossaries'))).toEqual({ glossaries: [] });
    await deeplError(await get(`/v2/glossaries/${created.glossary_id}`), 400, /2 dictionaries.*\/v3\/glossaries/);
  });

  it('creates a glossary without dictionaries (JSON), as DeepL does, and refuses two dictionaries of one pair', async () => {
    const empty = await ok<V3Glossary>(await json('POST', '/v3/glossaries', { name: 'empty', dictionaries: [] }), 201);
    expect(empty.dictionaries).toEqual([]);
    const twice = await json('POST', '/v3/glossaries', {
      name: 'x',
      dictionaries: [dictionary('en', 'ja', 'a\tb'), dictionary('EN', 'JA', 'c\td')],
    });
    await deeplError(twice, 400, /'dictionaries'/, /same language pair/);
  });

  it('reads a v2 glossary as a glossary of one dictionary', async () => {
    const v2 = await createV2('a\tb');
    expect(await ok(await get(`/v3/glossaries/${v2.glossary_id}`))).toEqual({
      glossary_id: v2.glossary_id,
      name: 'g',
      dictionaries: [{ source_lang: 'en', target_lang: 'ja', entry_count: 1 }],
      creation_time: v2.creation_time,
    });
  });

  it('renames with PATCH and merges the entries of one dictionary into it (or adds it)', async () => {
    const { glossary_id: id } = await ok<V3Glossary>(
      await json('POST', '/v3/glossaries', {
        name: 'before',
        dictionaries: [dictionary('en', 'ja', 'Hello\tやあ\nApple\tりんご')],
      }),
      201,
    );
    const renamed = await ok<V3Glossary>(await form('PATCH', `/v3/glossaries/${id}`, { name: 'after' }));
    expect(renamed.name).toBe('after');
    const merged = await ok<V3Glossary>(
      await form('PATCH', `/v3/glossaries/${id}`, {
        'dictionaries[0].source_lang': 'en',
        'dictionaries[0].target_lang': 'ja',
        'dictionaries[0].entries': 'Hello,こんにちは\nBanana,バナナ',
        'dictionaries[0].entries_format': 'csv',
      }),
    );
    expect(merged).toMatchObject({
      name: 'after',
      dictionaries: [{ source_lang: 'en', target_lang: 'ja', entry_count: 3 }],
    });
    const entries = await ok<{ dictionaries: { entries: string }[] }>(
      await get(`/v3/glossaries/${id}/entries?source_lang=en&target_lang=ja`),
    );
    expect(entries.dictionaries[0]?.entries).toBe('Hello\tこんにちは\nApple\tりんご\nBanana\tバナナ');
    const added = await ok<V3Glossary>(
      await json('PATCH', `/v3/glossaries/${id}`, { dictionaries: [dictionary('ja', 'en', '猫\tcat')] }),
    );
    expect(added.dictionaries).toHaveLength(2);
    await deeplError(
      await json('PATCH', `/v3/glossaries/${id}`, {
        dictionaries: [dictionary('en', 'ja', 'a\tb'), dictionary('ja', 'en', 'c\td')],
      }),
      400,
      /at most one dictionary/,
    );
  });

  it('replaces a dictionary with PUT, and deletes one with DELETE .../dictionaries', async () => {
    const { glossary_id: id } = await ok<V3Glossary>(
      await json('POST', '/v3/glossaries', {
        name: 'p',
        dictionaries: [dictionary('en', 'ja', 'Hello\tやあ'), dictionary('ja', 'en', 'やあ\tHello')],
      }),
      201,
    );
    const replaced = await ok(
      await form('PUT', `/v3/glossaries/${id}/dictionaries`, {
        source_lang: 'en',
        target_lang: 'ja',
        entries: 'Apple\tりんご\nBanana\tバナナ',
        entries_format: 'tsv',
      }),
    );
    expect(replaced).toEqual({ source_lang: 'en', target_lang: 'ja', entry_count: 2 });
    const entries = await ok<{ dictionaries: { entries: string }[] }>(
      await get(`/v3/glossaries/${id}/entries?source_lang=en&target_lang=ja`),
    );
    expect(entries.dictionaries[0]?.entries).toBe('Apple\tりんご\nBanana\tバナナ');
    expect((await del(`/v3/glossaries/${id}/dictionaries?source_lang=en&target_lang=ja`)).status).toBe(204);
    expect((await ok<V3Glossary>(await get(`/v3/glossaries/${id}`))).dictionaries).toEqual([
      { source_lang: 'ja', target_lang: 'en', entry_count: 1 },
    ]);
    await deeplError(
      await del(`/v3/glossaries/${id}/dictionaries?source_lang=en&target_lang=ja`),
      404,
      /Dictionary not found/,
    );
    await deeplError(
      await get(`/v3/glossaries/${id}/entries?source_lang=en&target_lang=ja`),
      404,
      /Dictionary not found/,
    );
    await deeplError(await del(`/v3/glossaries/${id}/dictionaries`), 400, /Parameter 'source_lang' not specified/);
    expect((await del(`/v3/glossaries/${id}`)).status).toBe(204);
    await deeplError(await get(`/v3/glossaries/${id}`), 404, /Glossary not found/);
    await deeplError(
      await form('PUT', `/v3/glossaries/${id}/dictionaries`, { source_lang: 'en', target_lang: 'ja', entries: 'a\tb' }),
      404,
      /Glossary not found/,
    );
  });

  it('keeps 10,000 entries in order, through chunked storage', async () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => `Source-${i}\tTarget-${i}`).join('\n');
    const { glossary_id: id, dictionaries } = await ok<V3Glossary>(
      await json('POST', '/v3/glossaries', { name: 'large', dictionaries: [dictionary('en', 'ja', entries)] }),
      201,
    );
    expect(dictionaries[0]?.entry_count).toBe(10_000);
    const back = await ok<{ dictionaries: { entries: string }[] }>(
      await get(`/v3/glossaries/${id}/entries?source_lang=en&target_lang=ja`),
    );
    expect(back.dictionaries[0]?.entries).toBe(entries);
  });
});

describe('atomic writes', () => {
  it('leaves nothing of a create whose batch fails half-way (the second dictionary collides with the first)', async () => {
    const store = new GlossaryStore(env.DB);
    const one = { sourceLang: 'en', targetLang: 'ja', entries: [{ source: 'a', target: 'b' }] };
    await expect(store.create(LOCAL_OWNER, 'broken', [one, one])).rejects.toThrow();
    expect(await store.list(LOCAL_OWNER)).toEqual([]);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM dictionaries').first('n')).toBe(0);
  });

  it("deletes a dictionary's stored chunks with it", async () => {
    const created = await createV2('a\tb');
    expect((await del(`/v2/glossaries/${created.glossary_id}`)).status).toBe(204);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM dictionary_chunks').first('n')).toBe(0);
  });
});

interface Translation {
  translation: string;
  glossaryTerms?: { source: string; target: string }[];
}

describe('translation with a glossary', () => {
  const sentence = () => words.slice(0, 4).join(' ');

  it('/v2/translate applies glossary_id: every source term comes back as its target term', async () => {
    const [w0, , w2] = words;
    const g = await createV2(`${w0}\tTERM-ONE\n${w2}\tTERM-TWO`);
    const res = await form('POST', '/v2/translate', {
      text: sentence(),
      source_lang: 'EN',
      target_lang: 'JA',
      glossary_id: g.glossary_id,
    });
    const { translations } = await ok<{ translations: { text: string }[] }>(res);
    expect(translations[0]?.text).toContain('TERM-ONE');
    expect(translations[0]?.text).toContain('TERM-TWO');
  });

  it("/v2/translate follows DeepL's rules: source_lang required, the glossary must have the pair, and be the key's", async () => {
    const g = await createV2(`${words[0]}\tX`);
    await deeplError(
      await form('POST', '/v2/translate', { text: sentence(), target_lang: 'JA', glossary_id: g.glossary_id }),
      400,
      /^Use of a glossary requires the source_lang parameter to be specified\.$/,
    );
    await deeplError(
      await form('POST', '/v2/translate', {
        text: japaneseWords.join(''),
        source_lang: 'ja',
        target_lang: 'EN-US',
        glossary_id: g.glossary_id,
      }),
      400,
      /No dictionary found for language pair 'JA' -> 'EN'/,
    );
    await deeplError(
      await form('POST', '/v2/translate', {
        text: sentence(),
        source_lang: 'en',
        target_lang: 'ja',
        glossary_id: '96ab91fd-e715-41a1-adeb-5d701f84a483',
      }),
      404,
      /Glossary not found/,
    );
    await deeplError(
      await form('POST', '/v2/translate', {
        text: sentence(),
        source_lang: 'en',
        target_lang: 'ja',
        glossary_id: 'nope',
      }),
      400,
      /glossary_id/,
    );
  });

  it('/translate applies a stored glossary by id and says which terms it applied; "auto" uses each direction\'s dictionary', async () => {
    const { glossary_id: id } = await ok<V3Glossary>(
      await json('POST', '/v3/glossaries', {
        name: 'both ways',
        dictionaries: [
          { source_lang: 'en', target_lang: 'ja', entries: `${words[1]}\t用語` },
          { source_lang: 'ja', target_lang: 'en', entries: `${japaneseWords[0]}\tTERM` },
        ],
      }),
      201,
    );
    const english = await ok<Translation>(
      await SELF.fetch(post('/translate', { text: sentence(), direction: 'en-ja', glossary: id })),
    );
    expect(english.translation).toContain('用語');
    expect(english.glossaryTerms).toEqual([{ source: words[1], target: '用語' }]);
    const both = await ok<{ translations: Translation[] }>(
      await SELF.fetch(post('/translate', { texts: [sentence(), japaneseWords.join('')], glossary: id })),
    );
    expect(both.translations[0]?.translation).toContain('用語');
    expect(both.translations[1]?.translation).toContain('TERM');
  });

  it('/translate applies inline terms, case rules and plurals included, and checks them as entries', async () => {
    const text = `${words[0]} ${words[1]}s ${words[2]!.toUpperCase()}`;
    const terms = { [words[0]!]: 'ONE', [words[1]!]: 'TWO', [words[2]!]: 'THREE' };
    const result = await ok<Translation>(
      await SELF.fetch(post('/translate', { text, direction: 'en-ja', glossary: { terms } })),
    );
    for (const target of ['ONE', 'TWO', 'THREE']) expect(result.translation).toContain(target);
    const bad = await SELF.fetch(post('/translate', { text, glossary: { terms: { 'a\tb': 'c' } } }));
    expect(bad.status).toBe(400);
    expect((await bad.json<{ error: { message: string } }>()).error.message).toMatch(/Invalid glossary entries/);
  });

  it('translates a text that is one term (and at most a final stop) as the term, as a dictionary would', async () => {
    const g = await createV2(`${words[0]}\tONE\n${words[1]}\tTWO`);
    const res = await json('POST', '/v2/translate', {
      text: [words[0], `${words[1]}.`, ` ${words[0]} `],
      source_lang: 'en',
      target_lang: 'ja',
      glossary_id: g.glossary_id,
    });
    const { translations } = await ok<{ translations: { text: string }[] }>(res);
    expect(translations.map((t) => t.text)).toEqual(['ONE', 'TWO。', ' ONE ']);
  });

  it('sees a change at the next request (the isolate cache compares versions)', async () => {
    const { glossary_id: id } = await ok<V3Glossary>(
      await json('POST', '/v3/glossaries', {
        name: 'c',
        dictionaries: [{ source_lang: 'en', target_lang: 'ja', entries: `${words[0]}\tFIRST` }],
      }),
      201,
    );
    const translate = async () =>
      (
        await ok<Translation>(
          await SELF.fetch(post('/translate', { text: sentence(), direction: 'en-ja', glossary: id })),
        )
      ).translation;
    expect(await translate()).toContain('FIRST');
    expect(await translate()).toContain('FIRST'); // cached
    await ok(
      await json('PATCH', `/v3/glossaries/${id}`, {
        dictionaries: [{ source_lang: 'en', target_lang: 'ja', entries: `${words[0]}\tSECOND` }],
      }),
    );
    expect(await translate()).toContain('SECOND');
    expect((await del(`/v3/glossaries/${id}`)).status).toBe(204);
    expect((await SELF.fetch(post('/translate', { text: sentence(), direction: 'en-ja', glossary: id }))).status).toBe(
      404,
    );
  });

  it('answers translations racing a delete with the old terms or 404, never 5xx', async () => {
    const { glossary_id: id } = await createV2(`${words[0]}\tOLD`);
    const translate = () =>
      form('POST', '/v2/translate', { text: sentence(), source_lang: 'en', target_lang: 'ja', glossary_id: id });
    await ok(await translate()); // compiled and cached
    const racing = [
      ...Array.from({ length: 6 }, translate),
      del(`/v2/glossaries/${id}`),
      ...Array.from({ length: 6 }, translate),
    ];
    const responses = await Promise.all(racing);
    for (const res of responses) {
      expect([200, 204, 404]).toContain(res.status);
      if (res.status === 200)
        expect((await res.json<{ translations: { text: string }[] }>()).translations[0]?.text).toContain('OLD');
    }
    expect((await translate()).status).toBe(404);
  });
});
