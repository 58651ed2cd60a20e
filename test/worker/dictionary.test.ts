// The bilingual dictionary in workerd against the local R2 bucket: GET /dictionary both ways and its bad words, a word
// the model cannot read translated through it (annotated, no longer an unknown word), the dictionary read from R2 only
// when a sentence needs it, its files for the page, its licence on /models, and the degraded paths: a corrupt, missing
// or absent dictionary leaves translation as it was, with /health saying so, never a 5xx.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { DICTIONARY, DICTIONARY_FILES } from '../../src/core/dictionary/artifact.js';
import { objectKey, pointerKey } from '../../src/core/layout.js';
import { sha256Hex } from '../../src/core/open-artifact.js';
import { knownSentence, post, seedVersion, url } from './seed.js';

// A dictionary of four entries in the compiled format (src/core/dictionary/dictionary.ts), keys in code-unit order.
const JA_EN = [
  'の\t\tP\t\tprt:indicates possessive',
  'スマートフォン\t\t\tsmartphone\tn:smartphone/smart phone',
  'パスワード\t\tP\tpassword\tn:password',
  '電池\tでんち\tP\tbattery\tn:battery/cell',
];
const EN_JA = ['battery\t電池\t3\tP', 'password\tパスワード\t2\tP', 'smartphone\tスマートフォン\t1\t'];
const CREDIT =
  "Dictionary: EDICT, the property of the EDRDG, used in conformance with the Group's licence (CC BY-SA 3.0).";

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Stores the dictionary as `version` and makes it live (`previous` as the uploader writes it). */
async function seedDictionary(version: string, previous?: string): Promise<void> {
  const files: Record<string, Uint8Array> = {
    [DICTIONARY_FILES['ja-en']]: await gzip(`${JA_EN.join('\n')}\n`),
    [DICTIONARY_FILES['en-ja']]: await gzip(`${EN_JA.join('\n')}\n`),
    'LICENCE.txt': new TextEncoder().encode('EDRDG General Dictionary Licence Statement'),
  };
  const listed = Object.fromEntries(
    await Promise.all(
      Object.entries(files).map(async ([path, bytes]) => [
        path,
        { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) },
      ]),
    ),
  );
  const licence = {
    name: 'CC BY-SA 3.0',
    holder: 'EDRDG',
    url: 'https://www.edrdg.org/edrdg/licence.html',
    file: 'LICENCE.txt',
    credit: CREDIT,
  };
  const manifest = {
    format: 1,
    name: DICTIONARY,
    version,
    licence,
    source: { edict: 'test' },
    entries: { 'ja-en': 4, 'en-ja': 3 },
    build: { command: 'test' },
    files: listed,
  };
  for (const [path, bytes] of Object.entries(files)) await env.MODELS.put(objectKey(DICTIONARY, version, path), bytes);
  await env.MODELS.put(objectKey(DICTIONARY, version, 'manifest.json'), JSON.stringify(manifest));
  await env.MODELS.put(pointerKey(DICTIONARY), JSON.stringify(previous ? { version, previous } : { version }));
}

async function flip(version: string, path: string): Promise<void> {
  const key = objectKey(DICTIONARY, version, path);
  const bytes = new Uint8Array(await (await env.MODELS.get(key))!.arrayBuffer());
  bytes[bytes.length >> 1]! ^= 1;
  await env.MODELS.put(key, bytes);
}

/** The app with a bucket that records the keys read. */
function recordingApp() {
  const read: string[] = [];
  const bucket = { get: (key: string) => (read.push(key), env.MODELS.get(key)) } as unknown as R2Bucket;
  const app = createApp();
  const bindings = { ...env, MODELS: bucket };
  return { read, request: (request: Request | string) => app.request(request, undefined, bindings) };
}

type Body = Record<string, any>;
let known: string; // a sentence the en-ja test model reads whole

