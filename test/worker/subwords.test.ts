// A model of subword pieces served inside workerd from the real local R2: the Worker reads its merges file, the
// caller sees words (tokens, alignment, unknown words) and never the pieces.
import { SELF } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePointer, post, seedVersion, setLive } from './seed.js';

let before: string | undefined;

beforeAll(async () => {
  before = (await livePointer())?.version;
  await seedVersion('subwords-v1', { artifact: 'en-ja-subwords' });
});
afterAll(async () => {
  if (before) await setLive(before, 'en-ja', null);
});

describe('a subword model', () => {
  it('is served with its merges: words in, words out, the alignment over words', async () => {
    const res = await SELF.fetch(post('/translate', { text: 'cab bad', beam: 2, alignment: true }));
    expect(res.status).toBe(200);
    const body = await res.json<{
      model: string;
      tokens: string[];
      translation: string;
      unknownWords: string[];
      alignment: { source: string[]; target: string[]; weights: number[][] };
    }>();
    expect(body.model).toBe('en-ja@subwords-v1');
    expect(body.unknownWords).toEqual([]);
    body.tokens.forEach((token) => expect(token).not.toMatch(/@@$/));
    expect(body.translation).toBe(body.tokens.join(''));
    expect(body.alignment.source).toEqual(['cab', 'bad']);
    expect(body.alignment.target).toEqual(body.tokens);
    body.alignment.weights.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2));
  });

  it('names the words it cannot read whole or in pieces', async () => {
    const body = await (await SELF.fetch(post('/translate', { text: 'cab b4d' }))).json<{ unknownWords: string[] }>();
    expect(body.unknownWords).toEqual(['b4d']);
  });
});
