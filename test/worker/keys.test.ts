// API keys in D1 (made as `npm run keys -- add` makes them: train/keys.ts) inside workerd: once a key exists every
// face asks for one; each key is its own owner, whose glossaries no other key can see, use or delete (404 as if
// absent), with its own usage against its own limit (/v2/usage; DeepL's 456 beyond) and its own rate-limit window; the
// API_KEY secret still works, as the local owner. The keys are removed afterwards, so the other files see a deployment
// without keys. Run: npx vitest run --project workers test/worker/keys.test.ts
import { SELF, env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { hashKey, newKey } from '../../src/core/api-keys.js';
import { post, seedVersion, url } from './seed.js';

let text: string;
let words: string[];

/** A key as `npm run keys -- add` makes it. */
async function addKey(name: string, limit = 1_000_000_000_000): Promise<{ key: string; id: string }> {
  const made = newKey();
  await env.DB.batch([
    env.DB.prepare('INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?1, ?2, ?3, ?4)').bind(
      made.id,
      name,
      await hashKey(made.key),
      new Date().toISOString(),
    ),
    env.DB.prepare('INSERT INTO usage (owner, character_count, character_limit) VALUES (?1, 0, ?2)').bind(
      made.id,
      limit,
    ),
  ]);
  return made;
}

let alice: { key: string; id: string };
let bob: { key: string; id: string };

beforeAll(async () => {
  ({ sourceText: text, sourceWords: words } = await seedVersion('keys-e1'));
  alice = await addKey('alice');
  bob = await addKey('bob');
});

afterAll(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM dictionary_chunks'),
    env.DB.prepare('DELETE FROM dictionaries'),
    env.DB.prepare('DELETE FROM glossaries'),
    env.DB.prepare("DELETE FROM usage WHERE owner LIKE 'k_%'"),
    env.DB.prepare('DELETE FROM api_keys'),
  ]);
});

const deepl = (key: string | undefined, path: string, init: RequestInit = {}) =>
  SELF.fetch(url(path), {
    ...init,
    headers: { ...(key && { Authorization: `DeepL-Auth-Key ${key}` }), ...init.headers },
  });
