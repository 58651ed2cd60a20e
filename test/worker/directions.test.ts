// Both directions side by side inside workerd: explicit and auto-detected directions, wrong-script warnings,
// mixed batches, independent versions, and a direction whose model is not uploaded.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { post, removeLive, seedVersion, url } from './seed.js';
import { REVERSE_WEIGHT } from '../../src/core/translation.js';

let english: string;
let japanese: string;

beforeAll(async () => {
  ({ sourceText: english } = await seedVersion('dir-e1'));
  ({ sourceText: japanese } = await seedVersion('dir-j1', { direction: 'ja-en' }));
});

interface Body {
  translation: string;
  tokens: string[];
  model: string;
  unknownWords: string[];
  warnings?: string[];
}

const translate = async (body: unknown) => (await SELF.fetch(post('/translate', body))).json<Body>();

describe('direction', () => {
  it('is auto by default: Japanese script goes to ja-en, anything else to en-ja', async () => {
    expect(await translate({ text: english, beam: 1 })).toMatchObject({ model: 'en-ja@dir-e1', unknownWords: [] });
    const ja = await translate({ text: japanese, beam: 1 });
    expect(ja).toMatchObject({ model: 'ja-en@dir-j1', unknownWords: [] });
    expect(ja).not.toHaveProperty('warnings');
    expect(await translate({ text: japanese, beam: 1, direction: 'auto' })).toEqual(ja);
  });

  it('segments raw Japanese input with the same tokenizer as training (no spaces needed)', async () => {
    const spaced = await translate({ text: japanese.split('').join(' '), beam: 1, direction: 'ja-en' });
    const raw = await translate({ text: japanese, beam: 1, direction: 'ja-en' });
    expect(raw.unknownWords).toEqual([]);
    expect(spaced.unknownWords.length).toBeGreaterThan(0); // one character a token is not how the model reads
  });

  it('detokenizes English output: a capital first letter, no space before punctuation', async () => {
    const { translation, tokens } = await translate({ text: japanese, beam: 1 });
    if (tokens.length > 0) expect(translation[0]).toBe(translation[0]?.toUpperCase());
    expect(translation).not.toMatch(/ [.,?!]/);
  });

  it('translates text in the wrong script for an explicit direction, with a warning naming the better one', async () => {
    const body = await translate({ text: japanese, beam: 1, direction: 'en-ja' });
    expect(body.model).toBe('en-ja@dir-e1');
    expect(body.warnings).toEqual([
      expect.stringMatching(
        /looks like Japanese but en-ja translates from English; set "direction" to "ja-en" or "auto"/,
      ),
    ]);
  });

  it('decides each text of a batch on its own', async () => {
    const { translations } = await (
      await SELF.fetch(post('/translate', { texts: [english, japanese, english], beam: 1 }))
    ).json<{ translations: Body[] }>();
    expect(translations.map((t) => t.model)).toEqual(['en-ja@dir-e1', 'ja-en@dir-j1', 'en-ja@dir-e1']);
    const alone = await translate({ text: japanese, beam: 1 });
    expect(translations[1]).toEqual(alone);
  });

  it('works for GET, and caches per direction', async () => {
    const get = (query: string) => SELF.fetch(url(`/translate?${query}`));
    const ja = await get(`text=${encodeURIComponent(japanese)}&beam=2`);
    expect(await ja.json()).toMatchObject({ model: 'ja-en@dir-j1' });
    const forced = await (await get(`text=${encodeURIComponent(japanese)}&beam=2&direction=en-ja`)).json<Body>();
    expect(forced.model).toBe('en-ja@dir-e1');
    expect(forced.warnings).toHaveLength(1);
  });

  it('versions each direction independently', async () => {
    await seedVersion('dir-j2', { direction: 'ja-en' });
    expect((await translate({ text: japanese, beam: 1 })).model).toBe('ja-en@dir-j2');
    expect((await translate({ text: english, beam: 1 })).model).toBe('en-ja@dir-e1');
  });

  it('is 503 naming the direction whose model is not uploaded, while the other keeps working', async () => {
    await removeLive('ja-en');
    try {
      const res = await SELF.fetch(post('/translate', { text: japanese }));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        error: { code: 'model_unavailable', message: expect.stringMatching(/no live model for ja-en/) },
      });
      expect((await SELF.fetch(url('/health'))).status).toBe(503);
      expect((await translate({ text: english, beam: 1 })).model).toBe('en-ja@dir-e1');
    } finally {
      await seedVersion('dir-j2', { direction: 'ja-en' });
    }
  });
});

describe('rerank', () => {
  it("ranks the beam's outputs with the other direction's model, which the response and X-Model name", async () => {
    const res = await SELF.fetch(
      post('/translate', { text: english, direction: 'en-ja', beam: 3, nbest: 3, rerank: true }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Model')).toMatch(/^en-ja@dir-e\d, ja-en@dir-j\d$/);
    const body = await res.json<Body & { nbest: { normalizedScore: number; reverseScore: number }[] }>();
    const ranks = body.nbest.map((alt) => alt.normalizedScore + REVERSE_WEIGHT * alt.reverseScore);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const plain = await translate({ text: english, direction: 'en-ja', beam: 3, nbest: 3 });
    expect((plain as unknown as { nbest: object[] }).nbest.every((alt) => !('reverseScore' in alt))).toBe(true);
  });

  it('is a boolean', async () => {
    const res = await SELF.fetch(post('/translate', { text: english, rerank: 'yes' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('rerank');
  });
});

describe('an ensemble model', () => {
  it('decodes with all its models by default, with the first alone on ensemble: false, and lists them', async () => {
    const single = await translate({ text: english, direction: 'en-ja', beam: 3 });
    const { manifest } = await seedVersion('dir-ens', { artifact: 'en-ja-ensemble' });
    try {
      // The request that loads it waits for its first model only, which answers alone and says so; the next one
      // loads the other member and waits for it.
      const cold = await SELF.fetch(post('/translate', { text: english, direction: 'en-ja', beam: 3 }));
      expect(cold.headers.get('X-Model-Partial')).toBe('en-ja@dir-ens');
      expect((await cold.json<Body>()).tokens).toEqual(single.tokens);
      const warm = await SELF.fetch(post('/translate', { text: english, direction: 'en-ja', beam: 3 }));
      expect(warm.headers.get('X-Model-Partial')).toBeNull();
      const both = await warm.json<Body>();
      const first = await translate({ text: english, direction: 'en-ja', beam: 3, ensemble: false });
      expect(both.model).toBe('en-ja@dir-ens');
      expect([first.tokens, first.translation]).toEqual([single.tokens, single.translation]);
      expect(both.tokens).not.toEqual(single.tokens);
      const models = await (
        await SELF.fetch(url('/models'))
      ).json<{ models: { version: string; ensemble?: { version: string }[] }[] }>();
      expect(models.models.find((m) => m.version === 'dir-ens')?.ensemble?.map((m) => m.version)).toEqual(
        manifest.ensemble?.map((m) => m.version),
      );
      const res = await SELF.fetch(post('/translate', { text: english, ensemble: 'no' }));
      expect(res.status).toBe(400);
    } finally {
      await seedVersion('dir-e1');
    }
  });
});
