// The DeepL API v2 face inside workerd: its request forms (form-encoded and JSON, one text or many, language codes
// in any case), per-text detection, the options as DeepL documents them (split_sentences, preserve_formatting,
// formality, tag_handling and its tag lists, billed_characters), and DeepL's error statuses and wording with
// `{"message"}` bodies. The native face is the oracle: the same text with the same options translates the same. The
// official client is driven against wrangler dev in test/e2e/clients.test.ts and test/e2e/deepl-suite.test.ts.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Env } from '../../src/http/env.js';
import { LIMITS } from '../../src/http/schemas.js';
import { WITH_FRENCH, expectFaceError, nativeTranslation as native } from './faces.js';
import { post, seedVersion, url } from './seed.js';

let english: string;
let japanese: string;

beforeAll(async () => {
  ({ sourceText: english } = await seedVersion('deepl-e1'));
  ({ sourceText: japanese } = await seedVersion('deepl-j1', { direction: 'ja-en' }));
});

const form = (path: string, fields: [string, string][], headers: Record<string, string> = {}): Request =>
  new Request(url(path), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'DeepL-Auth-Key any:fx',
      ...headers,
    },
    body: new URLSearchParams(fields),
  });

interface Translations {
  translations: {
    detected_source_language: string;
    text: string;
    billed_characters?: number;
    model_type_used?: string;
  }[];
}

const translations = async (req: Request): Promise<Translations['translations']> => {
  const res = await SELF.fetch(req);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<Translations>()).translations;
};

const deeplError = (res: Response, status: number, message: RegExp) => expectFaceError(res, status, 'message', message);

describe('POST /v2/translate', () => {
  it('translates a form-encoded text as the native face does, naming the detected source language', async () => {
    const [result] = await translations(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'JA'],
      ]),
    );
    expect(result).toEqual({ detected_source_language: 'EN', text: await native(english, 'en-ja') });
  });

  it('translates repeated text fields in order', async () => {
    const results = await translations(
      form('/v2/translate', [
        ['text', english],
        ['text', japanese],
        ['text', english],
        ['target_lang', 'ja'],
        ['source_lang', 'en'],
      ]),
    );
    expect(results.map((r) => r.text)).toEqual(
      await Promise.all([english, japanese, english].map((t) => native(t, 'en-ja'))),
    );
  });

  it('takes a JSON body with text as an array or a string, and language codes in any case with a region', async () => {
    const body = { text: [japanese], target_lang: 'en-us', source_lang: 'JA' };
    const [result] = await translations(post('/v2/translate', body));
    expect(result).toEqual({ detected_source_language: 'JA', text: await native(japanese, 'ja-en') });
    expect(await translations(post('/v2/translate', { ...body, text: japanese, target_lang: 'EN-GB' }))).toEqual([
      result,
    ]);
  });

  it('detects the source language by script when source_lang is absent', async () => {
    const [result] = await translations(
      form('/v2/translate', [
        ['text', japanese],
        ['target_lang', 'EN-US'],
      ]),
    );
    expect(result?.detected_source_language).toBe('JA');
  });

  it('detects each text of a mixed batch on its own; a text already in the target language comes back as written', async () => {
    const intoJapanese = await translations(
      form('/v2/translate', [
        ['text', japanese],
        ['text', english],
        ['target_lang', 'JA'],
      ]),
    );
    expect(intoJapanese).toEqual([
      { detected_source_language: 'JA', text: japanese },
      { detected_source_language: 'EN', text: await native(english, 'en-ja') },
    ]);
    const intoEnglish = await translations(post('/v2/translate', { text: [japanese, english], target_lang: 'EN-US' }));
    expect(intoEnglish).toEqual([
      { detected_source_language: 'JA', text: await native(japanese, 'ja-en') },
      { detected_source_language: 'EN', text: english },
    ]);
    // A source_lang that is the target's language asks for nothing to translate either.
    expect(
      await translations(
        form('/v2/translate', [
          ['text', english],
          ['source_lang', 'EN'],
          ['target_lang', 'EN-GB'],
        ]),
      ),
    ).toEqual([{ detected_source_language: 'EN', text: english }]);
  });

  it('reports Server-Timing like the native face', async () => {
    const res = await SELF.fetch(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'JA'],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('Server-Timing')).toMatch(/decode;dur=/);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  });
});

