// The official DeepL Node client's own text tests (DeepL/deepl-node tests/translateText.test.ts), adapted to run
// against `npm start` with small random models: `ja` and `en-US` stand in for DeepL's other languages, and where a
// case checks DeepL's wording of a translation, the native POST /translate with the same options is the oracle
// instead. Left out: the cases that only run against DeepL's mock server (429 retries, an overridden path), the
// nock-based request-parameter case, and custom instructions that must change the output (there is no LLM here).
// Run: npx vitest run --project e2e test/e2e/deepl-suite.test.ts
import * as deepl from 'deepl-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAPANESE_SAMPLE, words } from '../helpers/random-model.js';
import { startKeyedServer } from './artifact-dir.js';
import type { DevServer } from './dev-server.js';

const KEY = 'e2e-deepl-suite-key';
const EXAMPLE = { en: words(4).join(' '), ja: JAPANESE_SAMPLE }; // the suite's exampleText, in the random models' vocabularies

let server: DevServer;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, stop } = await startKeyedServer('deepl-suite', KEY));
});

afterAll(async () => {
  await stop?.();
});

/** The suite's makeTranslator(), pointed at this server; no retries, so a failure shows at once. */
const makeTranslator = () =>
  new deepl.Translator(KEY, { serverUrl: server.url, maxRetries: 0, minTimeout: 60_000, sendPlatformInfo: false });

/** The native face's translation with the same options: what the DeepL face must answer. */
async function native(text: string, direction: string, options: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${server.url}/translate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ text, direction, ...options }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { translation: string }).translation;
}