beforeAll(async () => {
  known = knownSentence((await seedVersion('dictionary-v1')).sourceWords, 3);
  await seedVersion('dictionary-j1', { direction: 'ja-en' });
  await seedDictionary('dict-1');
});

afterAll(async () => env.MODELS.delete(pointerKey(DICTIONARY))); // the other files' Worker runs without one

describe('GET /dictionary', () => {
  const { request } = recordingApp();

  it('looks a word up either way, with the licence credit', async () => {
    const english = await request(url('/dictionary?word=Smartphones'));
    expect(english.status).toBe(200);
    expect(await english.json()).toEqual({
      word: 'Smartphones',
      from: 'en',
      to: 'ja',
      entries: [
        {
          headword: 'スマートフォン',
          common: false,
          senses: [{ pos: ['n'], glosses: ['smartphone', 'smart phone'] }],
          translation: 'スマートフォン',
        },
      ],
      dictionary: 'dictionary@dict-1',
      credit: CREDIT,
    });
    const japanese = await (await request(url(`/dictionary?word=${encodeURIComponent('電池')}`))).json<Body>();
    expect(japanese).toMatchObject({
      from: 'ja',
      to: 'en',
      entries: [{ headword: '電池', reading: 'でんち', common: true, translation: 'battery' }],
    });
  });

  it('refuses a word of control characters or 2,000 characters, finds nothing for an emoji, and never fails', async () => {
    for (const word of ['pass\u0000word', 'x'.repeat(2000), '', '\u202e']) {
      const res = await request(url(`/dictionary?word=${encodeURIComponent(word)}`));
      expect(res.status).toBe(400);
      expect((await res.json<Body>()).error.code).toMatch(/^(invalid_request|text_too_long|empty_text)$/);
    }
    const emoji = await request(url(`/dictionary?word=${encodeURIComponent('😀')}`));
    expect(emoji.status).toBe(200);
    expect((await emoji.json<Body>()).entries).toEqual([]);
  });

  it("serves the live dictionary's files for the page, and only those", async () => {
    const manifest = await request(url('/dictionary/files/manifest.json'));
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('X-Dictionary-Version')).toBe('dict-1');
    expect((await request(url(`/dictionary/files/${DICTIONARY_FILES['en-ja']}`))).status).toBe(200);
    expect((await request(url('/dictionary/files/secret.txt'))).status).toBe(404);
  });
});

describe('translating with the dictionary', () => {
  it('translates a word the model cannot read, says so, and no longer lists it as unknown', async () => {
    const { request } = recordingApp();
    const body = await (await request(post('/translate', { text: 'Smartphone.', beam: 1 }))).json<Body>();
    expect(body).toMatchObject({
      translation: 'スマートフォン。',
      annotations: [{ kind: 'dictionary', source: 'Smartphone', target: 'スマートフォン' }],
      unknownWords: [],
    });
  });

  it('in a sentence, has the word where the model wrote <unk> for it, else leaves it out and lists it as unknown', async () => {
    const { request } = recordingApp();
    for (const beam of [1, 4]) {
      const body = await (await request(post('/translate', { text: `${known} smartphone`, beam }))).json<Body>();
      const annotated = body.annotations.some(
        (a: Body) => a.kind === 'dictionary' && a.source === 'smartphone' && a.target === 'スマートフォン',
      );
      expect(body.translation.includes('スマートフォン')).toBe(annotated);
      expect(body.unknownWords).toEqual(annotated ? [] : ['smartphone']);
      expect(body.translation).not.toContain('smartphone'); // never pasted
    }
  });

  it('reads nothing of the dictionary for a sentence the model reads whole', async () => {
    const { read, request } = recordingApp();
    expect((await request(post('/translate', { text: known, beam: 1 }))).status).toBe(200);
    const ofDictionary = (key: string) =>
      key === pointerKey(DICTIONARY) || key.startsWith(objectKey(DICTIONARY, '', ''));
    expect(read.filter(ofDictionary)).toEqual([]);
    await request(post('/translate', { text: `${known} password`, beam: 1 }));
    expect(read).toContain(pointerKey(DICTIONARY));
  });

  it("goes live without a restart when the pointer moves (the models' hot swap)", async () => {
    const { request } = recordingApp();
    const version = async () => (await (await request(url('/dictionary?word=battery'))).json<Body>()).dictionary;
    await seedDictionary('dict-swap-1');
    expect(await version()).toBe('dictionary@dict-swap-1');
    await seedDictionary('dict-swap-2', 'dict-swap-1');
    expect(await version()).toBe('dictionary@dict-swap-2'); // POINTER_TTL_SECONDS is 0 in the workers project
    await seedDictionary('dict-1');
  });

  it('credits the dictionary on GET /models and reports it on /health', async () => {
    const { request } = recordingApp();
    expect((await (await request(url('/models'))).json<Body>()).dictionary).toMatchObject({
      status: 'ok',
      version: 'dict-1',
      licence: { name: 'CC BY-SA 3.0', credit: CREDIT },
    });
    expect(await (await request(url('/health'))).json<Body>()).toMatchObject({
      status: 'ok',
      dictionary: { status: 'ok', version: 'dict-1', entries: 7 },
    });
  });
});