describe('POST /v2/translate options, as DeepL documents them', () => {
  const deeplText = async (fields: [string, string][]) => (await translations(form('/v2/translate', fields)))[0]?.text;

  it('billed_characters with show_billed_characters: the code points of each text, not of its tags under tag_handling', async () => {
    const emoji = `${english} 😀`;
    const results = await translations(
      form('/v2/translate', [
        ['text', english],
        ['text', emoji],
        ['text', japanese],
        ['target_lang', 'JA'],
        ['show_billed_characters', '1'],
      ]),
    );
    expect(results.map((r) => r.billed_characters)).toEqual([english.length, emoji.length - 1, japanese.length]);
    const [json] = await translations(
      post('/v2/translate', { text: english, target_lang: 'JA', show_billed_characters: true }),
    );
    expect(json?.billed_characters).toBe(english.length);
    const [html] = await translations(
      form('/v2/translate', [
        ['text', `<p class="lead">${english}<br></p><!-- note -->`],
        ['target_lang', 'JA'],
        ['tag_handling', 'html'],
        ['show_billed_characters', '1'],
      ]),
    );
    expect(html?.billed_characters).toBe(english.length);
    const [without] = await translations(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'JA'],
        ['show_billed_characters', '0'],
      ]),
    );
    expect(without).not.toHaveProperty('billed_characters');
  });

  it('split_sentences 1, 0 and nonewlines translate as the native splitSentences on, off and nonewlines', async () => {
    const text = `${english}\n${english}. ${english}`;
    for (const [value, splitSentences] of [
      ['1', 'on'],
      ['0', 'off'],
      ['nonewlines', 'nonewlines'],
    ]) {
      expect(
        await deeplText([
          ['text', text],
          ['target_lang', 'JA'],
          ['split_sentences', value!],
        ]),
        value,
      ).toBe(await native(text, 'en-ja', { splitSentences }));
    }
    expect(
      await deeplText([
        ['text', text],
        ['target_lang', 'JA'],
      ]),
    ).toBe(await native(text, 'en-ja', { splitSentences: 'on' }));
    const [json] = await translations(post('/v2/translate', { text, target_lang: 'JA', split_sentences: 0 }));
    expect(json?.text).toBe(await native(text, 'en-ja', { splitSentences: 'off' }));
  });

  it('preserve_formatting keeps a lower-case start that the translation would otherwise capitalise', async () => {
    const text = `wa ${japanese}`; // the ja-en test model reads "wa"; English output starts each sentence with a capital
    const corrected = await deeplText([
      ['text', text],
      ['source_lang', 'JA'],
      ['target_lang', 'EN-US'],
      ['preserve_formatting', '0'],
    ]);
    const preserved = await deeplText([
      ['text', text],
      ['source_lang', 'JA'],
      ['target_lang', 'EN-US'],
      ['preserve_formatting', '1'],
    ]);
    expect(corrected).toBe(await native(text, 'ja-en'));
    expect(corrected).toMatch(/^\P{L}*\p{Lu}/u);
    expect(preserved).toMatch(/^\P{L}*\p{Ll}/u);
  });

  it('formality: default and prefer_* are accepted; more and less are refused, as for a DeepL target without formality', async () => {
    const expected = await native(english, 'en-ja');
    for (const formality of ['default', 'prefer_more', 'prefer_less', 'PREFER_LESS']) {
      expect(
        await deeplText([
          ['text', english],
          ['target_lang', 'JA'],
          ['formality', formality],
        ]),
        formality,
      ).toBe(expected);
    }
    for (const formality of ['more', 'less']) {
      await deeplError(
        await SELF.fetch(
          form('/v2/translate', [
            ['text', english],
            ['target_lang', 'JA'],
            ['formality', formality],
          ]),
        ),
        400,
        /^'formality' is not supported for given 'target_lang'\.$/,
      );
    }
  });

  it('formality: JA takes more and less where the live en-ja model was trained with registers, and /v2/languages says so', async () => {
    const { sourceText } = await seedVersion('deepl-registers', { artifact: 'en-ja-registers' });
    try {
      const ja = async () =>
        (
          await (
            await SELF.fetch(url('/v2/languages?type=target'), { headers: { Authorization: 'DeepL-Auth-Key any' } })
          ).json<{ language: string; supports_formality: boolean }[]>()
        ).find((l) => l.language === 'JA');
      expect(await ja()).toEqual({ language: 'JA', name: 'Japanese', supports_formality: true });
      const asked = async (formality: string) =>
        deeplText([
          ['text', sourceText],
          ['target_lang', 'JA'],
          ['formality', formality],
        ]);
      for (const formality of ['more', 'less']) {
        expect(await asked(formality), formality).toBe(await native(sourceText, 'en-ja', { formality }));
        expect(await asked(`prefer_${formality}`)).toBe(await asked(formality));
      }
    } finally {
      await seedVersion('deepl-e1');
    }
  });

  it('accepts context, model_type and tag_handling_version; model_type is answered with model_type_used', async () => {
    const [result] = await translations(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'JA'],
        ['context', 'A tea shop.'],
        ['model_type', 'latency_optimized'],
      ]),
    );
    expect(result).toEqual({
      detected_source_language: 'EN',
      text: await native(english, 'en-ja'),
      model_type_used: 'latency_optimized',
    });
    for (const modelType of ['quality_optimized', 'prefer_quality_optimized']) {
      const [quality] = await translations(
        form('/v2/translate', [
          ['text', english],
          ['target_lang', 'JA'],
          ['model_type', modelType],
        ]),
      );
      expect(quality).toEqual({
        detected_source_language: 'EN',
        text: await native(english, 'en-ja', { rerank: true }),
        model_type_used: 'quality_optimized',
      });
    }
    expect(
      await deeplText([
        ['text', `<p>${english}</p>`],
        ['target_lang', 'JA'],
        ['tag_handling', 'html'],
        ['tag_handling_version', 'v2'],
      ]),
    ).toBe(await native(`<p>${english}</p>`, 'en-ja', { format: 'html' }));
  });
});

