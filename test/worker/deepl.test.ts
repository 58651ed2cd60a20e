// The DeepL API v2 face inside workerd: its request forms (form-encoded and JSON, one text or many, language codes
// in any case), its answers, and DeepL's error statuses with `{"message"}` bodies. The official client is driven
// against wrangler dev in test/e2e/clients.test.ts.
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
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'DeepL-Auth-Key any:fx', ...headers },
    body: new URLSearchParams(fields),
  });

interface Translations {
  translations: { detected_source_language: string; text: string }[];
}

const translations = async (req: Request): Promise<Translations['translations']> => {
  const res = await SELF.fetch(req);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<Translations>()).translations;
};

const deeplError = (res: Response, status: number, message: RegExp) => expectFaceError(res, status, 'message', message);

describe('POST /v2/translate', () => {
  it('translates a form-encoded text as the native face does, naming the detected source language', async () => {
    const [result] = await translations(form('/v2/translate', [['text', english], ['target_lang', 'JA']]));
    expect(result).toEqual({ detected_source_language: 'EN', text: await native(english, 'en-ja') });
  });

  it('translates repeated text fields in order', async () => {
    const results = await translations(form('/v2/translate', [['text', english], ['text', japanese], ['text', english], ['target_lang', 'ja'], ['source_lang', 'en']]));
    expect(results.map((r) => r.text)).toEqual(await Promise.all([english, japanese, english].map((t) => native(t, 'en-ja'))));
  });

  it('takes a JSON body with text as an array or a string, and language codes in any case with a region', async () => {
    const body = { text: [japanese], target_lang: 'en-us', source_lang: 'JA' };
    const [result] = await translations(post('/v2/translate', body));
    expect(result).toEqual({ detected_source_language: 'JA', text: await native(japanese, 'ja-en') });
    expect(await translations(post('/v2/translate', { ...body, text: japanese, target_lang: 'EN-GB' }))).toEqual([result]);
  });

  it('detects the source language by script when source_lang is absent', async () => {
    const [result] = await translations(form('/v2/translate', [['text', japanese], ['target_lang', 'EN-US']]));
    expect(result?.detected_source_language).toBe('JA');
  });

  it('ignores the DeepL options that only tune style, and reports Server-Timing like the native face', async () => {
    const req = form('/v2/translate', [['text', english], ['target_lang', 'JA'], ['formality', 'prefer_more'], ['split_sentences', '1'], ['show_billed_characters', '1']]);
    const res = await SELF.fetch(req);
    expect(res.status).toBe(200);
    expect(res.headers.get('Server-Timing')).toMatch(/decode;dur=/);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  });
});

describe('DeepL errors', () => {
  it('400 for a missing text or target_lang', async () => {
    await deeplError(await SELF.fetch(form('/v2/translate', [['target_lang', 'JA']])), 400, /^text: /);
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', english]])), 400, /^target_lang: /);
  });

  it('400 for the native limits: empty text, too long, too many', async () => {
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', '  '], ['target_lang', 'JA']])), 400, /must not be empty/);
    const long = 'a'.repeat(LIMITS.textChars + 1);
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', long], ['target_lang', 'JA']])), 400, /at most 1000 characters/);
    const many = Array.from({ length: LIMITS.batch + 1 }, () => english);
    await deeplError(await SELF.fetch(post('/v2/translate', { text: many, target_lang: 'JA' })), 400, /at most 64 texts/);
  });

  it('400 with a message for a language pair that is not served, or a malformed code', async () => {
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', english], ['target_lang', 'DE']])), 400, /cannot translate into "de" here; served directions: en-ja, ja-en/);
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', english], ['source_lang', 'EN'], ['target_lang', 'EN-US']])), 400, /cannot translate from "en" into "en"/);
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', english], ['target_lang', 'Japanese!']])), 400, /^target_lang: must be a language code/);
  });

  it('400 for markup handling, which is not supported', async () => {
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', '<p>hi</p>'], ['target_lang', 'JA'], ['tag_handling', 'html']])), 400, /^tag_handling: is not supported/);
  });

  it('400 for a body that is not JSON, 415 for a body of another type', async () => {
    await deeplError(await SELF.fetch(post('/v2/translate', '{"text":')), 400, /not valid JSON/);
    await deeplError(await SELF.fetch(post('/v2/translate', '["a"]')), 400, /must be an object/);
    const xml = new Request(url('/v2/translate'), { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<text/>' });
    await deeplError(await SELF.fetch(xml), 415, /Content-Type must be/);
  });

  it('413 for a body over the limit', async () => {
    const big = 'x'.repeat(LIMITS.bodyBytes + 1);
    await deeplError(await SELF.fetch(form('/v2/translate', [['text', big], ['target_lang', 'JA']])), 413, /at most 262144 bytes/);
  });

  it('404 and 405 in the DeepL shape too', async () => {
    await deeplError(await SELF.fetch(url('/v2/glossaries')), 404, /no route/);
    await deeplError(await SELF.fetch(url('/v2/translate')), 405, /use POST/);
  });

  it('503 with Retry-After when the model of the direction cannot be loaded', async () => {
    const res = await createApp().request(form('/v2/translate', [['text', english], ['target_lang', 'FR']]), {}, WITH_FRENCH);
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
    send(form('/v2/translate', [['text', english], ['target_lang', 'JA']], authorization === undefined ? {} : { Authorization: authorization }));

  it('is accepted, and not needed, when no API_KEY is configured', async () => {
    const req = form('/v2/translate', [['text', english], ['target_lang', 'JA']]);
    req.headers.delete('Authorization');
    expect((await SELF.fetch(req)).status).toBe(200);
  });

  it('must be the configured key when API_KEY is set: 403 otherwise', async () => {
    expect((await translateWith(`DeepL-Auth-Key ${KEY}`)).status).toBe(200);
    expect((await translateWith(`deepl-auth-key ${KEY}`)).status).toBe(200);
    for (const wrong of ['DeepL-Auth-Key nope', `Bearer ${KEY}`, KEY]) await deeplError(await translateWith(wrong), 403, /Authorization failure/);
    const bare = form('/v2/translate', [['text', english], ['target_lang', 'JA']]);
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
  const get = async (path: string) => (await SELF.fetch(url(path), { headers: { Authorization: 'DeepL-Auth-Key any' } })).json();

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
    await deeplError(await SELF.fetch(url('/v2/languages?type=glossary')), 400, /^type: must be "source" or "target"/);
  });

  it('reports no usage against an unlimited quota', async () => {
    expect(await get('/v2/usage')).toEqual({ character_count: 0, character_limit: 1_000_000_000_000 });
    expect((await SELF.fetch(form('/v2/usage', []))).status).toBe(200);
  });
});
