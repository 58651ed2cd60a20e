// The LibreTranslate face inside workerd (mounted at /libretranslate): `q` as a string or an array, `source` "auto"
// (each text detected on its own), `format` "html", JSON, form and multipart bodies, `api_key`, the language list, and
// errors as `{"error": "..."}`. The native face is the oracle: the same text translates the same. A LibreTranslate
// client from npm is driven against wrangler dev in test/e2e/clients.test.ts.
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
  ({ sourceText: english } = await seedVersion('libre-e1'));
  ({ sourceText: japanese } = await seedVersion('libre-j1', { direction: 'ja-en' }));
});

interface Translated {
  translatedText: string | string[];
  detectedLanguage?: unknown;
}

const translate = async (body: unknown): Promise<Translated> => {
  const res = await SELF.fetch(post('/libretranslate/translate', body));
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Translated>();
};

const libreError = (res: Response, status: number, message: RegExp) => expectFaceError(res, status, 'error', message);

describe('POST /libretranslate/translate', () => {
  it('translates q as the native face does, with no detectedLanguage when the source is given', async () => {
    expect(await translate({ q: english, source: 'en', target: 'ja', format: 'text' })).toEqual({
      translatedText: await native(english, 'en-ja'),
    });
  });

  it('translates an array of q in order, and names the detected language for source auto', async () => {
    const body = await translate({ q: [english, english], source: 'auto', target: 'ja' });
    const expected = await native(english, 'en-ja');
    expect(body).toEqual({
      translatedText: [expected, expected],
      detectedLanguage: [
        { language: 'en', confidence: 100 },
        { language: 'en', confidence: 100 },
      ],
    });
  });

  it('detects by script when source is absent: Japanese into English', async () => {
    expect(await translate({ q: japanese, target: 'en' })).toEqual({
      translatedText: await native(japanese, 'ja-en'),
      detectedLanguage: { language: 'ja', confidence: 100 },
    });
  });

  it('detects each text of a batch on its own; a text already in the target language comes back as written', async () => {
    expect(await translate({ q: [english, japanese], target: 'ja' })).toEqual({
      translatedText: [await native(english, 'en-ja'), japanese],
      detectedLanguage: [
        { language: 'en', confidence: 100 },
        { language: 'ja', confidence: 100 },
      ],
    });
    expect(await translate({ q: english, source: 'en', target: 'en' })).toEqual({ translatedText: english });
  });

  it("gives as confidence the share of a text's sentences written in the detected language's script", async () => {
    const mixed = `${english}. ${japanese}`; // one English sentence, two Japanese ones: read as Japanese
    const body = await translate({ q: [mixed], source: 'auto', target: 'en' });
    expect(body.detectedLanguage).toEqual([{ language: 'ja', confidence: 67 }]);
  });

  it('translates format html through the markup pipeline, as the native face with format html', async () => {
    const html = `<p>${english} <b class="x">${english}</b></p><p translate="no">${english}</p>`;
    const body = await translate({ q: html, source: 'en', target: 'ja', format: 'html' });
    expect(body.translatedText).toBe(await native(html, 'en-ja', { format: 'html' }));
    expect(body.translatedText).toMatch(
      new RegExp(`^<p>[^<]*<b class="x">[^<]+</b>[^<]*</p><p translate="no">${english}</p>$`),
    );
    expect(await translate({ q: english, source: 'en', target: 'ja', format: 'text' })).toEqual({
      translatedText: await native(english, 'en-ja'),
    });
  });

  it('takes form-encoded and multipart bodies too, and ignores parameters it does not use', async () => {
    const expected = { translatedText: await native(english, 'en-ja') };
    const fields = { q: english, source: 'en', target: 'ja', alternatives: '3' };
    const urlencoded = new Request(url('/libretranslate/translate'), {
      method: 'POST',
      body: new URLSearchParams(fields),
    });
    const multipart = new FormData();
    for (const [name, value] of Object.entries(fields)) multipart.append(name, value);
    for (const req of [
      urlencoded,
      new Request(url('/libretranslate/translate'), { method: 'POST', body: multipart }),
    ]) {
      const res = await SELF.fetch(req);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(expected);
    }
  });

  it('leaves the native POST /translate strict: a LibreTranslate body there is an unknown field', async () => {
    const res = await SELF.fetch(post('/translate', { q: english, target: 'ja' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_field' } });
  });
});

describe('LibreTranslate errors', () => {
  const send = (body: unknown) => SELF.fetch(post('/libretranslate/translate', body));

  it('400 for a missing q or target', async () => {
    await libreError(await send({ target: 'ja' }), 400, /^q: /);
    await libreError(await send({ q: english }), 400, /^target: /);
  });

  it('400 for the native limits: empty text, too long, too many', async () => {
    await libreError(await send({ q: ' ', target: 'ja' }), 400, /must not be empty/);
    await libreError(
      await send({ q: 'a'.repeat(LIMITS.textChars + 1), target: 'ja' }),
      400,
      new RegExp(`at most ${LIMITS.textChars} characters`),
    );
    await libreError(
      await send({ q: Array.from({ length: LIMITS.batch + 1 }, () => english), target: 'ja' }),
      400,
      new RegExp(`at most ${LIMITS.batch} texts`),
    );
  });

  it('413 too_much_text for more characters or sentences in all than one request takes', async () => {
    const q = Array.from({ length: Math.ceil(LIMITS.requestChars / LIMITS.textChars) + 1 }, () =>
      'w'.repeat(LIMITS.textChars),
    );
    await libreError(
      await send({ q, target: 'ja' }),
      413,
      new RegExp(`more than the ${LIMITS.requestChars} of one request`),
    );
    const lines = 'wa\n'.repeat(Math.floor(LIMITS.textChars / 3)); // a line is a sentence
    await libreError(
      await send({ q: lines, target: 'ja' }),
      413,
      new RegExp(`more than the ${LIMITS.sentences} of one request`),
    );
  });

  it('400 for another format; HTML that is not well-formed is read as a browser reads it, whichever language it is in', async () => {
    await libreError(
      await send({ q: '<b>hi</b>', target: 'ja', format: 'markdown' }),
      400,
      /^format: must be "text" or "html"$/,
    );
    const res = await send({ q: `<b>${english}</i>`, target: 'ja', format: 'html' });
    expect(res.status).toBe(200);
    expect((await res.json<{ translatedText: string }>()).translatedText).toBe(
      await native(`<b>${english}</b>`, 'en-ja', { format: 'html' }),
    );
    expect((await send({ q: `<b>${japanese}</i>`, target: 'ja', format: 'html' })).status).toBe(200);
  });

  it('400 with a message for a language pair that is not served', async () => {
    await libreError(
      await send({ q: english, source: 'en', target: 'de' }),
      400,
      /^cannot translate into "de" here; served directions: en-ja, ja-en$/,
    );
    const res = await createApp().request(
      post('/libretranslate/translate', { q: japanese, target: 'fr' }),
      {},
      WITH_FRENCH,
    );
    await libreError(res, 400, /^cannot translate from "ja" into "fr" here; served directions: en-ja, ja-en, en-fr$/);
    await libreError(await send({ q: english, source: 'xx-', target: 'ja' }), 400, /^source: must be a language code/);
  });

  it('400 for a body that is not JSON, 413 for a body over the limit', async () => {
    await libreError(await send('{"q":'), 400, /not valid JSON/);
    await libreError(
      await send({ q: 'x'.repeat(LIMITS.bodyBytes), target: 'ja' }),
      413,
      new RegExp(`at most ${LIMITS.bodyBytes} bytes`),
    );
  });

  it('404 and 405 in the LibreTranslate shape too', async () => {
    await libreError(await SELF.fetch(url('/libretranslate/detect')), 404, /no route/);
    await libreError(await SELF.fetch(url('/libretranslate/translate')), 405, /use POST/);
  });

  it('503 with Retry-After when the model of the direction cannot be loaded', async () => {
    const res = await createApp().request(
      post('/libretranslate/translate', { q: english, source: 'en', target: 'fr' }),
      {},
      WITH_FRENCH,
    );
    expect(res.headers.get('Retry-After')).toBe('5');
    await libreError(res, 503, /no live model for en-fr/);
  });
});

describe('api_key', () => {
  const KEY = 'libre-test-key';
  const app = createApp();
  const keyed: Env = { ...env, API_KEY: KEY };
  const send = (body: unknown) => app.request(post('/libretranslate/translate', body), {}, keyed);

  it('must be the configured key when API_KEY is set: 403 Invalid API key otherwise', async () => {
    expect((await send({ q: english, target: 'ja', api_key: KEY })).status).toBe(200);
    await libreError(await send({ q: english, target: 'ja' }), 403, /^Invalid API key$/);
    await libreError(await send({ q: english, target: 'ja', api_key: 'nope' }), 403, /^Invalid API key$/);
  });

  it('is checked before the request is validated', async () => {
    await libreError(await send({ target: 'ja' }), 403, /^Invalid API key$/);
  });

  it('is not needed for the language list', async () => {
    expect((await app.request(url('/libretranslate/languages'), {}, keyed)).status).toBe(200);
  });
});

describe('GET /libretranslate/languages', () => {
  it('lists each language of the live models with the languages it translates into', async () => {
    expect(await (await SELF.fetch(url('/libretranslate/languages'))).json()).toEqual([
      { code: 'en', name: 'English', targets: ['ja'] },
      { code: 'ja', name: 'Japanese', targets: ['en'] },
    ]);
  });

  it('leaves out a configured direction that has no live model', async () => {
    const res = await createApp().request(url('/libretranslate/languages'), {}, WITH_FRENCH);
    expect(await res.json()).toEqual([
      { code: 'en', name: 'English', targets: ['ja'] },
      { code: 'ja', name: 'Japanese', targets: ['en'] },
    ]);
  });
});