describe('POST /v2/translate with tag_handling', () => {
  it('html: translates the text and keeps the tags, as the native face with format html', async () => {
    const html = `<p class="lead">${english} <b>${english}</b></p>\n<p translate="no">${english}</p>`;
    const [result] = await translations(
      form('/v2/translate', [
        ['text', html],
        ['target_lang', 'JA'],
        ['tag_handling', 'html'],
      ]),
    );
    expect(result?.text).toBe(await native(html, 'en-ja', { format: 'html' }));
    expect(result?.text).toMatch(/^<p class="lead">[^<]*<b>[^<]+<\/b>[^<]*<\/p>\n<p translate="no">/);
    expect(result?.text.endsWith(`<p translate="no">${english}</p>`)).toBe(true);
  });

  it('xml: ignore_tags, splitting_tags, non_splitting_tags and outline_detection as comma-separated lists or JSON arrays', async () => {
    const xml = `<doc><par><span>${english}</span><span>${english}</span></par><raw>${english}</raw><title>${english}</title></doc>`;
    const options = {
      format: 'xml',
      outlineDetection: false,
      splittingTags: ['par', 'title'],
      nonSplittingTags: ['span'],
      ignoreTags: ['raw'],
    };
    const expected = await native(xml, 'en-ja', options);
    expect(expected).toContain(`<raw>${english}</raw>`);
    const fields: [string, string][] = [
      ['text', xml],
      ['target_lang', 'JA'],
      ['tag_handling', 'xml'],
      ['outline_detection', '0'],
      ['splitting_tags', 'par, title'],
      ['non_splitting_tags', 'span'],
      ['ignore_tags', 'raw'],
    ];
    expect((await translations(form('/v2/translate', fields)))[0]?.text).toBe(expected);
    const json = {
      text: [xml],
      target_lang: 'JA',
      tag_handling: 'xml',
      outline_detection: false,
      splitting_tags: ['par', 'title'],
      non_splitting_tags: ['span'],
      ignore_tags: ['raw'],
    };
    expect((await translations(post('/v2/translate', json)))[0]?.text).toBe(expected);
  });

  it('400 for malformed XML, whichever language the text is in; HTML is read as a browser reads it', async () => {
    await deeplError(
      await SELF.fetch(
        form('/v2/translate', [
          ['text', `<p>${english}</b>`],
          ['target_lang', 'JA'],
          ['tag_handling', 'xml'],
        ]),
      ),
      400,
      /^invalid markup: /,
    );
    await deeplError(
      await SELF.fetch(
        form('/v2/translate', [
          ['text', `<p>${japanese}`],
          ['target_lang', 'JA'],
          ['tag_handling', 'xml'],
        ]),
      ),
      400,
      /^invalid markup: /,
    );
    const [sloppy] = await translations(
      form('/v2/translate', [
        ['text', `<p>${english} <b>${english}.<p>${english}`],
        ['target_lang', 'JA'],
        ['tag_handling', 'html'],
      ]),
    );
    const read = `<p>${english} <b>${english}.</b></p><p><b>${english}</b></p>`; // the browser's tree: <b> reopened in the second <p>
    expect(sloppy?.text).toBe(await native(read, 'en-ja', { format: 'html' }));
  });

  it('400 naming the parameter for an invalid tag_handling, tag list or outline_detection', async () => {
    const send = (extra: [string, string][]) =>
      SELF.fetch(form('/v2/translate', [['text', english], ['target_lang', 'JA'], ...extra]));
    await deeplError(
      await send([['tag_handling', 'markdown']]),
      400,
      /^Parameter 'tag_handling' is invalid\. tag_handling: must be "html" or "xml"$/,
    );
    await deeplError(
      await send([
        ['tag_handling', 'xml'],
        ['ignore_tags', 'raw,1x'],
      ]),
      400,
      /^Value for 'ignore_tags' not supported\. ignore_tags\[1\]: must be a tag name$/,
    );
    await deeplError(
      await send([
        ['tag_handling', 'xml'],
        ['outline_detection', 'maybe'],
      ]),
      400,
      /^Value for 'outline_detection' not supported\./,
    );
  });
});

