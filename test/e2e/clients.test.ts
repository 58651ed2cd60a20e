// Existing translation clients, unchanged, against `npm start` (wrangler dev) with an API key set: the official DeepL
// Node client (deepl-node, pointed at the Worker with `serverUrl`) and the `translate` package's LibreTranslate engine
// (pointed at /libretranslate/translate with `url`). Small random models for both directions keep it fast; the
// request forms and error cases in detail are in test/worker/deepl.test.ts and libretranslate.test.ts.
import * as deepl from 'deepl-node';
import { Translate } from 'translate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAPANESE_SAMPLE, words } from '../helpers/random-model.js';
import { startKeyedServer } from './artifact-dir.js';
import type { DevServer } from './dev-server.js';

const KEY = 'e2e-clients-key';
const ENGLISH = words(3).join(' '); // in the random en-ja model's vocabulary

let server: DevServer;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, stop } = await startKeyedServer('clients', KEY));
});

afterAll(async () => {
  await stop?.();
});

/** The native face's translation of the same text (with `options`: format, ...): the compatible faces must give the same. */
async function native(text: string, direction: string, options: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${server.url}/translate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ text, direction, ...options }),
  });
  expect(res.status).toBe(200);
  const body: { translation: string } = await res.json();
  return body.translation;
}

describe('deepl-node (the official DeepL client) with serverUrl', () => {
  // No retries: a failed request shows at once instead of after DeepL's back-off.
  const translator = (key = KEY) =>
    new deepl.Translator(key, { serverUrl: server.url, maxRetries: 0, minTimeout: 60_000, sendPlatformInfo: false });

  it('translates one text and a batch, as the native face does', async () => {
    const single = await translator().translateText(ENGLISH, 'en', 'ja');
    expect(single).toMatchObject({ text: await native(ENGLISH, 'en-ja'), detectedSourceLang: 'en' });
    // Each text is detected on its own; one already in the target language comes back as written.
    const batch = await translator().translateText([JAPANESE_SAMPLE, ENGLISH], null, 'en-US');
    expect(batch.map((r) => r.detectedSourceLang)).toEqual(['ja', 'en']);
    expect(batch.map((r) => r.text)).toEqual([await native(JAPANESE_SAMPLE, 'ja-en'), ENGLISH]);
    expect(batch.map((r) => r.billedCharacters)).toEqual([JAPANESE_SAMPLE.length, ENGLISH.length]);
  });

  it('lists the languages and the usage', async () => {
    expect((await translator().getSourceLanguages()).map((l) => l.code)).toEqual(['en', 'ja']);
    expect((await translator().getTargetLanguages()).map((l) => l.code)).toEqual(['en-GB', 'en-US', 'ja']);
    // Each translation is counted (docs/glossaries.md): the usage grows by the characters DeepL would bill.
    const before = (await translator().getUsage()).character?.count ?? NaN;
    await translator().translateText(ENGLISH, 'en', 'ja');
    const usage = await translator().getUsage();
    expect(usage.character?.count).toBe(before + ENGLISH.length);
    expect(usage.character?.limit).toBe(1_000_000_000_000);
    expect(usage.anyLimitReached()).toBe(false);
  });

  it('translates HTML with tagHandling, keeping the tags', async () => {
    const html = `<p>${ENGLISH} <b>${ENGLISH}</b></p><p translate="no">${ENGLISH}</p>`;
    const result = await translator().translateText(html, 'en', 'ja', { tagHandling: 'html' });
    expect(result.text).toBe(await native(html, 'en-ja', { format: 'html' }));
    expect(result.text).toMatch(new RegExp(`^<p>[^<]*<b>[^<]+</b>[^<]*</p><p translate="no">${ENGLISH}</p>$`));
    expect(result.billedCharacters).toBe(`${ENGLISH} ${ENGLISH}${ENGLISH}`.length);
  });

  it('fails as DeepL would: a wrong key, an unsupported language, a text over the limit, malformed markup', async () => {
    await expect(translator('wrong-key').translateText(ENGLISH, 'en', 'ja')).rejects.toThrow(deepl.AuthorizationError);
    await expect(translator().translateText(ENGLISH, 'en', 'de')).rejects.toThrow(
      /^Bad request, message: Value for 'target_lang' not supported\./,
    );
    // The limit as GET /openapi.json documents it (src/http/schemas.ts imports the model code, which Node here does not load).
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      components: { schemas: Record<string, any> };
    };
    const textChars: number = doc.components.schemas.DeepLTranslateRequest.properties.text.items.maxLength;
    await expect(translator().translateText('w'.repeat(textChars + 1), null, 'ja')).rejects.toThrow(
      new RegExp(
        `^Bad request, message: Value for 'text' not supported\\. text\\[0\\]: must be at most ${textChars} characters`,
      ),
    );
    await expect(translator().translateText(`<p>${ENGLISH}</b>`, 'en', 'ja', { tagHandling: 'xml' })).rejects.toThrow(
      /^Bad request, message: invalid markup: /,
    );
  });
});

describe('translate (npm) with its LibreTranslate engine', () => {
  const libre = (overrides: { key?: string; from?: string; to?: string } = {}) => {
    // `url` is a documented option that the package's type declarations leave out, hence a variable, not a literal.
    const options = {
      engine: 'libre' as const,
      url: `${server.url}/libretranslate/translate`,
      key: KEY,
      from: 'en',
      to: 'ja',
      ...overrides,
    };
    return Translate(options);
  };

  it('translates both ways, as the native face does', async () => {
    expect(await libre()(ENGLISH)).toBe(await native(ENGLISH, 'en-ja'));
    expect(await libre({ from: 'ja', to: 'en' })(JAPANESE_SAMPLE)).toBe(await native(JAPANESE_SAMPLE, 'ja-en'));
  });

  it('translates format html over HTTP, keeping the tags', async () => {
    const html = `<p>${ENGLISH} <i>${ENGLISH}</i></p>`;
    const res = await fetch(`${server.url}/libretranslate/translate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ q: html, source: 'en', target: 'ja', format: 'html', api_key: KEY }),
    });
    expect(await res.json()).toEqual({ translatedText: await native(html, 'en-ja', { format: 'html' }) });
  });

  it('fails with the server message: a wrong key, an unsupported pair', async () => {
    await expect(libre({ key: 'wrong-key' })(`${ENGLISH} wa`)).rejects.toThrow(/^Invalid API key$/);
    await expect(libre({ to: 'de' })(ENGLISH)).rejects.toThrow(/^cannot translate into "de" here/);
  });

  it('serves the language list that LibreTranslate clients read', async () => {
    const res = await fetch(`${server.url}/libretranslate/languages`);
    expect(await res.json()).toEqual([
      { code: 'en', name: 'English', targets: ['ja'] },
      { code: 'ja', name: 'Japanese', targets: ['en'] },
    ]);
  });
});