describe('a dictionary that cannot be loaded', () => {
  afterAll(() => seedDictionary('dict-1'));

  it('corrupt: translation goes on as before it existed, /health is "degraded" and says why, /dictionary is 503', async () => {
    await seedDictionary('dict-bad');
    await flip('dict-bad', DICTIONARY_FILES['en-ja']);
    const { request } = recordingApp();
    const res = await request(post('/translate', { text: `${known} smartphone`, beam: 1 }));
    expect(res.status).toBe(200);
    const body = await res.json<Body>();
    expect(body.unknownWords).toEqual(['smartphone']);
    expect(body.annotations.filter((a: Body) => a.kind === 'dictionary')).toEqual([]);
    const health = await request(url('/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      dictionary: {
        status: 'unavailable',
        live: 'dictionary@dict-bad',
        reason: 'a file of it failed verification',
        detail: expect.stringContaining('sha256'),
      },
    });
    const lookUp = await request(url('/dictionary?word=battery'));
    expect(lookUp.status).toBe(503);
    expect((await lookUp.json<Body>()).error.code).toBe('dictionary_unavailable');
  });

  it('missing a file, with a good previous version: the previous one answers, degraded', async () => {
    await seedDictionary('dict-2');
    await seedDictionary('dict-3', 'dict-2');
    await env.MODELS.delete(objectKey(DICTIONARY, 'dict-3', DICTIONARY_FILES['ja-en']));
    const { request } = recordingApp();
    const body = await (await request(post('/translate', { text: 'smartphone', beam: 1 }))).json<Body>();
    expect(body.annotations).toContainEqual({ kind: 'dictionary', source: 'smartphone', target: 'スマートフォン' });
    expect(await (await request(url('/health'))).json()).toMatchObject({
      status: 'degraded',
      dictionary: {
        status: 'degraded',
        version: 'dict-2',
        live: 'dictionary@dict-3',
        reason: 'a file of it could not be found in storage',
      },
    });
  });

  it('none published: no fault, translation as before, /health "ok" with the dictionary "absent"', async () => {
    await env.MODELS.delete(pointerKey(DICTIONARY));
    const { request } = recordingApp();
    expect(
      (await (await request(post('/translate', { text: `${known} smartphone`, beam: 1 }))).json<Body>()).unknownWords,
    ).toEqual(['smartphone']);
    expect(await (await request(url('/health'))).json()).toMatchObject({
      status: 'ok',
      dictionary: { status: 'absent' },
    });
    expect((await request(url('/dictionary?word=battery'))).status).toBe(503);
  });
});