describe('DeepL errors', () => {
  const send = (fields: [string, string][]) => SELF.fetch(form('/v2/translate', fields));

  it("400 for a missing text or target_lang, in DeepL's words", async () => {
    await deeplError(await send([['target_lang', 'JA']]), 400, /^Parameter 'text' not specified\.$/);
    await deeplError(await send([['text', english]]), 400, /^Parameter 'target_lang' not specified\.$/);
  });

  it('400 for an invalid split_sentences, formality or flag, naming the parameter', async () => {
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'JA'],
        ['split_sentences', 'invalid'],
      ]),
      400,
      /^Value for 'split_sentences' not supported\. split_sentences: must be 0, 1 or "nonewlines"$/,
    );
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'JA'],
        ['formality', 'invalid'],
      ]),
      400,
      /^Value for 'formality' not supported\. formality: must be one of default, more, less, prefer_more, prefer_less$/,
    );
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'JA'],
        ['preserve_formatting', 'yes'],
      ]),
      400,
      /^Value for 'preserve_formatting' not supported\./,
    );
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'JA'],
        ['model_type', 'fast'],
      ]),
      400,
      /^Value for 'model_type' not supported\./,
    );
  });

  it('400 for the limits of a text: empty, too long, too many', async () => {
    await deeplError(
      await send([
        ['text', '  '],
        ['target_lang', 'JA'],
      ]),
      400,
      /^Value for 'text' not supported\. text\[0\]: must not be empty/,
    );
    const long = 'a'.repeat(LIMITS.textChars + 1);
    await deeplError(
      await send([
        ['text', long],
        ['target_lang', 'JA'],
      ]),
      400,
      new RegExp(`text\\[0\\]: must be at most ${LIMITS.textChars} characters`),
    );
    const many = Array.from({ length: LIMITS.batch + 1 }, () => english);
    await deeplError(
      await SELF.fetch(post('/v2/translate', { text: many, target_lang: 'JA' })),
      400,
      new RegExp(`at most ${LIMITS.batch} texts`),
    );
  });

  it('413 too_much_text for more characters or sentences in all than one request takes', async () => {
    const texts = Array.from({ length: Math.ceil(LIMITS.requestChars / LIMITS.textChars) + 1 }, () =>
      'w'.repeat(LIMITS.textChars),
    );
    await deeplError(
      await SELF.fetch(post('/v2/translate', { text: texts, target_lang: 'JA' })),
      413,
      new RegExp(`more than the ${LIMITS.requestChars} of one request`),
    );
    const lines = 'wa\n'.repeat(Math.floor(LIMITS.textChars / 3)); // a line is a sentence
    await deeplError(
      await SELF.fetch(post('/v2/translate', { text: [lines], target_lang: 'JA' })),
      413,
      new RegExp(`more than the ${LIMITS.sentences} of one request`),
    );
  });

  it("400 in DeepL's words for a language that is not served, a malformed code, or a pair that is not served", async () => {
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'DE'],
      ]),
      400,
      /^Value for 'target_lang' not supported\. This server translates into EN-GB, EN-US, JA\.$/,
    );
    await deeplError(
      await send([
        ['text', english],
        ['target_lang', 'Japanese!'],
      ]),
      400,
      /^Value for 'target_lang' not supported\. target_lang: must be a language code/,
    );
    await deeplError(
      await send([
        ['text', english],
        ['source_lang', 'XX'],
        ['target_lang', 'JA'],
      ]),
      400,
      /^Value for 'source_lang' not supported\. This server translates from EN, JA\.$/,
    );
    const res = await createApp().request(
      form('/v2/translate', [
        ['text', japanese],
        ['target_lang', 'FR'],
      ]),
      {},
      WITH_FRENCH,
    );
    await deeplError(res, 400, /^Unsupported language pair: 'JA' => 'FR'\. Served directions: en-ja, ja-en, en-fr\.$/);
  });

  it('400 for a body that is not JSON, 415 for a body of another type', async () => {
    await deeplError(await SELF.fetch(post('/v2/translate', '{"text":')), 400, /not valid JSON/);
    await deeplError(await SELF.fetch(post('/v2/translate', '["a"]')), 400, /must be an object/);
    const xml = new Request(url('/v2/translate'), {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: '<text/>',
    });
    await deeplError(await SELF.fetch(xml), 415, /Content-Type must be/);
  });

  it('413 for a body over the limit', async () => {
    const big = 'x'.repeat(LIMITS.bodyBytes + 1);
    await deeplError(
      await send([
        ['text', big],
        ['target_lang', 'JA'],
      ]),
      413,
      new RegExp(`at most ${LIMITS.bodyBytes} bytes`),
    );
  });

  it('404 and 405 in the DeepL shape too', async () => {
    await deeplError(await SELF.fetch(url('/v2/nowhere')), 404, /no route/);
    await deeplError(await SELF.fetch(url('/v2/translate')), 405, /use POST/);
  });

  it('503 with Retry-After when the model of the direction cannot be loaded', async () => {
    const res = await createApp().request(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'FR'],
      ]),
      {},
      WITH_FRENCH,
    );
    expect(res.headers.get('Retry-After')).toBe('5');
    await deeplError(res, 503, /no live model for en-fr/);
  });
});

