// Hostile input: 5,000+ generated requests (seeded, so a failure replays) against the Worker inside workerd:
// random bytes, huge strings, deep JSON, unicode edge cases, wrong types, prototype-pollution keys, broken query
// strings, odd methods, paths and media types. No answer may be a 5xx, every error must be the documented JSON shape
// with a documented code, and afterwards the Worker must translate exactly as before, with no tensor left behind.
// The requests go to the Worker's app in this isolate (`app.request`, same code, bindings and R2 as the deployed
// entry): a SELF.fetch round trip costs ~15x more here, which would put 5,000 requests far beyond 30 s. A sample of
// them, and the final check, still go through SELF.fetch.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { tensorCount } from '../../src/store/wasm-backend.js';
import { post, seedVersion, url } from './seed.js';
import { seededRandom } from '../../train/random.js';

const REQUESTS = 5200;
const CONCURRENCY = 16;
const THROUGH_SELF = 50; // every 50th request goes through the Worker's fetch entry

/** The codes of README.md "Errors" (and "Limits and guarantees"). */
const DOCUMENTED_CODES = new Set([
  'invalid_json',
  'invalid_request',
  'empty_text',
  'text_too_long',
  'too_many_texts',
  'invalid_beam',
  'unknown_field',
  'unsupported_direction',
  'untranslatable_text',
  'unauthorized',
  'not_found',
  'method_not_allowed',
  'body_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'rate_limited',
]);

let words: string[];
let sourceText: string;
let japaneseText: string;

beforeAll(async () => {
  ({ sourceWords: words, sourceText } = await seedVersion('fuzz-v1'));
  ({ sourceText: japaneseText } = await seedVersion('fuzz-j1', { direction: 'ja-en' }));
});

