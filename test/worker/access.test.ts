// Access control and request limits: the optional API key, the per-client rate limit (the real Miniflare
// rate-limiting binding of wrangler.toml), and size limits enforced before anything is parsed.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Env } from '../../src/http/env.js';
import { LIMITS } from '../../src/http/schemas.js';
import { post, seedVersion, url } from './seed.js';

const KEY = 'k3y-0f-the-test';
let text: string;

beforeAll(async () => {
  ({ sourceText: text } = await seedVersion('access-v1'));
  await seedVersion('access-j1', { direction: 'ja-en' });
});

async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

describe('with the API_KEY secret set', () => {
  const app = createApp();
  const keyed: Env = { ...env, API_KEY: KEY };
  const request = (path: string, init: RequestInit = {}) => app.request(url(path), init, keyed);
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('refuses a request without Authorization with 401 unauthorized and WWW-Authenticate: Bearer', async () => {
    const res = await postJson('/translate', { text });
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="edge-translator"');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*'); // a browser can read why
    await expectError(res, 401, 'unauthorized');
  });

  it('refuses a wrong key, a prefix of the key, the key with another scheme, and an empty token', async () => {
    for (const authorization of [
      `Bearer ${KEY}x`,
      `Bearer ${KEY.slice(0, -1)}`,
      `Basic ${KEY}`,
      KEY,
      'Bearer ',
      'Bearer',
    ]) {
      await expectError(await postJson('/translate', { text }, { Authorization: authorization }), 401, 'unauthorized');
    }
  });

  it('checks the key before reading the body', async () => {
    const res = await request('/translate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":',
    });
    await expectError(res, 401, 'unauthorized');
  });

  it('serves every native route to the right key (the scheme is case-insensitive)', async () => {
    const ok = await postJson('/translate', { text, beam: 1 }, { Authorization: `Bearer ${KEY}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ model: 'en-ja@access-v1' });
    expect(
      (
        await request(`/translate?text=${encodeURIComponent(text)}&beam=1`, {
          headers: { Authorization: `bearer ${KEY}` },
        })
      ).status,
    ).toBe(200);
    expect((await request('/models', { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(200);
    await expectError(await request('/models'), 401, 'unauthorized');
    await expectError(await request('/translate?text=hi'), 401, 'unauthorized');
  });

  it('leaves /health open for uptime checks, and answers CORS preflights without a key', async () => {
    expect((await request('/health')).status).toBe(200);
    const preflight = await request('/translate', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/);
  });
});

describe('without the API_KEY secret', () => {
  it('serves requests with or without Authorization', async () => {
    expect((await SELF.fetch(post('/translate', { text, beam: 1 }))).status).toBe(200);
    expect((await SELF.fetch(post('/translate', { text, beam: 1 }, { Authorization: 'Bearer anything' }))).status).toBe(
      200,
    );
  });
});

describe('the per-client rate limit (RATE_LIMITER: 100 requests per 10 s in wrangler.toml)', () => {
  const LIMIT = 100;
  const from = (ip: string) => SELF.fetch(url('/health'), { headers: { 'CF-Connecting-IP': ip } });

  it('answers 429 rate_limited with Retry-After once a client is over it, and serves other clients meanwhile', async () => {
    let served = 0;
    let res = await from('203.0.113.7');
    // The binding counts in fixed windows: if one boundary falls inside the loop, up to 2 x LIMIT pass.
    while (res.status === 200 && served <= 2 * LIMIT) {
      served++;
      res = await from('203.0.113.7');
    }
    expect(served).toBeGreaterThanOrEqual(LIMIT);
    expect(served).toBeLessThanOrEqual(2 * LIMIT);
    expect(res.headers.get('Retry-After')).toBe('10');
    await expectError(res, 429, 'rate_limited');
    expect((await from('203.0.113.8')).status).toBe(200);
  });

  it('is off without the binding or with RATE_LIMIT "off" (npm start), and lets requests through when the binding fails', async () => {
    const app = createApp();
    const send = (bindings: Env) =>
      app.request(url('/health'), { headers: { 'CF-Connecting-IP': '203.0.113.9' } }, bindings);
    for (let i = 0; i <= LIMIT; i++) expect((await send({ ...env, RATE_LIMITER: undefined })).status).toBe(200);
    for (let i = 0; i <= 2 * LIMIT; i++) expect((await send({ ...env, RATE_LIMIT: 'off' })).status).toBe(200);
    const broken: RateLimit = { limit: () => Promise.reject(new Error('rate limiter unavailable')) };
    expect((await send({ ...env, RATE_LIMITER: broken })).status).toBe(200);
  });
});

describe('size limits, before any parsing, on every path', () => {
  it('refuse a URL over 16 KiB with 414 uri_too_long', async () => {
    await expectError(await SELF.fetch(url(`/translate?text=${'a'.repeat(16 * 1024)}`)), 414, 'uri_too_long');
    // 1,000 Japanese characters fit (9 bytes each, percent-encoded); a longer text goes by POST
    expect((await SELF.fetch(url(`/translate?text=${encodeURIComponent('緑'.repeat(1000))}&beam=1`))).status).not.toBe(
      414,
    );
  });

  it('refuse a body over 1 MiB with 413, by Content-Length or by counting a streamed body, whatever the path', async () => {
    const big = 'x'.repeat(LIMITS.bodyBytes + 1);
    await expectError(await SELF.fetch(post('/translate', { text: big })), 413, 'body_too_large');
    await expectError(await SELF.fetch(post('/nowhere', big)), 413, 'body_too_large');
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i <= LIMITS.bodyBytes / (64 * 1024); i++)
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        controller.close();
      },
    });
    const res = await SELF.fetch(url('/translate'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: streamed,
    });
    await expectError(res, 413, 'body_too_large');
  });
});