describe('DeepL-Auth-Key', () => {
  const KEY = 'deepl-test-key:fx';
  const app = createApp();
  const keyed: Env = { ...env, API_KEY: KEY };
  const send = (req: Request) => app.request(req, {}, keyed);
  const translateWith = (authorization?: string) =>
    send(
      form(
        '/v2/translate',
        [
          ['text', english],
          ['target_lang', 'JA'],
        ],
        authorization === undefined ? {} : { Authorization: authorization },
      ),
    );

  it('is accepted, and not needed, when no API_KEY is configured', async () => {
    const req = form('/v2/translate', [
      ['text', english],
      ['target_lang', 'JA'],
    ]);
    req.headers.delete('Authorization');
    expect((await SELF.fetch(req)).status).toBe(200);
  });

  it('must be the configured key when API_KEY is set: 403 otherwise', async () => {
    expect((await translateWith(`DeepL-Auth-Key ${KEY}`)).status).toBe(200);
    expect((await translateWith(`deepl-auth-key ${KEY}`)).status).toBe(200);
    for (const wrong of ['DeepL-Auth-Key nope', `Bearer ${KEY}`, KEY])
      await deeplError(await translateWith(wrong), 403, /Authorization failure/);
    const bare = form('/v2/translate', [
      ['text', english],
      ['target_lang', 'JA'],
    ]);
    bare.headers.delete('Authorization');
    await deeplError(await send(bare), 403, /DeepL-Auth-Key <key>/);
  });

  it('guards the languages and usage too', async () => {
    await deeplError(await send(new Request(url('/v2/usage'))), 403, /Authorization failure/);
    const res = await send(new Request(url('/v2/languages'), { headers: { Authorization: `DeepL-Auth-Key ${KEY}` } }));
    expect(res.status).toBe(200);
  });
});

