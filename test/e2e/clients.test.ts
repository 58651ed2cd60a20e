// Existing translation clients, unchanged, against `npm start` (wrangler dev) with an API key set: the official DeepL
// Node client (deepl-node, pointed at the Worker with `serverUrl`) and the `translate` package's LibreTranslate engine
// (pointed at /libretranslate/translate with `url`). Small random models for both directions keep it fast; the
// request forms and error cases in detail are in test/worker/deepl.test.ts and libretranslate.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as deepl from 'deepl-node';
import { Translate } from 'translate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAPANESE_SAMPLE, words } from '../helpers/random-model.js';
import { writeRandomArtifact } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const KEY = 'e2e-clients-key';
const ENGLISH = words(3).join(' '); // in the random en-ja model's vocabulary

let scratch: string;
let server: DevServer;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'e2e-clients-'));
  for (const direction of ['en-ja', 'ja-en'] as const) await writeRandomArtifact(join(scratch, 'models', direction), 'clients-e2e', direction);
  server = await startDevServer({
    command: ['npm', 'start', '--', '--log-level', 'warn', '--var', `API_KEY:${KEY}`],
    env: { MODEL_DIR: join(scratch, 'models'), PERSIST_TO: join(scratch, 'state') },
  });
});

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** The native face's translation of the same text: the compatible faces must give the same. */
async function native(text: string, direction: string): Promise<string> {
  const res = await fetch(`${server.url}/translate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ text, direction }),
  });
  expect(res.status).toBe(200);
  const body: { translation: string } = await res.json();
  return body.translation;
}

describe('deepl-node (the official DeepL client) with serverUrl', () => {
  // No retries: a failed request shows at once instead of after DeepL's back-off.
  const translator = (key = KEY) => new deepl.Translator(key, { serverUrl: server.url, maxRetries: 0, minTimeout: 60_000, sendPlatformInfo: false });

  it('translates one text and a batch, as the native face does', async () => {
    const single = await translator().translateText(ENGLISH, 'en', 'ja');
    expect(single).toMatchObject({ text: await native(ENGLISH, 'en-ja'), detectedSourceLang: 'en' });
    const batch = await translator().translateText([JAPANESE_SAMPLE, ENGLISH], null, 'en-US');
    expect(batch.map((r) => r.detectedSourceLang)).toEqual(['ja', 'ja']);
    expect(batch[0]?.text).toBe(await native(JAPANESE_SAMPLE, 'ja-en'));
  });

  it('lists the languages and the usage', async () => {
    expect((await translator().getSourceLanguages()).map((l) => l.code)).toEqual(['en', 'ja']);
    expect((await translator().getTargetLanguages()).map((l) => l.code)).toEqual(['en-GB', 'en-US', 'ja']);
    const usage = await translator().getUsage();
    expect(usage.character?.count).toBe(0);
    expect(usage.anyLimitReached()).toBe(false);
  });

  it('fails as DeepL would: a wrong key, an unsupported pair, a text over the limit', async () => {
    await expect(translator('wrong-key').translateText(ENGLISH, 'en', 'ja')).rejects.toThrow(deepl.AuthorizationError);
    await expect(translator().translateText(ENGLISH, 'en', 'de')).rejects.toThrow(/^Bad request, message: cannot translate from "en" into "de"/);
    await expect(translator().translateText('w'.repeat(1001), null, 'ja')).rejects.toThrow(/^Bad request, message: text\[0\]: must be at most 1000 characters/);
  });
});

describe('translate (npm) with its LibreTranslate engine', () => {
  const libre = (overrides: { key?: string; from?: string; to?: string } = {}) => {
    // `url` is a documented option that the package's type declarations leave out, hence a variable, not a literal.
    const options = { engine: 'libre' as const, url: `${server.url}/libretranslate/translate`, key: KEY, from: 'en', to: 'ja', ...overrides };
    return Translate(options);
  };

  it('translates both ways, as the native face does', async () => {
    expect(await libre()(ENGLISH)).toBe(await native(ENGLISH, 'en-ja'));
    expect(await libre({ from: 'ja', to: 'en' })(JAPANESE_SAMPLE)).toBe(await native(JAPANESE_SAMPLE, 'ja-en'));
  });

  it('fails with the server message: a wrong key, an unsupported pair', async () => {
    await expect(libre({ key: 'wrong-key' })(`${ENGLISH} wa`)).rejects.toThrow(/^Invalid API key$/);
    await expect(libre({ to: 'de' })(ENGLISH)).rejects.toThrow(/cannot translate from "en" into "de"/);
  });

  it('serves the language list that LibreTranslate clients read', async () => {
    const res = await fetch(`${server.url}/libretranslate/languages`);
    expect(await res.json()).toEqual([
      { code: 'en', name: 'English', targets: ['ja'] },
      { code: 'ja', name: 'Japanese', targets: ['en'] },
    ]);
  });
});
