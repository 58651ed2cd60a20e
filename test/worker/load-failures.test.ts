// What the Worker answers while R2 cannot give it a model, and that it heals once R2 is fixed (no restart).
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { post, removeLive, seedVersion, testArtifact, url } from './seed.js';

const translate = () => SELF.fetch(post('/translate', { text: 'wa wb', beam: 1 }));

async function expectUnavailable(res: Response, message: RegExp): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('Retry-After')).toBe('5');
  const body = await res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe('model_unavailable');
  expect(body.error.message).toMatch(message);
}

async function expectServed(version: string): Promise<void> {
  const res = await translate();
  expect(res.status).toBe(200);
  expect((await res.json<{ model: string }>()).model).toBe(`en-ja@${version}`);
}

beforeAll(async () => {
  await seedVersion('failures-j1', { direction: 'ja-en' }); // /health is 200 only when every direction serves
});

const weights = () => testArtifact().files['decoder/weights.bin'] ?? new Uint8Array();

describe('while R2 cannot give a model, /translate and /health answer 503 and say why', () => {
  const failures: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['there is no pointer', () => removeLive(), /R2 object "current\/en-ja\.json" not found/],
    ['the pointer is not JSON', () => env.MODELS.put('current/en-ja.json', 'v1'), /"current\/en-ja\.json" is not valid JSON/],
    ['the pointer names a version that is not there', () => env.MODELS.put('current/en-ja.json', '{"version":"never-uploaded"}'), /models\/en-ja\/never-uploaded\/manifest\.json" not found/],
    ['manifest.json is not JSON', () => seedVersion('fail-manifest-json', { override: { 'manifest.json': '{"format": 1,' } }), /manifest\.json is invalid/],
    ['manifest.json misses a field', () => seedVersion('fail-manifest-field', { override: { 'manifest.json': JSON.stringify({ ...testArtifact().manifest, version: 'fail-manifest-field', source: undefined }) } }), /manifest\.json is invalid .*"source"/],
    ['a weights file fails its sha256', () => seedVersion('fail-sha', { override: { 'decoder/weights.bin': weights().map((b, i) => (i === 0 ? b ^ 1 : b)) } }), /decoder\/weights\.bin" has sha256 [0-9a-f]{64}, manifest says/],
    ['a weights file is truncated', () => seedVersion('fail-truncated', { override: { 'decoder/weights.bin': weights().slice(0, 100) } }), /decoder\/weights\.bin" has 100 bytes, manifest says \d+/],
    ['a listed file is missing', () => seedVersion('fail-missing', { override: { 'encoder/model.json': null } }), /encoder\/model\.json" not found/],
  ];

  for (const [what, breakIt, message] of failures) {
    it(`when ${what}, then serves again once it is fixed`, async () => {
      await breakIt();
      await expectUnavailable(await translate(), message);
      await expectUnavailable(await SELF.fetch(url(`/translate?text=wa`)), message);
      const health = await SELF.fetch(url('/health'));
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable', error: { code: 'model_unavailable' } });

      await seedVersion(`fixed-${what.replaceAll(/\W+/g, '-')}`);
      await expectServed(`fixed-${what.replaceAll(/\W+/g, '-')}`);
      expect((await SELF.fetch(url('/health'))).status).toBe(200);
    });
  }

  it('loads a broken version again once its files are repaired in place', async () => {
    await seedVersion('repair-me', { override: { 'decoder/weights.bin': weights().slice(0, 10) } });
    await expectUnavailable(await translate(), /has 10 bytes/);
    await seedVersion('repair-me');
    await expectServed('repair-me');
  });
});