function generators(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));

  const EDGE = [
    '\u0000',
    '\ud800',
    '\udfff',
    '\udc00\ud800',
    '\u202e',
    '\u200f',
    '\u200e',
    '\u0301',
    '\u0301'.repeat(50),
    '👩‍👩‍👧‍👦',
    '🇯🇵',
    '\u200d',
    '\u200b',
    '\ufeff',
    '\u2028',
    '\t\n\r',
    'ｶﾀｶﾅ',
    'ひらがな',
    '漢字',
    'e\u0301',
    '\uffff',
    '\\',
    '"',
    '%00',
    '<script>',
    "'; DROP TABLE",
  ];
  const edgeText = (): string =>
    Array.from({ length: 1 + int(12) }, () => (random() < 0.5 ? pick(words) : pick(EDGE))).join(
      pick([' ', '', '\u3000']),
    );
  const batchSize = () => (random() < 0.1 ? 60 + int(10) : int(6)); // around the limit of 64 now and then: decoding costs
  const hostileText = (): string => (random() < 0.05 ? 'w '.repeat(500 + int(600)) : edgeText());
  const wrongValue = (): unknown =>
    pick([0, -1, 4.5, 1e308, -0, true, false, null, [], {}, [1, 2], { text: 'x' }, '', ' ', '4', 'NaN', edgeText()]);
  const KEYS = [
    'text',
    'texts',
    'beam',
    'direction',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    '\u0000',
    'TEXT',
  ];

  const randomJson = (depth: number): unknown => {
    const kind = int(depth > 3 ? 3 : 6);
    if (kind === 0) return hostileText();
    if (kind === 1) return wrongValue();
    if (kind === 2) return int(20) - 5;
    if (kind === 3) return Array.from({ length: int(5) }, () => randomJson(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(KEYS), randomJson(depth + 1)]));
  };
  const deep = (n: number) => pick(['[', '{"a":']).repeat(n);
  const deepJson = () => {
    const n = 1 + int(random() < 0.1 ? 100_000 : 1000);
    const open = deep(n);
    const close = open.startsWith('[') ? ']'.repeat(n) : '}'.repeat(n);
    return pick([open + close, `{"text":${open}${close}}`, open, `{"texts":[${open}${close}]}`]);
  };
  const protoJson = () =>
    pick([
      `{"__proto__":{"beam":100,"polluted":1},"text":${JSON.stringify(pick(words))}}`,
      `{"text":${JSON.stringify(pick(words))},"__proto__":null}`,
      `{"constructor":{"prototype":{"polluted":1}},"text":"x"}`,
      `{"texts":[${JSON.stringify(pick(words))}],"__proto__":{"texts":[1]}}`,
      `{"text":{"__proto__":{"toString":1}}}`,
      `[{"__proto__":{"polluted":1}}]`,
    ]);
  // encodeURIComponent throws on lone surrogates; a URL carries UTF-8 bytes, where they become U+FFFD.
  const percent = (text: string) =>
    Array.from(new TextEncoder().encode(text), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const query = () => {
    const parts = Array.from({ length: int(4) }, () =>
      pick([
        `text=${percent(pick(words))}`,
        `text=${Array.from(bytes(int(30)), (b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`, // any bytes, not only UTF-8
        `text=${pick(['%', '%E0%A4', '%ZZ', '%ed%a0%80', '%00', '+', '%20%20'])}`,
        `beam=${pick(['0', '11', '-1', '4.5', '1e3', 'x', '', '007', '%31'])}`,
        `direction=${pick(['en-ja', 'ja-en', 'auto', 'xx-yy', 'EN-JA', '', '../'])}`,
        `${pick(KEYS)}=${percent(edgeText())}`,
        pick(['text', 'text=', '&&', '=', 'text[]=a']),
      ]),
    );
    return `/translate?${parts.join('&')}`;
  };
  const PATHS = [
    '/translate',
    '/translate/',
    '/health',
    '/models',
    '/translate/x',
    '/%00',
    '/..%2f..%2fetc',
    '/TRANSLATE',
    '//translate',
    '/fz-\u00e9',
  ];
  const MEDIA = [
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/vnd.api+json',
    'application/json; charset=utf-16',
    '',
  ];

  const json = (body: unknown) => JSON.stringify(body);
  return (): Request => {
    switch (int(10)) {
      case 0:
        return post('/translate', new TextDecoder().decode(bytes(int(2000))));
      case 1:
        return new Request(url('/translate'), {
          method: 'POST',
          headers: { 'Content-Type': pick(MEDIA) },
          body: bytes(int(500)),
        });
      case 2:
        return post('/translate', json(randomJson(0)));
      case 3:
        return post(
          '/translate',
          json(
            random() < 0.5
              ? { text: hostileText(), beam: 1 + int(4) }
              : { texts: Array.from({ length: batchSize() }, hostileText), beam: 1 + int(2) },
          ),
        );
      case 4:
        return post(
          '/translate',
          json({
            [pick(['text', 'texts', 'beam', 'direction'])]: wrongValue(),
            ...(random() < 0.5 && { text: pick(words) }),
          }),
        );
      case 5:
        return post('/translate', protoJson());
      case 6:
        return post('/translate', random() < 0.9 ? deepJson() : json({ text: 'x'.repeat(1000 + int(300_000)) }));
      case 7:
        return new Request(url(query()));
      case 8:
        return new Request(url(pick(PATHS)), { method: pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']) });
      default:
        return new Request(url('/translate'), {
          method: 'POST',
          headers: { 'Content-Type': pick(MEDIA) },
          body: json({ text: edgeText() }),
        });
    }
  };
}

/** Why a response breaks the contract, or undefined when it keeps it. */
async function violation(req: Request, res: Response): Promise<string | undefined> {
  if (res.status >= 500) return `${res.status} ${await res.text()}`;
  if (req.method === 'HEAD' || res.status < 400) {
    await res.arrayBuffer();
    return undefined;
  }
  if (!/^application\/json/.test(res.headers.get('Content-Type') ?? ''))
    return `${res.status} with Content-Type ${res.headers.get('Content-Type')}`;
  const body = await res.json<{ error?: Record<string, unknown> }>();
  const error = body.error;
  const shaped =
    Object.keys(body).length === 1 &&
    error &&
    Object.keys(error).sort().join() === 'code,message' &&
    typeof error.message === 'string';
  if (!shaped) return `${res.status} body ${JSON.stringify(body).slice(0, 200)}`;
  if (!DOCUMENTED_CODES.has(String(error.code))) return `${res.status} undocumented code ${String(error.code)}`;
  return undefined;
}

it(
  `survives ${REQUESTS} hostile requests: no 5xx, only documented JSON errors, translations unchanged`,
  { timeout: 600_000 } /* ~6 s on an idle 2-core machine; minutes when training shares it */,
  async () => {
    const app = createApp();
    const translate = async (text: string, send: (req: Request) => Promise<Response>) =>
      (await send(post('/translate', { text, beam: 2 }))).json<unknown>();
    const senders = [(req: Request) => SELF.fetch(req), async (req: Request) => app.request(req, undefined, env)];
    // Both apps (the entry's and this one) load both directions first: each holds its own models.
    const translations = () =>
      Promise.all([sourceText, japaneseText].flatMap((text) => senders.map((send) => translate(text, send))));
    const before = await translations();
    const tensors = tensorCount();
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);

    const next = generators(seededRandom(20260706));
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (let sent = 0; sent < REQUESTS; sent += CONCURRENCY) {
      const requests = Array.from({ length: CONCURRENCY }, next);
      await Promise.all(
        requests.map(async (req, k) => {
          const described = `#${sent + k} ${req.method} ${req.url.slice(0, 120)}`;
          const res = (sent + k) % THROUGH_SELF === 0 ? await SELF.fetch(req) : await app.request(req, undefined, env);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const problem = await violation(req, res);
          if (problem) problems.push(`${described}: ${problem}`);
        }),
      );
    }

    expect(problems.slice(0, 20)).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(200); // the fuzz reached the model, not only the validators
    expect(await translations()).toEqual(before);
    expect(tensorCount()).toBe(tensors);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
    console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  },
);
