// POST and GET /translate inside workerd, against a random model in a real Miniflare R2 bucket.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { LIMITS } from '../../src/http/schemas.js';
import { knownSentence, post, seedVersion, url } from './seed.js';

let sentence: string;
let words: string[];

beforeAll(async () => {
  ({ sourceWords: words } = await seedVersion('translate-v1'));
  sentence = knownSentence(words);
});

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = await res.json<{ error: { code: string; message: string } }>();
  return { status: res.status, ...body.error };
}

describe('POST /translate with one text', () => {
  it('returns the translation, its tokens, the model, the score and the unknown words', async () => {
    const res = await SELF.fetch(post('/translate', { text: sentence }));
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual([
      'annotations',
      'model',
      'score',
      'sentences',
      'tokens',
      'translation',
      'unknownWords',
    ]);
    expect(body.model).toBe('en-ja@translate-v1');
    expect(body.annotations).toEqual([]);
    expect(typeof body.translation).toBe('string');
    expect(Array.isArray(body.tokens)).toBe(true);
    expect(typeof body.score).toBe('number');
    expect(body.unknownWords).toEqual([]);
  });

  it('joins the tokens into the translation', async () => {
    const body = await (
      await SELF.fetch(post('/translate', { text: sentence, beam: 1 }))
    ).json<{ translation: string; tokens: string[] }>();
    expect(body.translation).toBe(body.tokens.join(''));
  });

  it('formality: prefer_* fall back to the default, more and less are 400 for a model without registers', async () => {
    const plain = await (await SELF.fetch(post('/translate', { text: sentence }))).json<{ translation: string }>();
    for (const formality of ['default', 'prefer_more', 'PREFER_LESS']) {
      const body = await (
        await SELF.fetch(post('/translate', { text: sentence, formality }))
      ).json<{ translation: string }>();
      expect(body.translation, formality).toBe(plain.translation);
    }
    const refused = await errorOf(await SELF.fetch(post('/translate', { text: sentence, formality: 'more' })));
    expect(refused).toEqual({
      status: 400,
      code: 'unsupported_formality',
      message: expect.stringMatching(
        /^formality "more" is only for Japanese output of a model trained with registers; en-ja@translate-v1 has none$/,
      ),
    });
    expect((await errorOf(await SELF.fetch(post('/translate', { text: sentence, formality: 'polite' })))).status).toBe(
      400,
    );
  });

  it('formality: a model trained with registers takes more and less; prefer_* ask the same', async () => {
    const { sourceWords } = await seedVersion('registers-v1', { artifact: 'en-ja-registers' });
    try {
      const text = knownSentence(sourceWords);
      const ask = async (formality?: string) =>
        (await SELF.fetch(post('/translate', { text, beam: 1, alignment: true, formality }))).json<{
          model: string;
          translation: string;
          sentences: { alignment: { source: string[] } }[];
        }>();
      const [more, less, preferMore, preferLess] = await Promise.all(
        ['more', 'less', 'prefer_more', 'prefer_less'].map(ask),
      );
      expect(more.model).toBe('en-ja@registers-v1');
      expect(preferMore.translation).toBe(more.translation);
      expect(preferLess.translation).toBe(less.translation);
      expect(more.sentences[0]!.alignment.source).toEqual(text.split(' ')); // the tag is read, not aligned to
    } finally {
      await seedVersion('translate-v1');
    }
  });

  it('says per sentence which spans came through by rule: entities in the target conventions, links verbatim', async () => {
    const text = `${sentence} at 3:30 pm, $25, see https://example.com/a`;
    const body = await (
      await SELF.fetch(post('/translate', { text }))
    ).json<{ translation: string; annotations: unknown[]; sentences: { annotations: unknown[] }[] }>();
    const expected = [
      { kind: 'entity', source: '3:30 pm', target: '午後3時30分' },
      { kind: 'entity', source: '$25', target: '25ドル' },
      { kind: 'verbatim', source: 'https://example.com/a', target: 'https://example.com/a' },
    ];
    expect(body.sentences.map((s) => s.annotations)).toEqual([expected]);
    expect(body.annotations).toEqual(expected);
    for (const { target } of expected) expect(body.translation).toContain(target);
  });

  it('names the words it does not know', async () => {
    const body = await (
      await SELF.fetch(post('/translate', { text: `${words[0]} zebra ${words[1]}` }))
    ).json<{ unknownWords: string[] }>();
    expect(body.unknownWords).toEqual(['zebra']);
  });

  it('accepts every beam width from 1 to 10, and a served direction', async () => {
    for (const beam of [1, 2, 4, 10]) {
      const res = await SELF.fetch(post('/translate', { text: sentence, beam, direction: 'en-ja' }));
      expect(res.status, `beam ${beam}`).toBe(200);
    }
  });

  it('translates a sentence the same whatever whitespace is inside it, and keeps the whitespace around it', async () => {
    const plain = await (
      await SELF.fetch(post('/translate', { text: sentence, beam: 1 }))
    ).json<{ translation: string }>();
    const spaced = await (
      await SELF.fetch(
        post('/translate', { text: `  ${sentence.replaceAll(' ', ' \t ')}\n`, beam: 1, splitSentences: 'nonewlines' }),
      )
    ).json<{ translation: string }>();
    expect(spaced.translation).toBe(`  ${plain.translation}\n`);
  });

  it('gives back every line: n lines in, n lines out, blank lines and indentation where they were', async () => {
    const lines = [sentence, '', `  ${words.slice(2, 5).join(' ')}`, words.slice(6, 9).join(' ')];
    const body = await (
      await SELF.fetch(post('/translate', { text: lines.join('\r\n'), beam: 1 }))
    ).json<{ translation: string; sentences: unknown[] }>();
    const out = body.translation.split('\r\n');
    expect(out).toHaveLength(4);
    expect(out[1]).toBe('');
    expect(out[2]).toMatch(/^ {2}\S/);
    expect(body.sentences).toHaveLength(3);
  });

  it('describes each sentence: its source span, its place in the translation, its tokens and model', async () => {
    const text = `${sentence}. ${capitalized(words.slice(5, 8).join(' '))}.`;
    const body = await (
      await SELF.fetch(post('/translate', { text, beam: 2, alignment: true, nbest: 2 }))
    ).json<{
      translation: string;
      tokens: string[];
      sentences: Array<{
        source: { start: number; end: number };
        target: { start: number; end: number };
        translation: string;
        tokens: string[];
        model: string;
        nbest: unknown[];
        alignment: { weights: unknown[] };
      }>;
    }>();
    expect(body.sentences.map((s) => text.slice(s.source.start, s.source.end))).toEqual([
      `${sentence}.`,
      `${capitalized(words.slice(5, 8).join(' '))}.`,
    ]);
    for (const s of body.sentences) {
      expect(body.translation.slice(s.target.start, s.target.end)).toBe(s.translation);
      expect(s.model).toBe('en-ja@translate-v1');
      expect(s.nbest).toHaveLength(2);
      expect(s.alignment.weights).toHaveLength(s.tokens.length);
    }
    expect(body.tokens).toEqual(body.sentences.flatMap((s) => s.tokens));
  });

  it('gives back a text with nothing to translate as it was', async () => {
    for (const text of ['1234', '😀', '?!']) {
      const body = await (
        await SELF.fetch(post('/translate', { text }))
      ).json<{ translation: string; model: string }>();
      expect(body).toMatchObject({ translation: text, model: 'none' });
    }
  });

  it('translates a sentence longer than the model reads in pieces, instead of refusing it', async () => {
    const res = await SELF.fetch(
      post('/translate', { text: Array.from({ length: 30 }, (_, i) => words[i % 20]).join(' '), beam: 1 }),
    );
    expect(res.status).toBe(200);
    expect((await res.json<{ sentences: unknown[] }>()).sentences).toHaveLength(1);
  });

  it('keeps HTML markup with format "html": tags, attributes and nesting', async () => {
    const html = `<p class="x" data-a='1'>${words[0]} <b>${words[1]}</b> ${words[2]}</p>\n<p translate="no">${words[3]}</p>`;
    const body = await (
      await SELF.fetch(post('/translate', { text: html, format: 'html', beam: 1 }))
    ).json<{ translation: string }>();
    expect(body.translation).toMatch(/^<p class="x" data-a='1'>.*<b>.+<\/b>.*<\/p>\n<p translate="no">/);
    expect(body.translation.endsWith(`<p translate="no">${words[3]}</p>`)).toBe(true);
  });

  it('reports tokenize, encode and decode times in Server-Timing', async () => {
    const res = await SELF.fetch(post('/translate', { text: sentence }));
    const timing = res.headers.get('Server-Timing') ?? '';
    for (const stage of ['tokenize', 'encode', 'decode', 'total'])
      expect(timing).toMatch(new RegExp(`(^|,)${stage};dur=[\\d.]+`));
  });

  it('allows any origin (CORS) and exposes Server-Timing', async () => {
    const res = await SELF.fetch(post('/translate', { text: sentence }, { Origin: 'https://example.com' }));
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Server-Timing');
  });

  it('answers a CORS preflight', async () => {
    const res = await SELF.fetch(url('/translate'), {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
  });
});

describe('POST /translate with a batch of texts', () => {
  it('returns one translation per text, in order, each with its model', async () => {
    const texts = [sentence, words.slice(4, 6).join(' '), `${words[7]} unknownish`];
    const res = await SELF.fetch(post('/translate', { texts, beam: 1 }));
    expect(res.status).toBe(200);
    const body = await res.json<{ translations: Array<Record<string, unknown>> }>();
    expect(Object.keys(body)).toEqual(['translations']);
    expect(body.translations).toHaveLength(3);
    expect(Object.keys(body.translations[0] ?? {}).sort()).toEqual([
      'annotations',
      'model',
      'score',
      'sentences',
      'tokens',
      'translation',
      'unknownWords',
    ]);
    expect(body.translations.map((t) => t.model)).toEqual(Array(3).fill('en-ja@translate-v1'));
    expect(body.translations[2]?.unknownWords).toEqual(['unknownish']);
  });

  it('gives each text the translation it gets alone', async () => {
    const texts = [sentence, words.slice(5, 8).join(' ')];
    const batch = await (
      await SELF.fetch(post('/translate', { texts, beam: 1 }))
    ).json<{ translations: Array<{ translation: string }> }>();
    for (const [i, text] of texts.entries()) {
      const single = await (await SELF.fetch(post('/translate', { text, beam: 1 }))).json<{ translation: string }>();
      expect(batch.translations[i]?.translation).toBe(single.translation);
    }
  });

  it('accepts 64 texts', async () => {
    const res = await SELF.fetch(
      post('/translate', { texts: Array.from({ length: 64 }, (_, i) => words[i % words.length] ?? 'a'), beam: 1 }),
    );
    expect(res.status).toBe(200);
    expect((await res.json<{ translations: unknown[] }>()).translations).toHaveLength(64);
  });
});

describe('GET /translate', () => {
  it('returns the same body as POST with one text', async () => {
    const got = await SELF.fetch(url(`/translate?text=${encodeURIComponent(sentence)}&beam=2`));
    const posted = await SELF.fetch(post('/translate', { text: sentence, beam: 2 }));
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(await posted.json());
  });

  it('is cacheable, and a repeat is served from the cache', async () => {
    const path = `/translate?text=${encodeURIComponent(`${words[9]} ${words[10]}`)}&beam=1`;
    const first = await SELF.fetch(url(path));
    expect(first.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+$/);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const firstBody = await first.json();
    const second = await SELF.fetch(url(path));
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect(second.headers.get('Server-Timing')).toContain('cache;desc="hit"');
    expect(await second.json()).toEqual(firstBody);
  });

  it('shares a cache entry between spellings of the same request, not between texts laid out differently', async () => {
    const text = `${words[11]} ${words[12]}`;
    await (await SELF.fetch(url(`/translate?text=${encodeURIComponent(text)}&beam=3`))).arrayBuffer();
    const respelled = await SELF.fetch(url(`/translate?beam=03&text=${encodeURIComponent(text)}`));
    expect(respelled.headers.get('X-Cache')).toBe('HIT');
    const indented = await SELF.fetch(url(`/translate?beam=3&text=${encodeURIComponent(`  ${text}`)}`));
    expect(indented.headers.get('X-Cache')).toBe('MISS');
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await SELF.fetch(url(`/translate?text=${encodeURIComponent(sentence)}`), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('invalid requests get a JSON error with the right status', () => {
  const cases: Array<[string, () => Request, number, string, RegExp]> = [
    ['malformed JSON', () => post('/translate', '{"text": "hi"'), 400, 'invalid_json', /not valid JSON/],
    ['a JSON body that is not an object', () => post('/translate', '["hi"]'), 400, 'invalid_request', /object/],
    [
      'no Content-Type',
      () => new Request(url('/translate'), { method: 'POST', body: '{"text":"hi"}' }),
      415,
      'unsupported_media_type',
      /application\/json/,
    ],
    [
      'a form body',
      () => post('/translate', 'text=hi', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
      /x-www-form-urlencoded/,
    ],
    ['no text', () => post('/translate', {}), 400, 'invalid_request', /^text: .*exactly one of/],
    [
      'text and texts together',
      () => post('/translate', { text: 'a', texts: ['b'] }),
      400,
      'invalid_request',
      /exactly one of/,
    ],
    ['a number as text', () => post('/translate', { text: 42 }), 400, 'invalid_request', /^text: must be a string/],
    ['null as text', () => post('/translate', { text: null }), 400, 'invalid_request', /^text: must be a string/],
    ['an empty text', () => post('/translate', { text: '' }), 400, 'empty_text', /^text: must not be empty/],
    [
      'a whitespace-only text',
      () => post('/translate', { text: ' \n\t ' }),
      400,
      'empty_text',
      /^text: must not be empty/,
    ],
    [
      'a text over 5000 characters',
      () => post('/translate', { text: 'a '.repeat(2501) }),
      400,
      'text_too_long',
      /^text: must be at most 5000 characters/,
    ],
    [
      'texts over 30000 characters in all',
      () => post('/translate', { texts: Array(7).fill('a '.repeat(2500)) }),
      413,
      'too_much_text',
      /35000 characters in all, more than the 30000/,
    ],
    [
      'more than 1000 sentences',
      () => post('/translate', { text: 'Hi. '.repeat(1001) }),
      413,
      'too_much_text',
      /1001 sentences in all, more than the 1000/,
    ],
    [
      'markup options without a markup format',
      () => post('/translate', { text: 'hi', ignoreTags: ['x'] }),
      400,
      'invalid_request',
      /need "format": "html" or "xml"/,
    ],
    [
      'an unknown format',
      () => post('/translate', { text: 'hi', format: 'markdown' }),
      400,
      'invalid_request',
      /^format: must be "text", "html" or "xml"/,
    ],
    [
      'malformed XML',
      () => post('/translate', { text: '<a><b>hi</a>', format: 'xml' }),
      400,
      'invalid_markup',
      /<\/a>|<b>/,
    ],
    [
      'an unknown splitSentences',
      () => post('/translate', { text: 'hi', splitSentences: 'yes' }),
      400,
      'invalid_request',
      /^splitSentences: /,
    ],
    ['texts that is not an array', () => post('/translate', { texts: 'hi' }), 400, 'invalid_request', /^texts: /],
    [
      'an empty texts array',
      () => post('/translate', { texts: [] }),
      400,
      'invalid_request',
      /^texts: must contain at least one/,
    ],
    [
      '65 texts',
      () => post('/translate', { texts: Array(65).fill('hi') }),
      400,
      'too_many_texts',
      /^texts: must contain at most 64/,
    ],
    [
      'a non-string in texts',
      () => post('/translate', { texts: ['hi', 3] }),
      400,
      'invalid_request',
      /^texts\[1\]: must be a string/,
    ],
    [
      'an empty string in texts',
      () => post('/translate', { texts: ['hi', ' '] }),
      400,
      'empty_text',
      /^texts\[1\]: must not be empty/,
    ],
    [
      'a beam of 0',
      () => post('/translate', { text: 'hi', beam: 0 }),
      400,
      'invalid_beam',
      /^beam: must be an integer from 1 to 10/,
    ],
    [
      'a beam of 11',
      () => post('/translate', { text: 'hi', beam: 11 }),
      400,
      'invalid_beam',
      /^beam: must be an integer from 1 to 10/,
    ],
    ['a fractional beam', () => post('/translate', { text: 'hi', beam: 2.5 }), 400, 'invalid_beam', /^beam: /],
    ['a beam given as a string', () => post('/translate', { text: 'hi', beam: '4' }), 400, 'invalid_beam', /^beam: /],
    [
      'an unknown field',
      () => post('/translate', { text: 'hi', temperature: 0.5 }),
      400,
      'unknown_field',
      /unknown field "temperature"/,
    ],
    [
      'a direction this deployment does not serve',
      () => post('/translate', { text: 'hi', direction: 'fr-en' }),
      400,
      'unsupported_direction',
      /"fr-en".*auto.*en-ja, ja-en/,
    ],
    [
      'a malformed direction',
      () => post('/translate', { text: 'hi', direction: 'english' }),
      400,
      'invalid_request',
      /^direction: /,
    ],
    ['GET without text', () => new Request(url('/translate')), 400, 'invalid_request', /^text: required/],
    ['GET with an empty text', () => new Request(url('/translate?text=%20')), 400, 'empty_text', /^text: /],
    [
      'GET with text twice',
      () => new Request(url('/translate?text=a&text=b')),
      400,
      'invalid_request',
      /^text: must be a string/,
    ],
    [
      'GET with a beam that is not a number',
      () => new Request(url('/translate?text=hi&beam=wide')),
      400,
      'invalid_beam',
      /^beam: /,
    ],
    ['GET with a beam of 11', () => new Request(url('/translate?text=hi&beam=11')), 400, 'invalid_beam', /^beam: /],
    [
      'GET with an unknown parameter',
      () => new Request(url('/translate?text=hi&lang=fr')),
      400,
      'unknown_field',
      /unknown field "lang"/,
    ],
  ];

  for (const [what, request, status, code, message] of cases) {
    it(`rejects ${what} with ${status} ${code}`, async () => {
      const res = await SELF.fetch(request());
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      const error = await errorOf(res);
      expect(error).toMatchObject({ status, code });
      expect(error.message).toMatch(message);
    });
  }

  it('rejects a body over 1 MiB by its Content-Length, before reading it', async () => {
    const res = await SELF.fetch(post('/translate', JSON.stringify({ text: 'x'.repeat(LIMITS.bodyBytes + 1) })));
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('rejects a streamed body over 1 MiB without a Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i <= LIMITS.bodyBytes / chunk.length; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await SELF.fetch(url('/translate'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('answers a wrong method with 405 and the allowed ones', async () => {
    const res = await SELF.fetch(url('/translate'), { method: 'PUT', body: '{}' });
    expect(await errorOf(res)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(res.headers.get('Allow')).toBe('POST, GET, HEAD');
  });

  it('answers an unknown path with 404', async () => {
    const res = await SELF.fetch(url('/translations'));
    expect(await errorOf(res)).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'no route for GET /translations',
    });
  });

  it('turns an unexpected failure into a bare 500 JSON error, details only in the log', async () => {
    const misconfigured = { ...env, DEFAULT_BEAM: 'wide' };
    const res = await createApp().request('/health', {}, misconfigured);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'internal error' } });
  });

  it('never answers with a stack trace', async () => {
    const res = await SELF.fetch(post('/translate', '{"text": '));
    expect(await res.text()).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