describe('translate text (deepl-node tests/translateText.test.ts)', () => {
  it('should translate a single text', async () => {
    const result = await makeTranslator().translateText(EXAMPLE.en, null, 'ja');
    expect(result.text).toBe(await native(EXAMPLE.en, 'en-ja'));
    expect(result.detectedSourceLang).toBe('en');
    expect(result.billedCharacters).toBe(EXAMPLE.en.length);
  });

  it.each([['quality_optimized'], ['latency_optimized'], ['prefer_quality_optimized']])(
    'should translate using model_type = %s',
    async (modelType) => {
      const result = await makeTranslator().translateText(EXAMPLE.en, 'en', 'ja', {
        modelType: modelType as deepl.ModelType,
      });
      expect(result.modelTypeUsed).toBeTruthy();
    },
  );

  it('should translate an array of texts', async () => {
    // DeepL's [fr, en] into de: here [ja, en] into en-US, where the English text is already in the target language.
    const result = await makeTranslator().translateText([EXAMPLE.ja, EXAMPLE.en], null, 'en-US');
    expect(result[0]?.text).toBe(await native(EXAMPLE.ja, 'ja-en'));
    expect(result[0]?.detectedSourceLang).toBe('ja');
    expect(result[1]?.text).toBe(EXAMPLE.en);
    expect(result[1]?.detectedSourceLang).toBe('en');
  });

  it('should accept language codes in any case', async () => {
    const translator = makeTranslator();
    const expected = await native(EXAMPLE.en, 'en-ja');
    let result = await translator.translateText(EXAMPLE.en, 'en', 'ja');
    expect(result.text).toBe(expected);
    expect(result.detectedSourceLang).toBe('en');
    result = await translator.translateText(
      EXAMPLE.en,
      'eN' as deepl.SourceLanguageCode,
      'Ja' as deepl.TargetLanguageCode,
    );
    expect(result.text).toBe(expected);
    expect(result.detectedSourceLang).toBe('en');
  });

  it('should reject deprecated target codes', async () => {
    const translator = makeTranslator();
    await expect(translator.translateText(EXAMPLE.ja, null, 'en' as deepl.TargetLanguageCode)).rejects.toThrow(
      /deprecated/,
    );
    await expect(translator.translateText(EXAMPLE.ja, null, 'pt' as deepl.TargetLanguageCode)).rejects.toThrow(
      /deprecated/,
    );
  });

  it('should reject invalid language codes', async () => {
    const translator = makeTranslator();
    await expect(translator.translateText(EXAMPLE.ja, 'xx' as deepl.SourceLanguageCode, 'en-US')).rejects.toThrow(
      'source_lang',
    );
    await expect(translator.translateText(EXAMPLE.ja, null, 'xx' as deepl.TargetLanguageCode)).rejects.toThrow(
      'target_lang',
    );
  });

  it('should reject empty texts', async () => {
    const translator = makeTranslator();
    await expect(translator.translateText('', null, 'ja')).rejects.toThrow('texts parameter');
    await expect(translator.translateText([''], null, 'ja')).rejects.toThrow('texts parameter');
  });

  it('should translate with formality', async () => {
    // DeepL's German has formality; no target here does, so this is the suite's case for "tr": prefer_* and
    // default fall back to the default translation, more and less are refused.
    const translator = makeTranslator();
    const expected = await native(EXAMPLE.en, 'en-ja');
    for (const formality of ['default', 'DEFAULT', 'prefer_less', 'prefer_more'] as deepl.Formality[]) {
      expect((await translator.translateText(EXAMPLE.en, null, 'ja', { formality })).text, formality).toBe(expected);
    }
    for (const formality of ['less', 'more', 'LESS', 'MORE'] as deepl.Formality[]) {
      await expect(translator.translateText(EXAMPLE.en, null, 'ja', { formality }), formality).rejects.toThrow(
        'formality',
      );
    }
  });

  it('should reject invalid formality', async () => {
    await expect(
      makeTranslator().translateText('Test', null, 'ja', { formality: 'invalid' as deepl.Formality }),
    ).rejects.toThrow('formality');
  });

  it('should translate with split sentences', async () => {
    const translator = makeTranslator();
    const input = 'The firm said it had been\nconducting an internal investigation.';
    const modes = { off: 'off', on: 'on', nonewlines: 'nonewlines', default: 'on' } as const;
    for (const [splitSentences, nativeMode] of Object.entries(modes)) {
      const result = await translator.translateText(input, null, 'ja', {
        splitSentences: splitSentences as deepl.SentenceSplittingMode,
      });
      expect(result.text, splitSentences).toBe(await native(input, 'en-ja', { splitSentences: nativeMode }));
    }
    await expect(
      translator.translateText(input, null, 'ja', { splitSentences: 'invalid' as deepl.SentenceSplittingMode }),
    ).rejects.toThrow('split_sentences');
  });

  it('should translate with preserve formatting', async () => {
    const translator = makeTranslator();
    await translator.translateText(EXAMPLE.en, null, 'ja', { preserveFormatting: false });
    await translator.translateText(EXAMPLE.en, null, 'ja', { preserveFormatting: true });
  });

  it('should translate with tag_handling option', async () => {
    const text = '<!DOCTYPE html>\n<html>\n  <body>\n    <p>This is an example sentence.</p>\n  </body>\n</html>';
    const translator = makeTranslator();
    for (const tagHandling of ['xml', 'html'] as const) {
      const result = await translator.translateText(text, null, 'ja', { tagHandling });
      expect(result.text, tagHandling).toBe(await native(text, 'en-ja', { format: tagHandling }));
      expect(result.text).toMatch(/^<!DOCTYPE html>\n<html>\n {2}<body>\n {4}<p>[^<]+<\/p>\n {2}<\/body>\n<\/html>$/);
    }
  });

  it('should translate with tag_handling_version option', async () => {
    const text = '<p>Hello world</p>';
    const translator = makeTranslator();
    for (const tagHandlingVersion of ['v1', 'v2'] as const) {
      const result = await translator.translateText(text, null, 'ja', { tagHandling: 'html', tagHandlingVersion });
      expect(result.text).toBeTruthy();
      expect(result.detectedSourceLang).toBe('en');
    }
  });

  it('should translate with context option', async () => {
    const translator = makeTranslator();
    const expected = await native(EXAMPLE.ja, 'ja-en');
    expect((await translator.translateText(EXAMPLE.ja, null, 'en-US')).text).toBe(expected);
    expect((await translator.translateText(EXAMPLE.ja, null, 'en-US', { context: '猫の話です。' })).text).toBe(
      expected,
    ); // accepted, not used
  });

  it('should translate using specified XML tags', async () => {
    const text =
      "<document>\n    <meta>\n        <title>A document's title</title>\n    </meta>\n    <content>\n        <par>\n" +
      '            <span>This is a sentence split</span><span>across two &lt;span&gt; tags that should be treated as one.</span>\n' +
      '        </par>\n        <par>Here is a sentence. Followed by a second one.</par>\n' +
      '        <raw>This sentence will not be translated.</raw>\n    </content>\n</document>';
    const result = await makeTranslator().translateText(text, null, 'ja', {
      tagHandling: 'xml',
      outlineDetection: false,
      nonSplittingTags: 'span',
      splittingTags: ['title', 'par'],
      ignoreTags: ['raw'],
    });
    expect(result.text).toContain('<raw>This sentence will not be translated.</raw>');
    expect(result.text).toMatch(/<title>[^<]+<\/title>/); // DeepL's "<title>Der Titel": here the test model's words
    const options = {
      format: 'xml',
      outlineDetection: false,
      nonSplittingTags: ['span'],
      splittingTags: ['title', 'par'],
      ignoreTags: ['raw'],
    };
    expect(result.text).toBe(await native(text, 'en-ja', options));
  });

  it('should translate using specified HTML tags', async () => {
    const text =
      '<!DOCTYPE html>\n<html>\n  <body>\n    <h1>My First Heading</h1>\n    <p translate="no">My first paragraph.</p>\n  </body>\n</html>';
    const result = await makeTranslator().translateText(text, null, 'ja', { tagHandling: 'html' });
    expect(result.text).toMatch(/<h1>[^<]+<\/h1>/); // DeepL's "<h1>Meine erste Überschrift</h1>"
    expect(result.text).toContain('<p translate="no">My first paragraph.</p>');
    expect(result.text).toBe(await native(text, 'en-ja', { format: 'html' }));
  });

  it('allows extra parameters to override standard parameters', async () => {
    const options: deepl.TranslateTextOptions = {
      extraRequestParameters: { target_lang: 'ja', example_extra_param: 'true' },
    };
    const result = await makeTranslator().translateText(EXAMPLE.en, null, 'en-US', options);
    expect(result.text).toBe(await native(EXAMPLE.en, 'en-ja'));
    expect(result.detectedSourceLang).toBe('en');
    expect(result.billedCharacters).toBe(EXAMPLE.en.length);
  });

  it('should translate with empty custom instructions array', async () => {
    const result = await makeTranslator().translateText(EXAMPLE.en, null, 'ja', { customInstructions: [] });
    expect(result.text).toBe(await native(EXAMPLE.en, 'en-ja'));
  });
});