describe('GET|POST /v2/languages and /v2/usage', () => {
  const get = async (path: string) =>
    (await SELF.fetch(url(path), { headers: { Authorization: 'DeepL-Auth-Key any' } })).json();

  it('lists the source languages of the live models', async () => {
    const expected = [
      { language: 'EN', name: 'English' },
      { language: 'JA', name: 'Japanese' },
    ];
    expect(await get('/v2/languages')).toEqual(expected);
    expect(await get('/v2/languages?type=source')).toEqual(expected);
  });

  it('lists the target languages, English by its variants as DeepL does', async () => {
    const expected = [
      { language: 'EN-GB', name: 'English (British)', supports_formality: false },
      { language: 'EN-US', name: 'English (American)', supports_formality: false },
      { language: 'JA', name: 'Japanese', supports_formality: false },
    ];
    expect(await get('/v2/languages?type=target')).toEqual(expected);
    expect(await (await SELF.fetch(form('/v2/languages', [['type', 'target']]))).json()).toEqual(expected);
  });

  it('leaves out a configured direction that has no live model', async () => {
    const res = await createApp().request(url('/v2/languages?type=target'), {}, WITH_FRENCH);
    expect((await res.json<{ language: string }[]>()).map((l) => l.language)).toEqual(['EN-GB', 'EN-US', 'JA']);
  });

  it('400 for another type', async () => {
    await deeplError(
      await SELF.fetch(url('/v2/languages?type=glossary')),
      400,
      /^Parameter 'type' is invalid\. type: must be "source" or "target"$/,
    );
  });

  it('reports the characters translated (as billed_characters counts them) against an unlimited quota', async () => {
    const before = (await get('/v2/usage')) as { character_count: number; character_limit: number };
    expect(before).toEqual({ character_count: expect.any(Number), character_limit: 1_000_000_000_000 });
    await translations(
      form('/v2/translate', [
        ['text', english],
        ['target_lang', 'JA'],
      ]),
    );
    expect(await get('/v2/usage')).toEqual({
      ...before,
      character_count: before.character_count + [...english].length,
    });
    expect((await SELF.fetch(form('/v2/usage', []))).status).toBe(200);
  });
});