const form = (key: string | undefined, method: string, path: string, fields: Record<string, string>) =>
  deepl(key, path, {
    method,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
const usage = async (key: string) =>
  (await deepl(key, '/v2/usage')).json<{ character_count: number; character_limit: number }>();

describe('with keys in D1', () => {
  it('asks every face for a key: none or a wrong one is 401 / 403', async () => {
    expect((await SELF.fetch(post('/translate', { text }))).status).toBe(401);
    expect(
      (await SELF.fetch(post('/translate', { text }, { Authorization: 'Bearer et_00000000000000000000000000000000' })))
        .status,
    ).toBe(401);
    expect((await deepl(undefined, '/v2/usage')).status).toBe(403);
    expect((await deepl('not-a-key', '/v3/glossaries')).status).toBe(403);
    const libre = await SELF.fetch(
      post('/libretranslate/translate', { q: text, source: 'en', target: 'ja', api_key: 'wrong' }),
    );
    expect(libre.status).toBe(403);
  });

  it('serves a key on every face', async () => {
    expect(
      (await SELF.fetch(post('/translate', { text, beam: 1 }, { Authorization: `Bearer ${alice.key}` }))).status,
    ).toBe(200);
    expect((await deepl(alice.key, '/v2/usage')).status).toBe(200);
    expect(
      (await SELF.fetch(post('/libretranslate/translate', { q: text, source: 'en', target: 'ja', api_key: alice.key })))
        .status,
    ).toBe(200);
  });

  it('still accepts the API_KEY secret, as the local owner', async () => {
    const app = createApp();
    const res = await app.request(
      url('/v2/usage'),
      { headers: { Authorization: 'DeepL-Auth-Key the-secret' } },
      { ...env, API_KEY: 'the-secret' },
    );
    expect(res.status).toBe(200);
  });

  it('refuses a revoked key', async () => {
    const carol = await addKey('carol');
    expect((await deepl(carol.key, '/v2/usage')).status).toBe(200);
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1')
      .bind(carol.id, new Date().toISOString())
      .run();
    expect((await deepl(carol.key, '/v2/usage')).status).toBe(403);
  });

  it("keeps each key's glossaries to itself: another key's are 404 to list, read, use, change or delete", async () => {
    const created = await form(alice.key, 'POST', '/v2/glossaries', {
      name: 'mine',
      source_lang: 'en',
      target_lang: 'ja',
      entries: `${words[0]}\tALICE`,
    });
    expect(created.status).toBe(201);
    const { glossary_id: id } = await created.json<{ glossary_id: string }>();
    expect(
      (await (await deepl(alice.key, '/v2/glossaries')).json<{ glossaries: unknown[] }>()).glossaries,
    ).toHaveLength(1);
    expect((await (await deepl(bob.key, '/v2/glossaries')).json<{ glossaries: unknown[] }>()).glossaries).toEqual([]);
    expect((await (await deepl(bob.key, '/v3/glossaries')).json<{ glossaries: unknown[] }>()).glossaries).toEqual([]);
    for (const res of [
      await deepl(bob.key, `/v2/glossaries/${id}`),
      await deepl(bob.key, `/v2/glossaries/${id}/entries`),
      await deepl(bob.key, `/v3/glossaries/${id}/entries?source_lang=en&target_lang=ja`),
      await form(bob.key, 'PATCH', `/v3/glossaries/${id}`, { name: 'stolen' }),
      await form(bob.key, 'PUT', `/v3/glossaries/${id}/dictionaries`, {
        source_lang: 'en',
        target_lang: 'ja',
        entries: 'a\tb',
      }),
      await form(bob.key, 'POST', '/v2/translate', { text, source_lang: 'en', target_lang: 'ja', glossary_id: id }),
      await SELF.fetch(
        post('/translate', { text, direction: 'en-ja', glossary: id }, { Authorization: `Bearer ${bob.key}` }),
      ),
      await deepl(bob.key, `/v3/glossaries/${id}/dictionaries?source_lang=en&target_lang=ja`, { method: 'DELETE' }),
      await deepl(bob.key, `/v2/glossaries/${id}`, { method: 'DELETE' }),
    ]) {
      expect(res.status, await res.clone().text()).toBe(404);
    }
    const used = await form(alice.key, 'POST', '/v2/translate', {
      text: words.slice(0, 3).join(' '),
      source_lang: 'en',
      target_lang: 'ja',
      glossary_id: id,
    });
    expect(await used.text()).toContain('ALICE');
  });

  it('counts each key its own characters, and answers 456 beyond its limit without translating', async () => {
    const before = await usage(alice.key);
    const bobBefore = await usage(bob.key);
    expect((await form(alice.key, 'POST', '/v2/translate', { text, target_lang: 'ja' })).status).toBe(200);
    expect(await usage(alice.key)).toEqual({ ...before, character_count: before.character_count + [...text].length });
    expect(await usage(bob.key)).toEqual(bobBefore);

    const dave = await addKey('dave', [...text].length + 2);
    expect((await form(dave.key, 'POST', '/v2/translate', { text, target_lang: 'ja' })).status).toBe(200);
    const over = await form(dave.key, 'POST', '/v2/translate', { text, target_lang: 'ja' });
    expect(over.status).toBe(456);
    expect((await over.json<{ message: string }>()).message).toMatch(/^Quota exceeded/);
    expect(await usage(dave.key)).toEqual({ character_count: [...text].length, character_limit: [...text].length + 2 });
    expect(
      (await SELF.fetch(post('/translate', { text: 'a b c' }, { Authorization: `Bearer ${dave.key}` }))).status,
    ).toBe(456);
    expect((await SELF.fetch(post('/translate', { text: 'ab' }, { Authorization: `Bearer ${dave.key}` }))).status).toBe(
      200,
    ); // exactly the limit
  });

  it('gives back the characters of a request that fails', async () => {
    const before = await usage(alice.key);
    const failed = await createApp().request(
      url('/v2/translate'),
      {
        method: 'POST',
        headers: { Authorization: `DeepL-Auth-Key ${alice.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text, target_lang: 'fr' }),
      },
      { ...env, DIRECTIONS: 'en-ja,ja-en,en-fr' }, // en-fr is served but has no model: 503
    );
    expect(failed.status).toBe(503);
    expect(await usage(alice.key)).toEqual(before);
  });

  it('limits each key in its own window (RATE_LIMITER: 100 per 10 s), wherever its requests come from', async () => {
    const eve = await addKey('eve');
    const from = (key: string, ip: string) => deepl(key, '/v2/usage', { headers: { 'CF-Connecting-IP': ip } });
    let served = 0;
    let res = await from(eve.key, '198.51.100.1');
    while (res.status === 200 && served <= 200) {
      served++;
      res = await from(eve.key, `198.51.100.${(served % 200) + 1}`); // a new address every request
    }
    expect(served).toBeGreaterThanOrEqual(100);
    expect(served).toBeLessThanOrEqual(200);
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('10');
    expect((await res.json<{ message: string }>()).message).toMatch(/this API key/);
    expect((await from(bob.key, '198.51.100.1')).status).toBe(200); // another key, same address
  });
});
